import { describe, expect, it } from "@effect/vitest"
import { resolveConflict } from "../../src/domain/conflict.js"
import type { ReservationSyncDTO } from "../../src/domain/dtos.js"
import type { Reservation } from "../../src/domain/entities.js"
import type { ReservationLocalIds } from "../../src/domain/id-resolution.js"
import type { ReservationId, RestaurantId } from "../../src/domain/ids.js"
import {
  clearedLinksFor,
  disagreeingFields,
  inboundCancel,
  isStaleEvent,
  lostConflictOf,
  remoteReservationFields,
  repeatsLostConflict,
  reservationEventKind,
  reservationWrites
} from "../../src/domain/inbound-rules.js"
import { ReservationStatus, terminalReservationStatuses } from "../../src/domain/status.js"

const local: Reservation = {
  id: "11111111-1111-4111-8111-111111111111" as ReservationId,
  restaurantId: "resto-1" as RestaurantId,
  customerId: null,
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  customerEmail: null,
  partySize: 4,
  adults: null,
  children: null,
  reservationTime: "2030-06-07T17:30:00.000Z",
  durationMin: null,
  status: "confirmed",
  source: "zenchef",
  notes: null,
  allergies: ["peanuts"],
  dietaryRestrictions: ["Vegan"],
  occasion: null,
  serviceId: null,
  offerId: null,
  diningRoomId: null,
  tableIds: [],
  version: 2,
  createdAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z"
}

const noLinks: ReservationLocalIds = { serviceId: null, offerId: null, diningRoomId: null, tableIds: [] }
const booking: ReservationSyncDTO = {
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  partySize: 4,
  reservationTime: "2030-06-07T19:30:00+02:00"
}

describe("reservationEventKind (R-6.5)", () => {
  it.each(
    [
      { eventType: "reservation.updated", status: "cancelled", kind: "reservation.cancelled" },
      { eventType: "reservation.status_changed", status: "cancelled", kind: "reservation.cancelled" },
      { eventType: "reservation.created", status: "cancelled", kind: "reservation.created" },
      { eventType: "reservation.updated", status: "confirmed", kind: "reservation.updated" },
      { eventType: "reservation.cancelled", status: undefined, kind: "reservation.cancelled" }
    ] as const
  )("$eventType with status $status is $kind", ({ eventType, kind, status }) => {
    expect(reservationEventKind({ eventType }, { status })).toBe(kind)
  })
})

describe("isStaleEvent (R-6.8)", () => {
  const last = "2030-06-01T10:00:00.000Z"

  it("an event older than the last applied one is stale, whatever the offset it is written with", () => {
    expect(isStaleEvent({ eventType: "reservation.updated", occurredAt: "2030-06-01T11:59:59+02:00" }, last)).toBe(true)
    expect(isStaleEvent({ eventType: "reservation.updated", occurredAt: "2030-06-01T12:00:01+02:00" }, last)).toBe(
      false
    )
  })

  it("at the same instant, only a creation is stale: the applied change was made to it", () => {
    expect(isStaleEvent({ eventType: "reservation.created", occurredAt: last }, last)).toBe(true)
    expect(isStaleEvent({ eventType: "reservation.updated", occurredAt: last }, last)).toBe(false)
    expect(isStaleEvent({ eventType: "reservation.cancelled", occurredAt: last }, last)).toBe(false)
  })

  it("without a time on either side nothing is stale", () => {
    expect(isStaleEvent({ eventType: "reservation.created", occurredAt: undefined }, last)).toBe(false)
    expect(isStaleEvent({ eventType: "reservation.created", occurredAt: last }, undefined)).toBe(false)
  })
})

describe("inboundCancel (R-6.5)", () => {
  it.each(ReservationStatus.literals.map((status) => ({ status })))(
    "a cancel of a $status reservation",
    ({ status }) => {
      const expected = terminalReservationStatuses.includes(status)
        ? "final"
        : status === "cancelled"
        ? "already"
        : "cancel"
      expect(inboundCancel(status)).toBe(expected)
    }
  )
})

describe("remoteReservationFields (R-6.4)", () => {
  it("a status change says its status alone", () => {
    expect(
      remoteReservationFields("reservation.status_changed", { ...booking, status: "seated", partySize: 9 }, noLinks)
    ).toEqual({ status: "seated" })
  })

  it("a status change without a status, or any other event, says every field it defines", () => {
    const fields = remoteReservationFields("reservation.status_changed", { ...booking, partySize: 9 }, noLinks)
    expect(fields).toMatchObject({ partySize: 9, reservationTime: booking.reservationTime })
    expect(remoteReservationFields("reservation.updated", { ...booking, status: "seated" }, noLinks)).toMatchObject({
      status: "seated",
      partySize: 4
    })
  })
})

describe("disagreeingFields (R-6.9)", () => {
  it("the same booking said again, instants and tags spelled differently, disagrees on nothing", () => {
    const remote = {
      ...remoteReservationFields("reservation.updated", booking, noLinks),
      dietaryRestrictions: ["vegan"]
    }
    expect(disagreeingFields(local, remote)).toEqual([])
  })

  it("names each field said differently, and ignores the ones not said", () => {
    expect(disagreeingFields(local, { partySize: 6, notes: undefined, reservationTime: "2030-06-07T18:00:00Z" }))
      .toEqual([
        "partySize",
        "reservationTime"
      ])
  })

  it("null said against a value is a disagreement", () => {
    expect(disagreeingFields({ ...local, notes: "window" }, { notes: null })).toEqual(["notes"])
  })
})

describe("reservationWrites (R-7.3)", () => {
  it("a remote master's changes are written, the allergy union included", () => {
    const resolution = resolveConflict({
      local,
      remote: { partySize: 6, allergies: ["gluten"] },
      platform: "zenchef",
      master: "zenchef"
    })
    expect(reservationWrites(local, resolution)).toEqual({ partySize: 6, allergies: ["peanuts", "gluten"] })
  })

  it("a local master keeps its fields, yet takes the remote's allergies", () => {
    const resolution = resolveConflict({
      local,
      remote: { partySize: 6, allergies: ["gluten"] },
      platform: "zenchef",
      master: "self"
    })
    expect(reservationWrites(local, resolution)).toEqual({ allergies: ["peanuts", "gluten"] })
  })

  it("a new spelling of the same instant writes nothing", () => {
    const resolution = resolveConflict({
      local,
      remote: { reservationTime: "2030-06-07T19:30:00+02:00" },
      platform: "zenchef",
      master: "zenchef"
    })
    expect(resolution.changedFields).toEqual(["reservationTime"])
    expect(reservationWrites(local, resolution)).toEqual({})
  })
})

describe("links the platform sets to none (issue 20, item 7)", () => {
  const offerId = "22222222-2222-4222-8222-222222222222" as never
  const withOffer: ReservationLocalIds = { ...noLinks, offerId }

  it("a stated none clears the link; an unstated or unmapped one leaves ours", () => {
    expect(remoteReservationFields("reservation.updated", { ...booking, offerExternalId: null }, withOffer).offerId)
      .toBeNull()
    expect(remoteReservationFields("reservation.updated", booking, noLinks)).not.toHaveProperty("offerId")
    expect(remoteReservationFields("reservation.updated", { ...booking, offerExternalId: "unknown" }, noLinks)).not
      .toHaveProperty("offerId")
  })

  it("is kept where the platform is master, dropped where we are (it may not hold our link)", () => {
    const remote = { partySize: 5, offerId: null, diningRoomId: null, serviceId: null }
    expect(clearedLinksFor(remote, true)).toEqual(remote)
    expect(clearedLinksFor(remote, false)).toEqual({ partySize: 5 })
  })
})

describe("repeatsLostConflict (R-6.9, a conflict the platform cannot take ours for)", () => {
  const notes = { notes: "birthday\nno dairy please" }
  const stored = (conflict: object) => JSON.parse(JSON.stringify(conflict)) as unknown

  it("holds when the platform states again, with the same values, fields of the conflict we pushed back", () => {
    expect(repeatsLostConflict(stored({ ...notes, partySize: 4 }), notes)).toBe(true)
    expect(repeatsLostConflict(stored(notes), notes)).toBe(true)
  })

  it("does not hold for a field stated anew or differently, nor without a stored conflict", () => {
    expect(repeatsLostConflict(stored(notes), { ...notes, partySize: 4 })).toBe(false)
    expect(repeatsLostConflict(stored(notes), { notes: "birthday" })).toBe(false)
    expect(repeatsLostConflict(undefined, notes)).toBe(false)
    expect(repeatsLostConflict(null, notes)).toBe(false)
    expect(repeatsLostConflict(stored(notes), {})).toBe(false)
  })

  it("reads instants and tags as the echo test does: the platform's precision, tags as a set", () => {
    const at = stored({ reservationTime: "2030-06-07T17:00:00.000Z", allergies: ["Gluten", "dairy"] })
    expect(
      repeatsLostConflict(at, { reservationTime: "2030-06-07T17:00:00Z", allergies: ["DAIRY", "gluten"] }, "second")
    )
      .toBe(true)
  })

  it("keeps the platform's value of each disagreeing field", () => {
    expect(lostConflictOf({ partySize: 4, notes: "x", durationMin: 120 }, ["partySize", "notes"])).toEqual({
      partySize: 4,
      notes: "x"
    })
  })
})
