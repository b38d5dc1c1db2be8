import { Either } from "effect"
import { BAD_REQUEST, rejection, type TheForkRejected } from "./errors.js"
import type { RestaurantConfig } from "./seed.js"
import type { CreateInput, Customer, PatchInput, Reservation, StaffChange } from "./wire.js"

/** One restaurant's book: pure, so each change is applied atomically by the store. */
export interface Restaurant {
  readonly config: RestaurantConfig
  readonly reservations: ReadonlyMap<string, Reservation>
  readonly customers: ReadonlyMap<string, Customer>
  /** `PUT …/availabilities/override` (thefork.md): online slots opened or closed by the restaurant, by `date HH:mm`. */
  readonly overrides?: ReadonlyMap<string, boolean>
}

/** What a change did, and the thin event it raises (none for a no-op). */
export interface Change {
  readonly restaurant: Restaurant
  readonly reservation: Reservation
  readonly event: "reservationCreated" | "reservationUpdated" | null
}

type Result = Either.Either<Change, TheForkRejected>

const active = (r: Reservation) => r.status === "RECORDED" || r.status === "REQUESTED"
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b)

/** TheFork's DOUBLE_BOOKING: this guest already holds an active reservation at that time. ASSUMPTION on the rule. */
const doubleBooked = (r: Restaurant, customerUuid: string, mealDate: string, except?: string) =>
  [...r.reservations.values()].some((x) =>
    x.reservationUuid !== except && x.customerUuid === customerUuid && active(x) && sameInstant(x.mealDate, mealDate)
  )

const put = (r: Restaurant, reservation: Reservation, event: Change["event"], customer?: Customer): Change => ({
  restaurant: {
    ...r,
    reservations: new Map(r.reservations).set(reservation.reservationUuid, reservation),
    customers: customer === undefined ? r.customers : new Map(r.customers).set(customer.customerUuid, customer)
  },
  reservation,
  event
})

export const find = (r: Restaurant, id: string): Either.Either<Reservation, TheForkRejected> => {
  const found = r.reservations.get(id)
  return found === undefined ? Either.left(rejection(404, "RESERVATION_NOT_FOUND")) : Either.right(found)
}

/** ASSUMPTION: TheFork recognises a returning guest by e-mail. */
const guestFor = (r: Restaurant, input: CreateInput["customer"], nowIso: string): Customer => {
  const known = [...r.customers.values()].find((c) => c.email.toLowerCase() === input.email.toLowerCase())
  if (known !== undefined) {
    return { ...known, phone: known.phone ?? input.phone ?? null, lastUpdateDate: nowIso.slice(0, 10) }
  }
  return {
    customerUuid: crypto.randomUUID(),
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone ?? null,
    locale: input.locale,
    civility: input.civility,
    isVip: false,
    allergiesAndIntolerances: null,
    dietaryRestrictions: null,
    optins: { restaurantNewsletter: input.optins?.restaurantNewsletter ?? false },
    notes: null,
    creationDate: nowIso.slice(0, 10),
    lastUpdateDate: nowIso.slice(0, 10)
  }
}

export const create = (r: Restaurant, input: CreateInput, nowIso: string, channel: string): Result => {
  if (input.offerUuid !== undefined && !r.config.offers.some((o) => o.uuid === input.offerUuid)) {
    return Either.left(rejection(400, BAD_REQUEST))
  }
  const customer = guestFor(r, input.customer, nowIso)
  const mealDate = new Date(input.mealDate).toISOString()
  if (doubleBooked(r, customer.customerUuid, mealDate)) return Either.left(rejection(409, "DOUBLE_BOOKING"))
  const reservation: Reservation = {
    reservationUuid: crypto.randomUUID(),
    restaurantUuid: r.config.uuid,
    mealDate,
    mealStatus: null,
    partySize: input.partySize,
    status: r.config.autoConfirm ? "RECORDED" : "REQUESTED",
    offerUuid: input.offerUuid ?? null,
    customerNote: input.customerNote ?? null,
    restaurantNote: input.restaurantNote ?? null,
    customerUuid: customer.customerUuid,
    customFields: [],
    offerDetails: null,
    utmTrackingInformation: null,
    billAmount: null,
    reservationChannel: channel,
    createdAt: nowIso,
    updatedAt: nowIso
  }
  return Either.right(put(r, reservation, "reservationCreated", customer))
}

/** Only mealDate and partySize; a booking that is no longer active cannot move (ASSUMPTION: 400). */
export const patch = (r: Restaurant, id: string, input: PatchInput, nowIso: string): Result =>
  Either.flatMap(find(r, id), (current) => {
    if (!active(current)) return Either.left(rejection(400, BAD_REQUEST))
    const mealDate = new Date(input.mealDate).toISOString()
    if (doubleBooked(r, current.customerUuid, mealDate, id)) return Either.left(rejection(409, "DOUBLE_BOOKING"))
    const changed = current.partySize !== input.partySize || !sameInstant(current.mealDate, mealDate)
    return Either.right(
      changed
        ? put(r, { ...current, mealDate, partySize: input.partySize, updatedAt: nowIso }, "reservationUpdated")
        : { restaurant: r, reservation: current, event: null }
    )
  })

/** A second cancel is 409; a refused, no-show, seated or past reservation cannot be cancelled (which ones: ASSUMPTION). */
export const cancel = (r: Restaurant, id: string, nowMs: number, nowIso: string): Result =>
  Either.flatMap(find(r, id), (current) => {
    if (current.status === "CANCELED") return Either.left(rejection(409, "DOUBLE_CANCELLATION"))
    if (!active(current) || current.mealStatus !== null || Date.parse(current.mealDate) < nowMs) {
      return Either.left(rejection(400, "CANCELLATION_ERROR"))
    }
    return Either.right(put(r, { ...current, status: "CANCELED", updatedAt: nowIso }, "reservationUpdated"))
  })

/** Staff at the restaurant: any status, meal status, time or size; each raises `reservationUpdated`. */
export const staffChange = (r: Restaurant, id: string, change: StaffChange, nowIso: string): Result =>
  Either.map(find(r, id), (current) =>
    put(r, {
      ...current,
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.mealStatus === undefined ? {} : { mealStatus: change.mealStatus }),
      ...(change.partySize === undefined ? {} : { partySize: change.partySize }),
      ...(change.mealDate === undefined ? {} : { mealDate: new Date(change.mealDate).toISOString() }),
      ...(change.customerNote === undefined ? {} : { customerNote: change.customerNote }),
      ...(change.offerUuid === undefined ? {} : { offerUuid: change.offerUuid }),
      updatedAt: nowIso
    }, "reservationUpdated"))

/** Create and PATCH answers: the spec lists these fields only, with the guest embedded. */
export const withCustomer = (r: Restaurant, x: Reservation) => {
  const c = r.customers.get(x.customerUuid)
  return {
    reservationUuid: x.reservationUuid,
    restaurantUuid: x.restaurantUuid,
    mealDate: x.mealDate,
    mealStatus: x.mealStatus,
    partySize: x.partySize,
    status: x.status,
    offerUuid: x.offerUuid,
    customerNote: x.customerNote,
    restaurantNote: x.restaurantNote,
    customer: c === undefined
      ? null
      : {
        customerUuid: c.customerUuid,
        email: c.email,
        firstName: c.firstName,
        lastName: c.lastName,
        phone: c.phone,
        locale: c.locale,
        civility: c.civility,
        optins: c.optins
      }
  }
}

export const coversTaken = (r: Restaurant, mealDate: string) =>
  [...r.reservations.values()].filter((x) => active(x) && sameInstant(x.mealDate, mealDate)).reduce(
    (n, x) => n + x.partySize,
    0
  )
