import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Option, Schema } from "effect"
import {
  type BookingInput,
  bookingRefusalReasons,
  checkBooking,
  computeAvailability,
  masterMayOverrule
} from "../../src/domain/availability.js"
import { diningService, type Offer, offer, type Reservation, reservation } from "../../src/domain/entities.js"
import { DiningServiceId, OfferId, ReservationId } from "../../src/domain/ids.js"
import { localToInstant } from "../../src/domain/local-time.js"
import type { ReservationStatus } from "../../src/domain/status.js"

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`
let next = 0
const stamps = { createdAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" }

const service = (fields: Partial<typeof diningService.Create.Encoded> = {}) => ({
  ...Schema.decodeSync(diningService.Create)({
    restaurantId: "r1",
    name: "Dîner",
    dayOfWeek: [2, 3, 4, 5, 6],
    startTime: "19:00",
    endTime: "23:00",
    lastSeatingTime: "21:30",
    maxCovers: 20,
    slotIntervalMin: 30,
    defaultDurationMin: 90,
    ...fields
  }),
  id: DiningServiceId.make(uuid(++next)),
  ...stamps
})

const booking = (
  time: string,
  partySize: number,
  fields: { durationMin?: number | null; status?: ReservationStatus; serviceId?: string | null } = {}
): Reservation => ({
  ...Schema.decodeSync(reservation.Create)({
    restaurantId: "r1",
    customerName: "Dupont",
    customerPhone: "+33600000000",
    partySize,
    reservationTime: time,
    ...fields
  }),
  id: ReservationId.make(uuid(++next)),
  version: 1,
  ...stamps
})

const anOffer = (fields: Partial<typeof offer.Create.Encoded> = {}): Offer => ({
  ...Schema.decodeSync(offer.Create)({ restaurantId: "r1", name: "Menu du marché", ...fields }),
  id: OfferId.make(uuid(++next)),
  ...stamps
})

const dinner = service()
const tuesday = "2025-06-10" // Paris is UTC+2 in June
const paris = "Europe/Paris"
const slotsFor = (input: Partial<Parameters<typeof computeAvailability>[0]> = {}) =>
  computeAvailability({ date: tuesday, partySize: 2, timezone: paris, services: [dinner], reservations: [], ...input })
const localTimes = (input: Partial<Parameters<typeof computeAvailability>[0]> = {}) =>
  slotsFor(input).map((s) => s.localTime)
const remaining = (input: Partial<Parameters<typeof computeAvailability>[0]>) =>
  Object.fromEntries(slotsFor(input).map((s) => [s.localTime, s.remainingCovers]))

describe("computeAvailability (R-11.2)", () => {
  it("offers every interval from the start to the last seating, named after its service, as UTC instants", () => {
    const slots = slotsFor()
    expect(slots.map((s) => s.localTime)).toEqual(["19:00", "19:30", "20:00", "20:30", "21:00", "21:30"])
    expect(slots[0]).toEqual({
      time: "2025-06-10T17:00:00.000Z",
      localTime: "19:00",
      serviceId: dinner.id,
      serviceName: "Dîner",
      remainingCovers: 20
    })
  })

  it.prop(
    "slots respect the interval and never pass the last seating",
    [
      FastCheck.integer({ min: 5, max: 120 }),
      FastCheck.integer({ min: 0, max: 23 * 60 - 1 }),
      FastCheck.integer({ min: 0, max: 300 })
    ],
    ([interval, start, span]) => {
      const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
      const last = Math.min(start + span, 23 * 60 + 59)
      const s = service({
        startTime: hhmm(start),
        endTime: "23:59",
        lastSeatingTime: hhmm(last),
        slotIntervalMin: interval
      })
      const minutes = localTimes({ services: [s] }).map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)))
      expect(minutes[0]).toBe(start)
      minutes.slice(1).forEach((m, i) => expect(m - minutes[i]!).toBe(interval))
      expect(minutes.at(-1)! <= last && minutes.at(-1)! + interval > last).toBe(true)
    }
  )

  it("without a last seating, the last slot leaves the default duration before closing", () => {
    expect(localTimes({ services: [service({ lastSeatingTime: null, slotIntervalMin: 45 })] })).toEqual([
      "19:00",
      "19:45",
      "20:30",
      "21:15"
    ])
  })

  it("offers nothing on a day the service does not run, nor for a private or inactive service", () => {
    expect(slotsFor({ date: "2025-06-09" })).toEqual([])
    expect(slotsFor({ services: [service({ isPrivate: true }), service({ isActive: false })] })).toEqual([])
  })

  it("a full service offers no slot", () => {
    expect(
      slotsFor({ reservations: [booking("2025-06-10T17:00:00Z", 20, { durationMin: 240, serviceId: dinner.id })] })
    ).toEqual([])
    expect(
      localTimes({
        reservations: [booking("2025-06-10T17:00:00Z", 19, { durationMin: 240, serviceId: dinner.id })],
        partySize: 1
      })
    )
      .toHaveLength(6)
  })

  it("a party larger than the capacity gets no slot", () => {
    expect(slotsFor({ partySize: 21 })).toEqual([])
    expect(slotsFor({ partySize: 20 })).toHaveLength(6)
  })

  it("a cancelled reservation or a no-show frees its covers", () => {
    for (const status of ["cancelled", "no_show"] as const) {
      const r = booking("2025-06-10T17:00:00Z", 20, { durationMin: 240, serviceId: dinner.id, status })
      expect(localTimes({ reservations: [r] })).toHaveLength(6)
    }
  })

  it("a reservation holds its covers over [time, time + duration), the default duration when it has none", () => {
    const r = booking("2025-06-10T17:00:00Z", 8, { serviceId: dinner.id })
    expect(remaining({ reservations: [r] })).toEqual({
      "19:00": 12,
      "19:30": 12,
      "20:00": 12,
      "20:30": 20,
      "21:00": 20,
      "21:30": 20
    })
    const late = booking("2025-06-10T19:00:00Z", 8, { serviceId: dinner.id, durationMin: 30 })
    expect(remaining({ reservations: [late] })).toEqual({
      "19:00": 20,
      "19:30": 20,
      "20:00": 12,
      "20:30": 12,
      "21:00": 12,
      "21:30": 20
    })
  })

  it("counts the busiest moment of the stay, not guests who leave before others arrive", () => {
    const early = booking("2025-06-10T17:00:00Z", 10, { serviceId: dinner.id })
    const later = booking("2025-06-10T18:30:00Z", 10, { serviceId: dinner.id })
    expect(remaining({ reservations: [early, later] })["20:00"]).toBe(10)
  })

  it("counts a reservation without service only when it falls in the service's hours, never another service's", () => {
    const lunch = service({ name: "Déjeuner", startTime: "12:00", endTime: "15:00", lastSeatingTime: null })
    const reservations = [
      booking("2025-06-10T17:00:00Z", 5, { serviceId: null }),
      booking("2025-06-10T17:00:00Z", 4, { serviceId: lunch.id }),
      booking("2025-06-10T10:00:00Z", 3, { serviceId: null })
    ]
    expect(remaining({ reservations })["19:00"]).toBe(15)
    expect(remaining({ reservations, services: [lunch] })["12:00"]).toBe(17)
  })

  it("does not offer slots already past", () => {
    expect(localTimes({ now: new Date("2025-06-10T18:10:00Z") })).toEqual(["20:30", "21:00", "21:30"])
  })

  it("lists several services in time order, each slot naming its own", () => {
    const lunch = service({ name: "Déjeuner", startTime: "12:00", endTime: "14:00", lastSeatingTime: "12:30" })
    expect(slotsFor({ services: [dinner, lunch] }).map((s) => `${s.localTime} ${s.serviceName}`).slice(0, 3))
      .toEqual(["12:00 Déjeuner", "12:30 Déjeuner", "19:00 Dîner"])
  })

  it("places slots on the right instants across the DST changes in Europe/Paris", () => {
    const sunday = service({ dayOfWeek: [6, 7] })
    const at = (date: string) => slotsFor({ date, services: [sunday] })[0]!.time
    expect(at("2025-03-29")).toBe("2025-03-29T18:00:00.000Z")
    expect(at("2025-03-30")).toBe("2025-03-30T17:00:00.000Z")
    expect(at("2025-10-25")).toBe("2025-10-25T17:00:00.000Z")
    expect(at("2025-10-26")).toBe("2025-10-26T18:00:00.000Z")
  })

  it("skips the hour that does not exist in spring, and counts durations in real time", () => {
    const night = service({
      dayOfWeek: [7],
      startTime: "01:00",
      endTime: "05:00",
      lastSeatingTime: "03:30",
      defaultDurationMin: 60
    })
    const input = { date: "2025-03-30", services: [night] }
    expect(slotsFor(input).map((s) => [s.localTime, s.time])).toEqual([
      ["01:00", "2025-03-30T00:00:00.000Z"],
      ["01:30", "2025-03-30T00:30:00.000Z"],
      ["03:00", "2025-03-30T01:00:00.000Z"],
      ["03:30", "2025-03-30T01:30:00.000Z"]
    ])
    // 01:30 CET plus one hour is 03:30 CEST: the 03:00 slot still overlaps it.
    const r = booking("2025-03-30T00:30:00Z", 20, { serviceId: night.id })
    expect(localTimes({ ...input, reservations: [r] })).toEqual(["03:30"])
  })

  it("gives the repeated autumn hour its first occurrence", () => {
    expect(localToInstant("2025-10-26", "02:30", paris)).toEqual(Option.some(new Date("2025-10-26T00:30:00Z")))
    expect(localToInstant("2025-10-26", "03:00", paris)).toEqual(Option.some(new Date("2025-10-26T02:00:00Z")))
    expect(localToInstant("2025-03-30", "02:30", paris)).toEqual(Option.none())
  })
})

const check = (input: Partial<BookingInput> & { time: string }) =>
  checkBooking({ partySize: 2, timezone: paris, services: [dinner], reservations: [], ...input })
const reason = (input: Partial<BookingInput> & { time: string }) =>
  Either.match(check(input), { onLeft: (r) => r.reason, onRight: (m) => `${m.service.name} ${m.localTime}` })

describe("checkBooking (confirm_reservation)", () => {
  it("accepts a booking at the last seating time and refuses one after it", () => {
    expect(reason({ time: "2025-06-10T19:30:00Z" })).toBe("Dîner 21:30")
    expect(reason({ time: "2025-06-10T19:31:00Z" })).toBe("after_last_seating")
    expect(Either.getLeft(check({ time: "2025-06-10T19:45:00Z" })).pipe(Option.map((r) => r.message)))
      .toEqual(Option.some("The last seating of Dîner is at 21:30."))
  })

  it("refuses outside the service's hours and days", () => {
    expect(reason({ time: "2025-06-10T16:59:00Z" })).toBe("closed")
    expect(reason({ time: "2025-06-10T21:00:00Z" })).toBe("closed")
    expect(reason({ time: "2025-06-09T17:00:00Z" })).toBe("closed")
    expect(reason({ time: "2025-06-10T17:00:00Z", now: new Date("2025-06-10T17:30:00Z") })).toBe("closed")
  })

  it("checks the capacity at that exact time", () => {
    const full = booking("2025-06-10T17:00:00Z", 19, { serviceId: dinner.id })
    expect(reason({ time: "2025-06-10T17:30:00Z", reservations: [full] })).toBe("full")
    expect(reason({ time: "2025-06-10T17:30:00Z", reservations: [full], partySize: 1 })).toBe("Dîner 19:30")
    expect(reason({ time: "2025-06-10T18:30:00Z", reservations: [full] })).toBe("Dîner 20:30")
    expect(reason({ time: "2025-06-10T17:30:00Z", reservations: [{ ...full, status: "cancelled" }] })).toBe(
      "Dîner 19:30"
    )
    expect(reason({ time: "2025-06-10T17:30:00Z", partySize: 21 })).toBe("party_too_large")
  })

  it("honours a chosen service and refuses an unknown, private or inactive one", () => {
    const lunch = service({ name: "Déjeuner", startTime: "12:00", endTime: "15:00", lastSeatingTime: null })
    const hidden = service({ isPrivate: true })
    const services = [dinner, lunch, hidden]
    expect(reason({ time: "2025-06-10T17:00:00Z", services, serviceId: dinner.id })).toBe("Dîner 19:00")
    expect(reason({ time: "2025-06-10T17:00:00Z", services, serviceId: lunch.id })).toBe("closed")
    expect(reason({ time: "2025-06-10T17:00:00Z", services, serviceId: hidden.id })).toBe("unknown_service")
    expect(reason({ time: "2025-06-10T17:00:00Z", services, serviceId: uuid(999) })).toBe("unknown_service")
  })

  it("applies the offer's rules: active, bookable, within its dates, party size", () => {
    const time = "2025-06-10T17:00:00Z"
    const dated = { startDate: "2025-06-01", endDate: "2025-06-30", isPermanent: false }
    expect(reason({ time, offer: anOffer(dated) })).toBe("Dîner 19:00")
    expect(reason({ time, offer: anOffer({ isActive: false }) })).toBe("offer_unavailable")
    expect(reason({ time, offer: anOffer({ isBookable: false }) })).toBe("offer_unavailable")
    expect(reason({ time, offer: anOffer({ ...dated, endDate: "2025-06-09" }) })).toBe("offer_unavailable")
    expect(reason({ time, offer: anOffer({ ...dated, startDate: "2025-06-11" }) })).toBe("offer_unavailable")
    expect(reason({ time, offer: anOffer({ minPartySize: 3 }) })).toBe("offer_party_size")
    expect(reason({ time, offer: anOffer({ maxPartySize: 1 }) })).toBe("offer_party_size")
    expect(
      Either.getLeft(check({ time, offer: anOffer({ name: "Duo", minPartySize: 3, maxPartySize: 4 }) })).pipe(
        Option.map((r) => r.message)
      )
    )
      .toEqual(Option.some("The offer \"Duo\" is for at least 3 and at most 4 guests."))
    expect(reason({ time, offer: anOffer({ minPartySize: 2, maxPartySize: 2 }) })).toBe("Dîner 19:00")
  })

  it("places a booking after midnight in the service that started the day before", () => {
    const late = service({
      name: "Nuit",
      dayOfWeek: [5],
      startTime: "22:00",
      endTime: "02:00",
      lastSeatingTime: "00:30"
    })
    const friday = computeAvailability({
      date: "2025-06-13",
      partySize: 2,
      timezone: paris,
      services: [late],
      reservations: []
    })
    expect(friday.map((s) => s.localTime)).toEqual(["22:00", "22:30", "23:00", "23:30", "00:00", "00:30"])
    expect(friday.at(-1)!.time).toBe("2025-06-13T22:30:00.000Z")
    const matched = check({ time: "2025-06-13T22:30:00Z", services: [late] })
    expect(Either.map(matched, (m) => [m.serviceDate, m.localTime])).toEqual(Either.right(["2025-06-13", "00:30"]))
    expect(reason({ time: "2025-06-13T22:45:00Z", services: [late] })).toBe("after_last_seating")
  })

  const gridTime = (i: number) => new Date(Date.parse("2025-06-10T17:00:00Z") + i * 1_800_000).toISOString()
  const drawnBooking = FastCheck.record({
    slot: FastCheck.nat(5),
    size: FastCheck.integer({ min: 1, max: 9 }),
    cancelled: FastCheck.boolean()
  })

  it.prop(
    "accepts exactly the offered slots, with the same covers left",
    [FastCheck.array(drawnBooking, { maxLength: 8 }), FastCheck.integer({ min: 1, max: 8 })],
    ([drawn, partySize]) => {
      const reservations = drawn.map((d) =>
        booking(gridTime(d.slot), d.size, { status: d.cancelled ? "cancelled" : "confirmed", serviceId: dinner.id })
      )
      const offered = new Map(slotsFor({ reservations, partySize }).map((s) => [s.time, s.remainingCovers]))
      for (let i = 0; i < 6; i++) {
        const time = gridTime(i)
        const result = check({ time, reservations, partySize })
        expect(Either.isRight(result) ? result.right.remainingCovers : result.left.reason).toEqual(
          offered.get(time) ?? "full"
        )
      }
    }
  )
})

describe("masterMayOverrule (R-11.2)", () => {
  it("lets a master platform's book overrule what our services say, never a time, service or offer rule, nor what the master itself needs", () => {
    expect(bookingRefusalReasons).toHaveLength(9)
    const overruled = bookingRefusalReasons.filter(masterMayOverrule)
    expect(overruled).toEqual(["closed", "after_last_seating", "full", "party_too_large"])
  })
})
