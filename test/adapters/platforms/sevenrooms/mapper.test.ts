import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as M from "../../../../src/adapters/platforms/sevenrooms/mapper.js"
import type { SevenRoomsReservation } from "../../../../src/adapters/platforms/sevenrooms/types.js"
import type { ReservationStatus } from "../../../../src/domain/status.js"

const reservation = (over: Partial<SevenRoomsReservation> = {}): SevenRoomsReservation => ({
  id: "ahNzfnNl-res-1",
  date: "2030-06-07",
  arrival_time: "19:30",
  max_guests: 4,
  first_name: "Léa",
  last_name: "Martin",
  phone_number: "+33698765432",
  email: "lea@example.com",
  status: "BOOKED",
  status_simple: "Booked",
  ...over
})

describe("sevenrooms mapper", () => {
  it("maps the open status set on status_simple first, then status; unknown keeps the local status", () => {
    const cases: ReadonlyArray<[string | undefined, string | undefined, ReservationStatus | undefined]> = [
      ["Canceled", "CANCELED", "cancelled"],
      ["No Show", "NO_SHOW", "no_show"],
      ["Left", "COMPLETE", "completed"],
      ["Seated", "PARTIALLY_SEATED", "seated"],
      ["Arrived", "ARRIVED", "seated"],
      ["Booked", "LEFT_MESSAGE", "confirmed"],
      [undefined, "CONFIRMED", "confirmed"],
      ["Something new", "NO_ANSWER", "confirmed"],
      ["Something new", "ALSO_NEW", undefined]
    ]
    for (const [simple, status, expected] of cases) {
      assert.strictEqual(M.reservationStatusOf({ status_simple: simple, status }), expected, `${simple}/${status}`)
    }
    assert.strictEqual(M.reservationStatusOf({ status: "BOOKED", deleted: "2030-01-01T00:00:00Z" }), "cancelled")
  })

  it("reads venue-local date and time as an instant, and the shift, area, tables and access rule as ids", () => {
    const dto = Either.getOrThrow(M.toReservation(
      reservation({
        shift_persistent_id: "dinner-2030",
        venue_seating_area_id: "area-main",
        table_numbers: ["12"],
        auto_assignments: { table_ids: ["table-12"] },
        access_persistent_id: "access-tasting",
        external_id: "alloresto:local-1"
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(dto.reservationTime, "2030-06-07T17:30:00.000Z")
    assert.strictEqual(dto.serviceExternalId, "dinner-2030")
    assert.strictEqual(dto.diningRoomExternalId, "area-main")
    assert.deepStrictEqual(dto.tableExternalIds, ["table-12"])
    assert.strictEqual(dto.offerExternalId, "access-tasting")
    assert.strictEqual(dto.externalReferenceId, "local-1")
    assert.deepStrictEqual(
      Either.getOrThrow(M.toReservation(reservation({ table_numbers: ["12"] }), "Europe/Paris")).tableExternalIds,
      ["12"]
    )
    assert.isUndefined(
      Either.getOrThrow(M.toReservation(reservation({ external_id: "other-partner-42" }), "Europe/Paris"))
        .externalReferenceId
    )
  })

  it("gathers allergies from notes, guest requests and tags, and keeps each note line once", () => {
    const dto = Either.getOrThrow(M.toReservation(
      reservation({
        notes: "Window seat\nAllergies: gluten",
        client_requests: "Window seat\nOccasion: birthday",
        tags: [{ tag: "peanut", tag_display: "Peanuts", group: "allergies" }, {
          tag: "vegan",
          group: "Dietary Restrictions"
        }, { tag: "vip", group: "VIP" }]
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(dto.notes, "Window seat")
    assert.deepStrictEqual(dto.allergies, ["gluten", "Peanuts"])
    assert.deepStrictEqual(dto.dietaryRestrictions, ["vegan"])
    assert.strictEqual(dto.occasion, "birthday")
  })

  it("writes the booking form in venue-local time with the publicly seen names only, and overlays an update on the current booking", () => {
    const form = Either.getOrThrow(M.toBookingForm({
      customerName: "Ana Ruiz",
      customerPhone: "+33612345678",
      partySize: 2,
      reservationTime: "2030-01-15T19:00:00Z",
      serviceExternalId: "dinner-2030",
      diningRoomExternalId: "area-main",
      tableExternalIds: ["table-1", "table-2"],
      offerExternalId: "access-tasting",
      externalReferenceId: "local-9",
      allergies: ["gluten"]
    }, "Europe/Paris"))
    assert.deepInclude(form, {
      date: "2030-01-15",
      time: "20:00",
      party_size: 2,
      first_name: "Ana",
      last_name: "Ruiz",
      external_id: "alloresto:local-9",
      table: "table-1",
      access_persistent_id: "access-tasting",
      notes: "Allergies: gluten"
    })
    for (const unseen of ["shift_persistent_id", "venue_seating_area_id", "table_ids", "status"]) {
      assert.notProperty(form, unseen)
    }
    const update = Either.getOrThrow(
      M.toUpdateForm(
        reservation({
          auto_assignments: { table_ids: ["table-12"] },
          access_persistent_id: "access-tasting",
          notes: "Window seat"
        }),
        {
          customerName: "",
          customerPhone: "",
          partySize: 6,
          reservationTime: "2030-06-07T18:00:00Z"
        },
        "Europe/Paris"
      )
    )
    assert.deepInclude(update, {
      party_size: 6,
      time: "20:00",
      first_name: "Léa",
      last_name: "Martin",
      email: "lea@example.com",
      table: "table-12",
      access_persistent_id: "access-tasting",
      notes: "Window seat"
    })
  })
})
