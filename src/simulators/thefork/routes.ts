import { Effect, Ref } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import { cancel, coversTaken, create, patch, type Restaurant, withCustomer } from "./book.js"
import type { SimulatorCore } from "./core.js"
import { BAD_REQUEST, decodeStrict, parseJsonBody, reject, type TheForkRejected } from "./errors.js"
import { addDays, instantOf, isDate } from "./local-time.js"
import { AvailabilityOverride, CreateInput, PatchInput } from "./wire.js"

/** A request whose Bearer token has been checked: `clientId` is who it was issued to. */
export interface ApiRequest {
  readonly core: SimulatorCore
  readonly clientId: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly body: string
}

export type ApiHandler = (request: ApiRequest) => Effect.Effect<SimReply, TheForkRejected>

const ok = (value: unknown) => json(200, value)
const iso = (ms: number) => new Date(ms).toISOString()
const param = (r: ApiRequest, name: string) => r.params[name] ?? ""
const sees = (clientId: string) => (r: Restaurant) => r.config.clients.some((c) => c.clientId === clientId)

const restaurantFor = (r: ApiRequest) =>
  Effect.flatMap(Ref.get(r.core.restaurants), (all) => {
    const found = all.get(param(r, "id"))
    return found !== undefined && sees(r.clientId)(found) ? Effect.succeed(found) : reject(404, "RESTAURANT_NOT_FOUND")
  })

const body = <A, I>(r: ApiRequest, schema: Parameters<typeof decodeStrict<A, I>>[0]) =>
  Effect.flatMap(parseJsonBody(r.body), (value) => decodeStrict(schema, value))

const intQuery = (r: ApiRequest, name: string, fallback: number, max: number) => {
  const text = r.query.get(name)
  const n = text === null ? fallback : Number(text)
  return Number.isInteger(n) && n > 0 && n <= max ? Effect.succeed(n) : reject(400, BAD_REQUEST)
}

/** UUID pages only; one of restaurantUuid/groupUuid and both dates are required (thefork.md). */
const listReservations: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurantUuid = r.query.get("restaurantUuid")
    const groupUuid = r.query.get("groupUuid")
    const [startDate, endDate] = [r.query.get("startDate"), r.query.get("endDate")]
    const filterBy = r.query.get("filterBy") ?? "updatedDate"
    if (
      (restaurantUuid === null && groupUuid === null) || !isDate(startDate) || !isDate(endDate)
    ) return yield* reject(400, BAD_REQUEST)
    if (filterBy !== "updatedDate" && filterBy !== "mealDate") return yield* reject(400, BAD_REQUEST)
    const limit = yield* intQuery(r, "limit", 100, 10_000)
    const page = yield* intQuery(r, "page", 1, 1_000_000)
    const all = [...(yield* Ref.get(r.core.restaurants)).values()].filter(sees(r.clientId))
      .filter((x) => (restaurantUuid !== null ? x.config.uuid === restaurantUuid : x.config.groupUuid === groupUuid))
    const matching = all.flatMap((x) => [...x.reservations.values()])
      .filter((x) => {
        const day = (filterBy === "mealDate" ? x.mealDate : x.updatedAt).slice(0, 10)
        return day >= startDate && day <= endDate
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.reservationUuid.localeCompare(b.reservationUuid))
    const data = matching.slice((page - 1) * limit, page * limit).map((x) => x.reservationUuid)
    return ok({ data, totalCount: matching.length, page, limit })
  })

const getReservation: ApiHandler = (r) =>
  Effect.map(r.core.restaurantOf(param(r, "id"), sees(r.clientId)), (x) => ok(x.reservations.get(param(r, "id"))))

const patchReservation: ApiHandler = (r) =>
  Effect.gen(function*() {
    const input = yield* body(r, PatchInput)
    const restaurant = yield* r.core.restaurantOf(param(r, "id"), sees(r.clientId))
    const done = yield* r.core.apply(
      restaurant.config.uuid,
      "api",
      (x, now) => patch(x, param(r, "id"), input, iso(now))
    )
    return ok(withCustomer(done.restaurant, done.reservation))
  })

const cancelReservation: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* r.core.restaurantOf(param(r, "id"), sees(r.clientId))
    const done = yield* r.core.apply(
      restaurant.config.uuid,
      "api",
      (x, now) => cancel(x, param(r, "id"), now, iso(now))
    )
    const { reservationUuid, restaurantUuid, mealDate, partySize, status } = done.reservation
    return ok({ reservationUuid, restaurantUuid, mealDate, partySize, status })
  })

const createReservation: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* restaurantFor(r)
    const input = yield* body(r, CreateInput)
    const done = yield* r.core.apply(restaurant.config.uuid, "api", (x, now) =>
      create(x, input, iso(now), "TheFork Manager API"))
    return ok(withCustomer(done.restaurant, done.reservation))
  })

const slotsOf = (x: Restaurant, date: string, partySize: number) =>
  x.config.slots.map((hhmm) => {
    const at = iso(instantOf(date, hhmm, x.config.timeZone))
    const open = x.overrides?.get(`${date} ${hhmm}`) ?? true
    const hasNormalStock = open && x.config.coversPerSlot - coversTaken(x, at) >= partySize
    return {
      datetime: at,
      offers: hasNormalStock
        ? x.config.offers.map((o) => o.uuid)
        : [],
      hasNormalStock,
      hasPaymentGuaranteeRequirement: false,
      guaranteeRequirementList: []
    }
  })

const timeslots: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* restaurantFor(r)
    const date = r.query.get("date")
    if (!isDate(date)) return yield* reject(400, BAD_REQUEST)
    return ok(slotsOf(restaurant, date, yield* intQuery(r, "partySize", 2, 1000)))
  })

const availabilities: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* restaurantFor(r)
    const [startDate, endDate] = [r.query.get("startDate"), r.query.get("endDate")]
    if (!isDate(startDate) || !isDate(endDate) || endDate < startDate) return yield* reject(400, BAD_REQUEST)
    const partySize = yield* intQuery(r, "partySize", 2, 1000)
    const days = Array.from(
      { length: Math.min(62, (Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 + 1) },
      (_, i) => addDays(startDate, i)
    )
    return ok(days.map((date) => {
      const open = slotsOf(restaurant, date, partySize).some((s) => s.hasNormalStock)
      return { date, offerList: open ? restaurant.config.offers.map((o) => o.uuid) : [], hasNormalStock: open }
    }))
  })

const offers: ApiHandler = (r) =>
  Effect.flatMap(
    restaurantFor(r),
    (x) => (r.query.get("locale") === null ? reject(400, BAD_REQUEST) : Effect.succeed(ok(x.config.offers)))
  )

/** Opens or closes online slots: from `startTime` to `endTime` (inclusive), or that one slot. */
const overrideAvailability: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* restaurantFor(r)
    const input = yield* body(r, AvailabilityOverride)
    const end = input.endTime ?? input.startTime
    const changed = restaurant.config.slots.filter((hhmm) => hhmm >= input.startTime && hhmm <= end)
    const overrides = new Map(restaurant.overrides ?? [])
    for (const hhmm of changed) overrides.set(`${input.date} ${hhmm}`, input.isOpen)
    yield* Ref.update(
      r.core.restaurants,
      (all) => new Map(all).set(restaurant.config.uuid, { ...restaurant, overrides })
    )
    return ok({})
  })

/** ASSUMPTION: the customer list pages like the reservation list (UUIDs, `page`/`limit`) and needs the restaurant or group. */
const listCustomers: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurantUuid = r.query.get("restaurantUuid")
    const groupUuid = r.query.get("groupUuid")
    if (restaurantUuid === null && groupUuid === null) return yield* reject(400, BAD_REQUEST)
    const limit = yield* intQuery(r, "limit", 100, 10_000)
    const page = yield* intQuery(r, "page", 1, 1_000_000)
    const uuids = [...(yield* Ref.get(r.core.restaurants)).values()].filter(sees(r.clientId))
      .filter((x) => (restaurantUuid !== null ? x.config.uuid === restaurantUuid : x.config.groupUuid === groupUuid))
      .flatMap((x) => [...x.customers.keys()])
      .sort()
    return ok({ data: uuids.slice((page - 1) * limit, page * limit), totalCount: uuids.length, page, limit })
  })

const getCustomer: ApiHandler = (r) =>
  Effect.flatMap(Ref.get(r.core.restaurants), (all) => {
    const found = [...all.values()].filter(sees(r.clientId)).map((x) => x.customers.get(param(r, "id"))).find((c) =>
      c !== undefined
    )
    return found === undefined ? reject(404, "CUSTOMER_NOT_FOUND") : Effect.succeed(ok(found))
  })

/**
 * The caller lookup (thefork.md): the restaurant's guest with this phone number, with their
 * upcoming reservations; 404 PHONE_NUMBER_NOT_FOUND.
 */
const customerByPhone: ApiHandler = (r) =>
  Effect.gen(function*() {
    const restaurant = yield* restaurantFor(r)
    const phone = param(r, "phoneNumber")
    const found = [...restaurant.customers.values()].find((c) => c.phone === phone)
    if (found === undefined) return yield* reject(404, "PHONE_NUMBER_NOT_FOUND")
    const nextReservationsList = [...restaurant.reservations.values()]
      .filter((x) => x.customerUuid === found.customerUuid && x.status === "RECORDED")
      .map((x) => x.reservationUuid)
    const { customerUuid, email, firstName, lastName } = found
    return ok({ customerUuid, firstName, lastName, phone: found.phone, email, nextReservationsList })
  })

/*
 * Each route is an operation of TheFork's B2B API specification (docs.thefork.io/B2B-API, "API
 * specifications"; the same operation objects as OpenAPI in github.com/api-evangelist/lafourchette
 * openapi/lafourchette-b2b-api-openapi.yml). Request bodies are `additionalProperties: false` there,
 * so an unknown field is a 400; another method on a known path is a 405.
 */
export const apiRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // getV1Reservations: `{data: [uuid], totalCount, page, limit}`.
  route("GET", "/v1/reservations", listReservations),
  // getV1ReservationsId: the reservation, the guest by `customerUuid` only.
  route("GET", "/v1/reservations/{id}", getReservation),
  // patchV1ReservationsId: `{mealDate, partySize}`, both required, nothing else.
  route("PATCH", "/v1/reservations/{id}", patchReservation),
  // patchV1ReservationsIdCancel: no body; 409 DOUBLE_CANCELLATION, 400 CANCELLATION_ERROR.
  route("PATCH", "/v1/reservations/{id}/cancel", cancelReservation),
  // postV1RestaurantsIdReservations: closed body, answer with the embedded `customer`.
  route("POST", "/v1/restaurants/{id}/reservations", createReservation),
  // getV1RestaurantsIdTimeslots, getV1RestaurantsIdAvailabilities, getV1RestaurantsIdOffers.
  route("GET", "/v1/restaurants/{id}/timeslots", timeslots),
  route("GET", "/v1/restaurants/{id}/availabilities", availabilities),
  route("GET", "/v1/restaurants/{id}/offers", offers),
  // getV1CustomersId: 404 CUSTOMER_NOT_FOUND.
  route("GET", "/v1/customers/{id}", getCustomer),
  route("GET", "/v1/customers", listCustomers),
  // getV1RestaurantsIdCustomersPhonePhoneNumber: the caller lookup.
  route("GET", "/v1/restaurants/{id}/customers/phone/{phoneNumber}", customerByPhone),
  route("PUT", "/v1/restaurants/{id}/availabilities/override", overrideAvailability)
]
