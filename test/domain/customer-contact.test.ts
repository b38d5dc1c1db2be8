import { describe, expect, it } from "@effect/vitest"
import { contactMatchKeys, customersByContact, trimmedContact } from "../../src/domain/customer-contact.js"
import type { Customer } from "../../src/domain/entities.js"
import type { CustomerId, RestaurantId } from "../../src/domain/ids.js"

const customer = (n: number, fields: Partial<Customer>): Customer => ({
  id: `c0000000-0000-4000-8000-00000000000${n}` as CustomerId,
  restaurantId: "resto-1" as RestaurantId,
  name: `Guest ${n}`,
  phone: null,
  email: null,
  allergies: [],
  isVip: false,
  notes: null,
  createdAt: `2030-01-0${n}T00:00:00.000Z`,
  updatedAt: `2030-01-0${n}T00:00:00.000Z`,
  ...fields
})

describe("contact normalisation (R-6.3)", () => {
  it("trims, and a blank part is no contact", () => {
    expect(trimmedContact({ phone: " +336 12 ", email: "  Ana@Example.com " })).toEqual({
      phone: "+336 12",
      email: "Ana@Example.com"
    })
    expect(trimmedContact({ phone: "   ", email: null })).toEqual({ phone: undefined, email: undefined })
  })

  it("matches a phone by its digits and an e-mail whatever its case", () => {
    expect(contactMatchKeys({ phone: " +33 6 12 ", email: " Ana@Example.COM" })).toEqual({
      phone: "33612",
      email: "ana@example.com"
    })
    expect(contactMatchKeys({ phone: "+33.6-12", email: undefined })).toEqual({ phone: "33612", email: null })
    expect(contactMatchKeys({ phone: "", email: undefined })).toEqual({ phone: null, email: null })
    expect(contactMatchKeys({ phone: "n/a", email: undefined })).toEqual({ phone: null, email: null })
  })
})

describe("customersByContact (R-6.3)", () => {
  const byEmailOld = customer(1, { email: "ANA@example.com" })
  const byPhoneNew = customer(3, { phone: "+33612" })
  const byPhoneOld = customer(2, { phone: "+33612" })
  const elsewhere = customer(4, { phone: "+33612", restaurantId: "resto-2" as RestaurantId })
  const all = [byEmailOld, byPhoneNew, byPhoneOld, elsewhere]

  it("phone matches first, then e-mail matches, each oldest first, in the restaurant only", () => {
    expect(customersByContact(all, "resto-1", { phone: " +33612", email: "ana@EXAMPLE.com " })).toEqual([
      byPhoneOld,
      byPhoneNew,
      byEmailOld
    ])
  })

  it("a customer matching both comes once, with the phone matches", () => {
    const both = customer(5, { phone: "+33699", email: "ana@example.com" })
    expect(customersByContact([byEmailOld, both], "resto-1", { phone: "+33699", email: "ana@example.com" })).toEqual([
      both,
      byEmailOld
    ])
  })

  it("a blank contact matches no one", () => {
    expect(
      customersByContact([...all, customer(6, { phone: null, email: null })], "resto-1", { phone: " ", email: "" })
    ).toEqual([])
  })
})
