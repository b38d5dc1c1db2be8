import type { Customer } from "./entities.js"

/** A guest's phone and e-mail as a platform or a caller gives them; either may be missing. */
export interface Contact {
  readonly phone?: string | null | undefined
  readonly email?: string | null | undefined
}

/** The contact as it is stored: trimmed, a blank part is no contact at all. */
export const trimmedContact = (
  contact: Contact
): { readonly phone: string | undefined; readonly email: string | undefined } => ({
  phone: contact.phone?.trim() || undefined,
  email: contact.email?.trim() || undefined
})

/**
 * A phone number's digits: `+33 6 12 34 56 78`, `+33-6-12-34-56-78` and `+33612345678` are one
 * guest, whichever platform wrote it and however. The SQL adapter indexes the same expression
 * (`regexp_replace(phone, '[^0-9]', '', 'g')`). Null without a digit.
 */
export const phoneDigits = (phone: string): string | null => phone.replace(/[^0-9]/g, "") || null

/**
 * what a guest is matched by, the one normalisation every adapter applies: the phone's
 * digits, the e-mail whatever its case. Null when that part is missing or blank.
 */
export const contactMatchKeys = (
  contact: Contact
): { readonly phone: string | null; readonly email: string | null } => {
  const { email, phone } = trimmedContact(contact)
  return { phone: phone === undefined ? null : phoneDigits(phone), email: email?.toLowerCase() ?? null }
}

// Oldest first, ties by id: the order the SQL adapter gives (created_at, id).
const byAge = (a: Customer, b: Customer) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * the restaurant's customers with this phone, then those with this email, each oldest
 * first. Phone first: it is what a restaurant knows its guests by.
 */
export const customersByContact = (
  customers: ReadonlyArray<Customer>,
  restaurantId: string,
  contact: Contact
): ReadonlyArray<Customer> => {
  const { email, phone } = contactMatchKeys(contact)
  const own = customers.filter((c) => c.restaurantId === restaurantId)
  const byPhone = phone === null ? [] : own.filter((c) => c.phone !== null && phoneDigits(c.phone) === phone)
  const byEmail = email === null ? [] : own.filter((c) => contactMatchKeys(c).email === email && !byPhone.includes(c))
  return [...byPhone.sort(byAge), ...byEmail.sort(byAge)]
}
