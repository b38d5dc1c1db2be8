import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as M from "../../../../src/adapters/platforms/sevenrooms/mapper.js"
import { SevenRoomsReservation } from "../../../../src/adapters/platforms/sevenrooms/types.js"
import { assertKeepsPublishedFields, publishedExample } from "../../../fixtures/published.js"
import { sampleReservation } from "../conformance/harness-kit.js"

// SevenRooms' public book sample and the public tap's reservation fields (test/fixtures/sevenrooms).
describe("sevenrooms published samples", () => {
  it("a reservation with the tap's fields decodes, keeps every field the mapper reads, and maps", () => {
    const published = publishedExample("sevenrooms/reservation.json")
    const decoded = Schema.decodeUnknownSync(SevenRoomsReservation)(published)
    assertKeepsPublishedFields(
      [
        "id",
        "external_id",
        "date",
        "arrival_time",
        "duration",
        "max_guests",
        "status",
        "status_simple",
        "shift_persistent_id",
        "access_persistent_id",
        "table_numbers",
        "first_name",
        "last_name",
        "email",
        "phone_number",
        "notes",
        "client_requests",
        "updated",
        "deleted"
      ],
      published,
      decoded
    )
    const dto = Either.getOrThrow(M.toReservation(decoded, "Europe/Paris"))
    assert.strictEqual(dto.reservationTime, "2025-06-07T17:30:00.000Z")
    assert.strictEqual(dto.status, "confirmed")
    assert.strictEqual(dto.externalReferenceId, "resa-8841")
    assert.includeMembers(
      [...(dto.allergies ?? [])],
      ["peanuts", "Peanut"],
      "from the guest requests and the allergy tag"
    )
  })

  it("our book form uses only names of SevenRooms' own book sample", () => {
    const published = publishedExample("sevenrooms/book-form.json")
    const form = Either.getOrThrow(M.toBookingForm({
      ...sampleReservation("resa-1"),
      serviceExternalId: "dinner",
      diningRoomExternalId: "terrace",
      tableExternalIds: ["12"],
      offerExternalId: "access-tasting",
      status: "confirmed"
    }, "Europe/Paris"))
    const sent = Object.entries(form).filter(([, v]) => v !== undefined).map(([k]) => k)
    for (const key of sent) assert.property(published, key, `the public book sample has ${key}`)
    assert.includeMembers(sent, ["date", "time", "party_size", "external_id", "access_persistent_id", "table"])
  })
})
