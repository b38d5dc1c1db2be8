import { assert, describe, it } from "@effect/vitest"
import { Either, Option } from "effect"
import { fromLocalDateTime, toLocalDateTime } from "../../../../src/adapters/platforms/shared/local-time.js"
import * as M from "../../../../src/adapters/platforms/zenchef/mapper.js"
import type { ZenchefBooking } from "../../../../src/adapters/platforms/zenchef/types.js"
import type { ReservationSyncDTO } from "../../../../src/domain/dtos.js"

const paris = { timezone: "Europe/Paris", culture: "fr" }
const instant = (local: string, zone: string) =>
  new Date(Option.getOrThrow(fromLocalDateTime(local, zone))).toISOString()

const booking = (over: Partial<ZenchefBooking> = {}): ZenchefBooking => ({
  uid: "Xk29fQ",
  status: "ACCEPTED",
  bookingDateTime: "2025-06-07T19:30:00",
  bookingDuration: 120,
  numberOfPeople: 4,
  firstName: "Ana",
  lastName: "Ruiz",
  telephone: "+33612345678",
  ...over
})

const dto = (over: Partial<ReservationSyncDTO> = {}): ReservationSyncDTO => ({
  customerName: "Ana Ruiz Soto",
  customerPhone: "+33612345678",
  partySize: 4,
  reservationTime: "2025-06-07T17:30:00.000Z",
  ...over
})

describe("zenchef mapper: restaurant-local time", () => {
  it("converts both ways in summer and winter time", () => {
    assert.strictEqual(instant("2025-06-07T19:30:00", "Europe/Paris"), "2025-06-07T17:30:00.000Z")
    assert.strictEqual(instant("2025-01-15T19:30:00", "Europe/Paris"), "2025-01-15T18:30:00.000Z")
    assert.strictEqual(instant("2025-06-07T19:30:00", "America/New_York"), "2025-06-07T23:30:00.000Z")
    assert.strictEqual(toLocalDateTime(Date.parse("2025-06-07T17:30:00Z"), "Europe/Paris"), "2025-06-07T19:30:00")
    assert.strictEqual(toLocalDateTime(Date.parse("2025-01-15T18:30:00Z"), "Europe/Paris"), "2025-01-15T19:30:00")
  })

  it("takes the first of a repeated autumn hour and moves a skipped spring hour forward", () => {
    // 2025-10-26 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    assert.strictEqual(instant("2025-10-26T02:30:00", "Europe/Paris"), "2025-10-26T00:30:00.000Z")
    // 2025-03-30 02:30 does not exist in Paris: the clock jumps from 02:00 to 03:00.
    assert.strictEqual(instant("2025-03-30T02:30:00", "Europe/Paris"), "2025-03-30T01:30:00.000Z")
    assert.strictEqual(toLocalDateTime(Date.parse("2025-03-30T01:30:00Z"), "Europe/Paris"), "2025-03-30T03:30:00")
    assert.strictEqual(toLocalDateTime(Date.parse("2025-10-26T01:30:00Z"), "Europe/Paris"), "2025-10-26T02:30:00")
  })

  it("keeps an explicit offset and rejects what is not a date-time", () => {
    assert.strictEqual(instant("2025-06-07T19:30:00+01:00", "Europe/Paris"), "2025-06-07T18:30:00.000Z")
    assert.isTrue(Option.isNone(fromLocalDateTime("tomorrow at 8", "Europe/Paris")))
    // Date.UTC and Date.parse would roll these over to the 2nd of March and the next day.
    for (
      const local of ["2026-02-30T20:00:00", "2026-02-30T20:00:00+01:00", "2026-06-07T25:00:00", "2026-06-07T19:60"]
    ) {
      assert.isTrue(Option.isNone(fromLocalDateTime(local, "Europe/Paris")), local)
    }
    assert.strictEqual(instant("2024-02-29T23:59:59", "Europe/Paris"), "2024-02-29T22:59:59.000Z")
  })
})

describe("zenchef mapper: status", () => {
  it("maps every Zenchef status and the check-in time to ours; never completed (no check-out field)", () => {
    const of = (over: Partial<ZenchefBooking>) => M.reservationStatusOf(booking(over))
    assert.strictEqual(of({ status: "CREATED" }), "pending")
    assert.strictEqual(of({ status: "ACCEPTED" }), "confirmed")
    assert.strictEqual(of({ status: "CANCELLED" }), "cancelled")
    assert.strictEqual(of({ status: "FAILED" }), "cancelled")
    assert.strictEqual(of({ status: "EXPIRED" }), "cancelled")
    assert.strictEqual(of({ checkInDateTime: "2025-06-07T19:35:00" }), "seated")
    assert.strictEqual(of({ status: "CANCELLED", checkInDateTime: "2025-06-07T19:35:00" }), "cancelled")
  })

  it("maps ours to Zenchef's", () => {
    assert.strictEqual(M.zenchefStatusOf("pending"), "CREATED")
    assert.strictEqual(M.zenchefStatusOf("confirmed"), "ACCEPTED")
    assert.strictEqual(M.zenchefStatusOf("seated"), "ACCEPTED")
    assert.strictEqual(M.zenchefStatusOf("completed"), "ACCEPTED")
    assert.strictEqual(M.zenchefStatusOf("cancelled"), "CANCELLED")
    assert.strictEqual(M.zenchefStatusOf("no_show"), "CANCELLED")
  })
})

describe("zenchef mapper: booking to reservation", () => {
  it("reads the v1.2 reference ids (areaId, tables[].id, productUid)", () => {
    const r = Either.getOrThrow(M.toReservation(
      booking({
        areaId: 3,
        tables: [{ id: 12, name: "T12", areaId: 3 }, { id: 14, areaId: 3 }],
        productUid: "prod-menu",
        shift: { startTime: 1080, endTime: 1320, productUid: "prod-menu" }
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(r.reservationTime, "2025-06-07T17:30:00.000Z")
    assert.strictEqual(r.diningRoomExternalId, "3")
    assert.deepStrictEqual(r.tableExternalIds, ["12", "14"])
    assert.strictEqual(r.offerExternalId, "prod-menu")
    assert.strictEqual(r.serviceExternalId, "shift:1080-1320:prod-menu")
    assert.strictEqual(r.customerName, "Ana Ruiz")
    assert.strictEqual(r.partySize, 4)
    assert.strictEqual(r.durationMin, 120)
    assert.strictEqual(r.status, "confirmed")
  })

  it("reads the design document's reference ids (service_uid, section_uid, tables[].uid, offer_uid)", () => {
    const r = Either.getOrThrow(M.toReservation(
      booking({
        service_uid: "svc-dinner",
        section_uid: "sec-terrace",
        tables: [{ uid: "tbl-7" }],
        offer_uid: "offer-brunch"
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(r.serviceExternalId, "svc-dinner")
    assert.strictEqual(r.diningRoomExternalId, "sec-terrace")
    assert.deepStrictEqual(r.tableExternalIds, ["tbl-7"])
    assert.strictEqual(r.offerExternalId, "offer-brunch")
  })

  it("falls back to the first ticket for the offer and to the table's area for the room", () => {
    const r = Either.getOrThrow(
      M.toReservation(booking({ tickets: [{ uid: "ticket-1" }], tables: [{ id: 5, areaId: 2 }] }), "Europe/Paris")
    )
    assert.strictEqual(r.offerExternalId, "ticket-1")
    assert.strictEqual(r.diningRoomExternalId, "2")
  })

  it("reads the external reference whatever source Formitable stored (a client cannot set it)", () => {
    const ours = Either.getOrThrow(
      M.toReservation(booking({ source: "api", externalReferenceId: "local-1" }), "Europe/Paris")
    )
    const none = Either.getOrThrow(
      M.toReservation(booking({ source: "google", externalReferenceId: " " }), "Europe/Paris")
    )
    assert.strictEqual(ours.externalReferenceId, "local-1")
    assert.strictEqual(none.externalReferenceId, undefined)
  })

  it("reads allergies, diet and occasion back out of the comments", () => {
    const r = Either.getOrThrow(M.toReservation(
      booking({
        comments: "Window seat please\nAllergies: gluten, peanuts\nDietary restrictions: vegan\nOccasion: birthday"
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(r.notes, "Window seat please")
    assert.deepStrictEqual(r.allergies, ["gluten", "peanuts"])
    assert.deepStrictEqual(r.dietaryRestrictions, ["vegan"])
    assert.strictEqual(r.occasion, "birthday")
  })

  it("fails on a booking time it cannot read", () => {
    assert.isTrue(Either.isLeft(M.toReservation(booking({ bookingDateTime: "soon" }), "Europe/Paris")))
  })
})

describe("zenchef mapper: reservation to booking", () => {
  it("builds a create body in restaurant-local time with v1.2 ids, our reference and labelled comments", () => {
    const body = Either.getOrThrow(M.toBookingCreate(
      dto({
        durationMin: 90,
        tableExternalIds: ["12", "14"],
        offerExternalId: "prod-menu",
        customerEmail: "ana@example.com",
        notes: "Window seat",
        allergies: ["gluten", "peanuts"],
        dietaryRestrictions: ["vegan"],
        occasion: "birthday",
        externalReferenceId: "local-1"
      }),
      paris
    ))
    assert.deepStrictEqual(body, {
      bookingDateTime: "2025-06-07T19:30:00",
      bookingDuration: 90,
      numberOfPeople: 4,
      culture: "fr",
      company: false,
      tables: [12, 14],
      productUid: "prod-menu",
      externalReferenceId: "local-1",
      firstName: "Ana",
      lastName: "Ruiz Soto",
      telephone: "+33612345678",
      email: "ana@example.com",
      comments: "Window seat\nAllergies: gluten, peanuts\nDietary restrictions: vegan\nOccasion: birthday"
    })
  })

  it("uses the restaurant's timezone, winter time included", () => {
    const ny = Either.getOrThrow(
      M.toBookingCreate(dto({ reservationTime: "2025-01-15T23:30:00Z" }), {
        timezone: "America/New_York",
        culture: "en"
      })
    )
    assert.strictEqual(ny.bookingDateTime, "2025-01-15T18:30:00")
  })

  it("takes the product from the shift id when no offer is given", () => {
    const body = Either.getOrThrow(M.toBookingCreate(dto({ serviceExternalId: "shift:1080-1320:prod-dinner" }), paris))
    assert.strictEqual(body.productUid, "prod-dinner")
  })

  it("rejects a table id that is not a Zenchef table id", () => {
    assert.isTrue(Either.isLeft(M.toBookingCreate(dto({ tableExternalIds: ["T12"] }), paris)))
  })

  it("overlays the reservation on the current booking, keeping what the reservation leaves out", () => {
    const current = booking({
      email: "old@example.com",
      tables: [{ id: 7 }],
      comments: "Quiet table\nAllergies: shellfish",
      culture: "nl",
      color: "#3edca8",
      title: "FEMALE"
    })
    const body = Either.getOrThrow(M.toBookingUpdate(current, dto({ partySize: 6, allergies: ["gluten"] }), paris))
    assert.deepStrictEqual(body, {
      bookingDateTime: "2025-06-07T19:30:00",
      bookingDuration: 120,
      numberOfPeople: 6,
      culture: "nl",
      company: false,
      tables: [7],
      firstName: "Ana",
      lastName: "Ruiz Soto",
      telephone: "+33612345678",
      email: "old@example.com",
      comments: "Quiet table\nAllergies: gluten",
      title: "FEMALE",
      color: "#3edca8"
    })
  })

  it("round-trips a reservation through a create body and back", () => {
    const original = dto({
      notes: "Window",
      allergies: ["gluten"],
      occasion: "anniversary",
      tableExternalIds: ["3"],
      externalReferenceId: "local-2"
    })
    const body = Either.getOrThrow(M.toBookingCreate(original, paris))
    const back = Either.getOrThrow(M.toReservation(
      booking({
        ...body,
        tables: body.tables?.map((id) => ({ id })),
        status: "ACCEPTED",
        bookingDuration: null
      }),
      "Europe/Paris"
    ))
    assert.strictEqual(back.reservationTime, original.reservationTime)
    assert.strictEqual(back.customerName, original.customerName)
    assert.deepStrictEqual(back.allergies, original.allergies)
    assert.strictEqual(back.notes, original.notes)
    assert.strictEqual(back.occasion, original.occasion)
    assert.deepStrictEqual(back.tableExternalIds, original.tableExternalIds)
    assert.strictEqual(back.externalReferenceId, original.externalReferenceId)
  })

  it("names a shift by its window and product", () => {
    const s = M.toService({ startTime: 1080, endTime: 1320, productUid: "p1" })
    assert.deepStrictEqual(s, {
      externalId: "shift:1080-1320:p1",
      data: { name: "18:00–22:00", startTime: "18:00", endTime: "22:00", offerExternalId: "p1" }
    })
  })
})
