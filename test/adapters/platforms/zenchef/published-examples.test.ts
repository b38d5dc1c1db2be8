import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as M from "../../../../src/adapters/platforms/zenchef/mapper.js"
import { ZenchefBooking } from "../../../../src/adapters/platforms/zenchef/types.js"
import { assertKeepsPublishedFields, publishedExample } from "../../../fixtures/published.js"

// Formitable v1.2's view models (test/fixtures/zenchef), through our wire Schema and mapper.
describe("zenchef published view models", () => {
  it("a BookingViewModel decodes, keeps every field the mapper reads, and maps", () => {
    const published = publishedExample("zenchef/booking.json")
    const decoded = Schema.decodeUnknownSync(ZenchefBooking)(published)
    assertKeepsPublishedFields(
      [
        "uid",
        "status",
        "bookingDateTime",
        "bookingDuration",
        "numberOfPeople",
        "checkInDateTime",
        "firstName",
        "lastName",
        "telephone",
        "email",
        "comments",
        "externalReferenceId"
      ],
      published,
      decoded
    )
    const [table, ticket] = [
      (published["tables"] as ReadonlyArray<Record<string, unknown>>)[0]!,
      (published["tickets"] as ReadonlyArray<Record<string, unknown>>)[0]!
    ]
    assertKeepsPublishedFields(["id", "areaId"], table, decoded.tables?.[0] ?? {})
    assertKeepsPublishedFields(["uid"], ticket, decoded.tickets?.[0] ?? {})
    const dto = Either.getOrThrow(M.toReservation(decoded, "Europe/Amsterdam"))
    assert.strictEqual(dto.reservationTime, "2025-06-07T17:30:00.000Z")
    assert.strictEqual(dto.status, "seated", "ACCEPTED and checked in")
    assert.strictEqual(dto.notes, "Window seat")
    // Our reference is read whatever `source` Formitable stored: `source` cannot be set on create.
    assert.strictEqual(dto.externalReferenceId, "resa-8841")
  })

  it("the Schema reads no field BookingViewModel lacks: no check-out time, no modified time", () => {
    const published = publishedExample("zenchef/booking.json")
    for (const field of ["checkOutDateTime", "modified"]) {
      assert.notProperty(published, field)
      assert.notProperty(ZenchefBooking.fields, field)
    }
  })

  it("our create body has only BookingCreateViewModel fields (no read-only `source`)", () => {
    const published = publishedExample("zenchef/booking-create.json")
    const body = Either.getOrThrow(M.toBookingCreate({
      customerName: "Ana Ruiz",
      customerPhone: "+31612345678",
      customerEmail: "ana@example.com",
      partySize: 4,
      reservationTime: "2030-06-07T17:30:00.000Z",
      tableExternalIds: ["12"],
      offerExternalId: "dinner-menu",
      notes: "Window seat",
      externalReferenceId: "resa-8841"
    }, { timezone: "Europe/Amsterdam", culture: "en" }))
    for (const key of Object.keys(body)) assert.property(published, key, `BookingCreateViewModel has ${key}`)
    assert.strictEqual(body.externalReferenceId, "resa-8841")
  })
})
