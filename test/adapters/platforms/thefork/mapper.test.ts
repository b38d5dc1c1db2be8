import { assert, describe, it } from "@effect/vitest"
import { Either, Option } from "effect"
import * as M from "../../../../src/adapters/platforms/thefork/mapper.js"
import type { TheForkReservation } from "../../../../src/adapters/platforms/thefork/types.js"
import type { ReservationStatus } from "../../../../src/domain/status.js"

const reservation = (over: Partial<TheForkReservation> = {}): TheForkReservation => ({
  reservationUuid: "7d0c2b9e-1f4a-4e58-9a43-2c1b7e5d9f10",
  restaurantUuid: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
  mealDate: "2030-06-07T17:30:00.000Z",
  partySize: 4,
  status: "RECORDED",
  ...over
})

const guest = { locale: "fr_FR", civility: "mx" }

describe("thefork mapper", () => {
  it("reads status, then mealStatus for a confirmed booking; unknown values keep the local status", () => {
    const cases: ReadonlyArray<[string, string | null, ReservationStatus | undefined]> = [
      ["RECORDED", null, "confirmed"],
      ["REQUESTED", null, "pending"],
      ["REFUSED", null, "cancelled"],
      ["CANCELED", null, "cancelled"],
      ["NO_SHOW", null, "no_show"],
      ["RECORDED", "ARRIVED", "seated"],
      ["RECORDED", "PARTIALLY_ARRIVED", "seated"],
      ["RECORDED", "SEATED", "seated"],
      ["RECORDED", "BILL", "seated"],
      ["RECORDED", "LEFT", "completed"],
      ["CONFIRMED", null, "confirmed"],
      ["SOMETHING_NEW", null, undefined]
    ]
    for (const [status, meal, expected] of cases) {
      assert.strictEqual(M.reservationStatusOf(status, meal), expected, `${status}/${meal}`)
    }
  })

  it("writes every local status in TheFork's vocabulary, and reads it back to the same status", () => {
    const all: ReadonlyArray<ReservationStatus> = [
      "pending",
      "confirmed",
      "seated",
      "completed",
      "cancelled",
      "no_show"
    ]
    for (const status of all) {
      const theirs = M.theForkStatusOf(status)
      assert.strictEqual(M.reservationStatusOf(theirs.status, theirs.mealStatus), status)
    }
  })

  it("carries our id in the internal note and reads it back, ignoring other notes", () => {
    const created = Either.getOrThrow(M.toReservationCreate({
      customerName: "Ana Ruiz",
      customerPhone: "+33 6 12-34.56.78",
      customerEmail: "ana@example.com",
      partySize: 2,
      reservationTime: "2030-06-07T19:30:00+02:00",
      externalReferenceId: "local-1",
      allergies: ["gluten"],
      notes: "Window"
    }, guest))
    assert.strictEqual(created.restaurantNote, "[alloresto:local-1]")
    assert.strictEqual(created.mealDate, "2030-06-07T17:30:00.000Z")
    assert.deepStrictEqual(created.customer, {
      email: "ana@example.com",
      firstName: "Ana",
      lastName: "Ruiz",
      phone: "+33612345678",
      locale: "fr_FR",
      civility: "mx",
      optins: { restaurantNewsletter: false }
    })
    assert.strictEqual(created.customerNote, "Window\nAllergies: gluten")
    assert.strictEqual(M.referenceOf(`VIP guest\n${created.restaurantNote}`), "local-1")
    assert.isUndefined(M.referenceOf("VIP guest"))
  })

  it("refuses a create without e-mail (required by TheFork) and leaves out a phone that is not E.164", () => {
    const base = { customerName: "Ana", customerPhone: "0612", partySize: 2, reservationTime: "2030-06-07T17:30:00Z" }
    assert.isTrue(Either.isLeft(M.toReservationCreate(base, guest)))
    const created = Either.getOrThrow(M.toReservationCreate({ ...base, customerEmail: "a@b.fr" }, guest))
    assert.isUndefined(created.customer.phone)
    assert.strictEqual(created.customer.lastName, "Ana")
  })

  it("keeps the customer note under 1000 characters by shortening the free notes, never the allergies", () => {
    const note = M.customerNoteOf({ notes: "x".repeat(2000), allergies: ["peanuts"], occasion: "birthday" })
    assert.isAtMost(note.length, 1000)
    assert.include(note, "Allergies: peanuts")
    assert.include(note, "Occasion: birthday")
  })

  it("maps a reservation with its guest: name, contact, offer, notes, and allergies from both note and profile", () => {
    const dto = Either.getOrThrow(M.toReservation(
      reservation({
        offerUuid: "offer-1",
        customerNote: "Allergies: gluten\nOccasion: anniversary",
        restaurantNote: "[alloresto:abc]",
        mealStatus: "SEATED"
      }),
      {
        firstName: "Léa",
        lastName: "Martin",
        phone: "+33698765432",
        email: "lea@example.com",
        allergiesAndIntolerances: ["seafood", "Gluten"]
      }
    ))
    assert.strictEqual(dto.customerName, "Léa Martin")
    assert.strictEqual(dto.customerPhone, "+33698765432")
    assert.strictEqual(dto.offerExternalId, "offer-1")
    assert.strictEqual(dto.status, "seated")
    assert.deepStrictEqual(dto.allergies, ["gluten", "seafood"])
    assert.strictEqual(dto.occasion, "anniversary")
    assert.strictEqual(dto.externalReferenceId, "abc")
    assert.strictEqual(dto.reservationTime, "2030-06-07T17:30:00.000Z")
    assert.isUndefined(dto.serviceExternalId)
    assert.isTrue(Either.isLeft(M.toReservation(reservation({ mealDate: null }), undefined)))
  })

  it("patches only mealDate and partySize, and only when one of them changes", () => {
    const patch = Either.getOrThrow(
      M.toReservationPatch({
        customerName: "A",
        customerPhone: "",
        partySize: 4,
        reservationTime: "2030-06-07T19:30:00+02:00",
        notes: "ignored"
      })
    )
    assert.deepStrictEqual(patch, { mealDate: "2030-06-07T17:30:00.000Z", partySize: 4 })
    assert.isFalse(M.patchChanges(reservation(), patch))
    assert.isTrue(M.patchChanges(reservation({ partySize: 5 }), patch))
  })

  it("offers a timeslot only when bookable, with the asked party size as the cover floor", () => {
    const slot = { datetime: "2030-06-07T17:30:00Z", hasNormalStock: true, offers: [] }
    assert.deepStrictEqual(Option.getOrThrow(M.toAvailabilitySlot(slot, 3)), {
      time: "2030-06-07T17:30:00.000Z",
      remainingCovers: 3
    })
    assert.isTrue(Option.isNone(M.toAvailabilitySlot({ ...slot, hasNormalStock: false }, 3)))
    assert.isTrue(Option.isSome(M.toAvailabilitySlot({ ...slot, hasNormalStock: false, offers: ["o"] }, 3)))
  })
})
