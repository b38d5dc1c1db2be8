import type { Customer } from "./entities.js"

const normalizedEmail = (email: string | null | undefined) => email?.trim().toLowerCase() || null

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
  contact: { readonly phone?: string | undefined; readonly email?: string | undefined }
): ReadonlyArray<Customer> => {
  const phone = contact.phone?.trim() || null
  const email = normalizedEmail(contact.email)
  const own = customers.filter((c) => c.restaurantId === restaurantId)
  const byPhone = phone === null ? [] : own.filter((c) => c.phone === phone)
  const byEmail = email === null ? [] : own.filter((c) => normalizedEmail(c.email) === email && !byPhone.includes(c))
  return [...byPhone.sort(byAge), ...byEmail.sort(byAge)]
}
