import { Either, Option } from "effect"
import type { DiningService, Offer, Reservation } from "./entities.js"
import type { DiningServiceId, EntityType } from "./ids.js"
import { addDays, formatMinutes, instantToLocal, isoWeekday, localToInstant, toMinutes } from "./local-time.js"

/** R-11.2: availability from the services' capacity minus the existing reservations. */
export interface Slot {
  /** ISO instant (UTC). */
  readonly time: string
  /** The restaurant's wall clock, HH:MM. */
  readonly localTime: string
  readonly serviceId: DiningServiceId
  readonly serviceName: string
  readonly remainingCovers: number
}

export interface AvailabilityInput {
  /** YYYY-MM-DD, restaurant-local. */
  readonly date: string
  readonly partySize: number
  /** IANA zone of the restaurant. */
  readonly timezone: string
  readonly services: ReadonlyArray<DiningService>
  readonly reservations: ReadonlyArray<Reservation>
  readonly now?: Date | undefined
}

export const isBookableService = (s: DiningService): boolean => s.isActive && !s.isPrivate

export const isBookableOffer = (o: Offer): boolean => o.isActive && o.isBookable

/** Dates, when set, bound the offer whatever `isPermanent` says: a stale offer is never sold. */
export const isOfferValidOn = (o: Offer, date: string): boolean =>
  (o.startDate === null || o.startDate <= date) && (o.endDate === null || o.endDate >= date)

/**
 * Minutes from the service day's midnight. A service whose end is not after its start runs past
 * midnight, so its later times exceed 1440. Without a last seating, the last guest still gets the
 * default duration before closing.
 */
export const serviceWindow = (s: DiningService) => {
  const start = toMinutes(s.startTime)
  const wraps = toMinutes(s.endTime) <= start
  const end = toMinutes(s.endTime) + (wraps ? 1440 : 0)
  const seating = s.lastSeatingTime === null ? null : toMinutes(s.lastSeatingTime)
  const lastSeating = seating === null ? end - s.defaultDurationMin : seating + (wraps && seating < start ? 1440 : 0)
  return { start, end, lastSeating }
}

/**
 * R-2.2 (issue 20, item 5): a last seating lies within its service's window, start to end (past
 * midnight for a service that ends after it), or the service would offer slots that confirmation
 * refuses. The message names what is wrong; none when the service is consistent.
 */
export const lastSeatingProblem = (
  s: Pick<DiningService, "startTime" | "endTime" | "lastSeatingTime">
): Option.Option<string> => {
  if (s.lastSeatingTime === null) return Option.none()
  const start = toMinutes(s.startTime)
  const wraps = toMinutes(s.endTime) <= start
  const end = toMinutes(s.endTime) + (wraps ? 1440 : 0)
  const seating = toMinutes(s.lastSeatingTime) + (wraps && toMinutes(s.lastSeatingTime) < start ? 1440 : 0)
  return seating >= start && seating <= end
    ? Option.none()
    : Option.some(`must be within the service, ${s.startTime} to ${s.endTime}`)
}

/**
 * An offer no booking could ever take: more guests at least than at most, or an end before its
 * start. Each such field with what is wrong with it; none for a consistent offer.
 */
export const offerProblems = (
  o: Pick<Offer, "minPartySize" | "maxPartySize" | "startDate" | "endDate">
): ReadonlyArray<RuleProblem> => [
  ...(o.minPartySize !== null && o.maxPartySize !== null && o.minPartySize > o.maxPartySize
    ? [{ path: "maxPartySize", message: `must not be below minPartySize (${o.minPartySize})` }]
    : []),
  ...(o.startDate !== null && o.endDate !== null && o.endDate < o.startDate
    ? [{ path: "endDate", message: `must not be before startDate (${o.startDate})` }]
    : [])
]

/** What breaks a rule across a record's fields: the field, and what is wrong with it. */
export interface RuleProblem {
  readonly path: string
  readonly message: string
}

const recordRules: Partial<Record<EntityType, (fields: never) => ReadonlyArray<RuleProblem>>> = {
  dining_service: (service: DiningService) =>
    Option.match(lastSeatingProblem(service), {
      onNone: () => [],
      onSome: (message) => [{ path: "lastSeatingTime", message }]
    }),
  offer: offerProblems
}

/** Whether records of this type have rules across their fields, which a PATCH is checked against merged with what is stored. */
export const hasRecordRules = (entityType: EntityType): boolean => recordRules[entityType] !== undefined

/** The rules across fields a record breaks, as it would be written; none for a type without such rules. */
export const recordRuleProblems = (entityType: EntityType, fields: object): ReadonlyArray<RuleProblem> =>
  recordRules[entityType]?.(fields as never) ?? []

const runsOn = (s: DiningService, date: string) => s.dayOfWeek.includes(isoWeekday(date))

/** Where an instant sits in the service: on the service day it started, if inside [start, end). */
const placeInService = (s: DiningService, at: Date, timezone: string) => {
  const local = instantToLocal(at, timezone)
  const { end, start } = serviceWindow(s)
  const minutes = toMinutes(local.time)
  const days = [{ date: local.date, minutes }, { date: addDays(local.date, -1), minutes: minutes + 1440 }]
  return Option.fromNullable(days.find((d) => runsOn(s, d.date) && d.minutes >= start && d.minutes < end))
}

const MINUTE_MS = 60_000
const holdsCovers = (r: Reservation) => r.status !== "cancelled" && r.status !== "no_show"

const occupancies = (s: DiningService, reservations: ReadonlyArray<Reservation>, timezone: string) =>
  reservations
    .filter((r) => holdsCovers(r))
    .map((r) => ({ r, start: Date.parse(r.reservationTime) }))
    .filter(({ r, start }) =>
      r.serviceId === null ? Option.isSome(placeInService(s, new Date(start), timezone)) : r.serviceId === s.id
    )
    .map(({ r, start }) => ({
      start,
      end: start + (r.durationMin ?? s.defaultDurationMin) * MINUTE_MS,
      covers: r.partySize
    }))

type Occupancy = ReturnType<typeof occupancies>[number]

/**
 * Covers still free for a table held over [from, to): the service's maximum minus the busiest
 * moment of that stay, so guests leaving before others arrive do not count twice.
 */
const remainingCovers = (s: DiningService, booked: ReadonlyArray<Occupancy>, from: number) => {
  const to = from + s.defaultDurationMin * MINUTE_MS
  const overlapping = booked.filter((o) => o.start < to && o.end > from)
  const moments = [from, ...overlapping.map((o) => o.start).filter((t) => t > from)]
  const load = (t: number) => overlapping.reduce((sum, o) => (o.start <= t && t < o.end ? sum + o.covers : sum), 0)
  return Math.max(0, s.maxCovers - Math.max(...moments.map(load)))
}

const byTimeThenName = (a: Slot, b: Slot) => a.time.localeCompare(b.time) || a.serviceName.localeCompare(b.serviceName)

export const computeAvailability = (input: AvailabilityInput): ReadonlyArray<Slot> =>
  input.services
    .filter((s) => isBookableService(s) && runsOn(s, input.date))
    .flatMap((s) => {
      const { lastSeating, start } = serviceWindow(s)
      const booked = occupancies(s, input.reservations, input.timezone)
      const slots: Array<Slot> = []
      for (let m = start; m <= lastSeating; m += s.slotIntervalMin) {
        const at = localToInstant(input.date, m, input.timezone)
        if (Option.isNone(at) || (input.now !== undefined && at.value < input.now)) continue
        const remaining = remainingCovers(s, booked, at.value.getTime())
        if (remaining < input.partySize) continue
        slots.push({
          time: at.value.toISOString(),
          localTime: formatMinutes(m),
          serviceId: s.id,
          serviceName: s.name,
          remainingCovers: remaining
        })
      }
      return slots
    })
    .sort(byTimeThenName)

export const bookingRefusalReasons = [
  "closed",
  "after_last_seating",
  "full",
  "party_too_large",
  "offer_unavailable",
  "offer_party_size",
  "unknown_service",
  /** Between two of the service's slots: only what check_availability offers is confirmed. */
  "not_a_slot",
  /** The platform master of the restaurant's bookings cannot book this guest without their e-mail. */
  "email_needed"
] as const
export type BookingRefusalReason = typeof bookingRefusalReasons[number]

/**
 * the local refusals a master platform's book overrules, where it offers the time: they
 * come from our services, which may lag behind that book or not be described at all. A past time,
 * an unknown service and an offer's rules stand whatever the platform offers.
 */
export const masterMayOverrule = (reason: BookingRefusalReason): boolean =>
  reason === "closed" || reason === "full" || reason === "after_last_seating" || reason === "party_too_large"

export interface BookingRefusal {
  readonly reason: BookingRefusalReason
  readonly message: string
}

export interface MatchedService {
  readonly service: DiningService
  /** The service day (the day before for a booking after midnight) and the wall clock. */
  readonly serviceDate: string
  readonly localTime: string
  /** Covers free at that time before this booking. */
  readonly remainingCovers: number
}

export interface BookingInput extends Omit<AvailabilityInput, "date"> {
  /** Unused (the instant carries its day), so an availability input can be spread in. */
  readonly date?: string | undefined
  /** ISO instant requested. */
  readonly time: string
  readonly serviceId?: string | null | undefined
  readonly offer?: Offer | null | undefined
}

const refuse = (reason: BookingRefusalReason, message: string) => Either.left<BookingRefusal>({ reason, message })

const offerRefusal = (offer: Offer, partySize: number, date: string): Option.Option<BookingRefusal> => {
  if (!isBookableOffer(offer) || !isOfferValidOn(offer, date)) {
    return Option.some({
      reason: "offer_unavailable",
      message: `The offer "${offer.name}" cannot be booked on ${date}.`
    })
  }
  const tooFew = offer.minPartySize !== null && partySize < offer.minPartySize
  const tooMany = offer.maxPartySize !== null && partySize > offer.maxPartySize
  const bounds = [
    ...(offer.minPartySize === null ? [] : [`at least ${offer.minPartySize}`]),
    ...(offer.maxPartySize === null ? [] : [`at most ${offer.maxPartySize}`])
  ].join(" and ")
  return tooFew || tooMany
    ? Option.some({ reason: "offer_party_size", message: `The offer "${offer.name}" is for ${bounds} guests.` })
    : Option.none()
}

/** Used by confirm_reservation: which service takes this booking, or why none can. */
export const checkBooking = (input: BookingInput): Either.Either<MatchedService, BookingRefusal> => {
  const at = new Date(input.time)
  if (Number.isNaN(at.getTime())) return refuse("closed", `"${input.time}" is not a valid time.`)
  const requested = input.serviceId == null ? undefined : input.services.find((s) => s.id === input.serviceId)
  if (input.serviceId != null && (requested === undefined || !isBookableService(requested))) {
    return refuse("unknown_service", `No bookable service has the id ${input.serviceId}.`)
  }
  const local = instantToLocal(at, input.timezone)
  const offerProblem = input.offer == null ? Option.none() : offerRefusal(input.offer, input.partySize, local.date)
  if (Option.isSome(offerProblem)) return Either.left(offerProblem.value)
  if (input.now !== undefined && at < input.now) return refuse("closed", "That time has already passed.")

  const placed = (requested === undefined ? input.services.filter(isBookableService) : [requested]).flatMap((service) =>
    Option.match(placeInService(service, at, input.timezone), {
      onNone: () => [],
      onSome: (day) => [{ service, ...day, window: serviceWindow(service) }]
    })
  )
  if (placed.length === 0) return refuse("closed", `No service is open at ${local.date} ${local.time}.`)
  const seatable = placed.filter((p) => p.minutes <= p.window.lastSeating)
  if (seatable.length === 0) {
    const last = formatMinutes(placed[0]!.window.lastSeating)
    return refuse("after_last_seating", `The last seating of ${placed[0]!.service.name} is at ${last}.`)
  }
  const bigEnough = seatable.filter((p) => p.service.maxCovers >= input.partySize)
  if (bigEnough.length === 0) {
    return refuse(
      "party_too_large",
      `A party of ${input.partySize} exceeds the capacity of ${seatable[0]!.service.name}.`
    )
  }
  const withRoom = bigEnough
    .map((p) => ({
      ...p,
      remaining: remainingCovers(p.service, occupancies(p.service, input.reservations, input.timezone), at.getTime())
    }))
    .filter((p) => p.remaining >= input.partySize)
    .sort((a, b) => a.window.start - b.window.start || a.service.name.localeCompare(b.service.name))
  const chosen = withRoom[0]
  if (chosen === undefined) return refuse("full", `${bigEnough[0]!.service.name} is full at ${local.time}.`)
  return Either.right({
    service: chosen.service,
    serviceDate: chosen.date,
    localTime: local.time,
    remainingCovers: chosen.remaining
  })
}
