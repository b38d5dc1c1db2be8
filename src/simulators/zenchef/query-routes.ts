import { Clock, Effect, Ref } from "effect"
import { json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import type { ApiHandler, RestaurantRequest } from "./api-route.js"
import { intParam, restaurantRoute } from "./api-route.js"
import { dayAvailability, openShifts } from "./availability.js"
import { addDays, dateOf, isLocalDate } from "./local-time.js"
import { fieldProblem, notFound, reject } from "./problems.js"
import type { StoredBooking } from "./state.js"
import { bookingsOf } from "./state.js"

const dateParam = (request: RestaurantRequest, name: string) => {
  const text = request.params[name] ?? ""
  return isLocalDate(text)
    ? Effect.succeed(text)
    : reject(fieldProblem(name.charAt(0).toUpperCase() + name.slice(1), "must be a date yyyy-mm-dd"))
}

const LATEST_FILTERS: Record<string, (stored: StoredBooking, since: number) => boolean> = {
  accepted: (s, since) => s.booking.status === "ACCEPTED" && s.createdAt >= since,
  changed: (s, since) => s.booking.status !== "CANCELLED" && s.changedAt !== null && s.changedAt >= since,
  canceled: (s, since) => s.canceledAt !== null && s.canceledAt >= since
}

/**
 * Booking lists and look-ups, availability, floor plan and products, as the Formitable v1.2 OpenAPI
 * lists them (github.com/mplus-software/formitable-api-client docs/Api/*.md); `booking/latest` is
 * the one route no public source shows.
 */
export const queryRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // bookingGetFutureBookings: `from` not before today, `days` 1-31 (zenchef.md).
  restaurantRoute("GET", "/{restaurantUid}/booking/{from}/{days}", (request) =>
    Effect.gen(function*() {
      const from = yield* dateParam(request, "from")
      const days = yield* intParam(request, "days", 1, 31)
      const today = dateOf(yield* request.core.nowLocal(request.restaurant))
      if (from < today) return yield* reject(fieldProblem("From", "must not be earlier than today"))
      const until = addDays(from, days)
      const bookings = bookingsOf(request.restaurant)
        .map((s) => s.booking)
        .filter((b) => dateOf(b.bookingDateTime) >= from && dateOf(b.bookingDateTime) < until)
      return json(200, bookings)
    })),
  // bookingGetBookingByExternalReferenceId: matches the `source` Formitable stored, not one a client sent.
  restaurantRoute(
    "GET",
    "/{restaurantUid}/booking/external/{source}/{externalReferenceId}",
    ({ restaurant, params }) => {
      const found = bookingsOf(restaurant)
        .filter((s) =>
          s.booking.source === params["source"] && s.booking.externalReferenceId === params["externalReferenceId"]
        )
        .sort((a, b) => b.createdAt - a.createdAt)[0]
      return found === undefined
        ? reject(notFound(`No booking with external reference ${params["source"]}/${params["externalReferenceId"]}`))
        : Effect.succeed(json(200, found.booking))
    }
  ),
  // ASSUMPTION: unconfirmed (design document only), behind a mode switch.
  restaurantRoute("GET", "/{restaurantUid}/booking/latest/{intervalMin}/{filter}", (request) =>
    Effect.gen(function*() {
      const { latestEndpoint } = yield* Ref.get(request.core.mode)
      // Unconfirmed endpoint: off means it does not exist at all.
      if (!latestEndpoint) return yield* reject(notFound("No such endpoint"))
      const minutes = yield* intParam(request, "intervalMin", 1, 7 * 24 * 60)
      const matches = LATEST_FILTERS[request.params["filter"] ?? ""]
      if (matches === undefined) return yield* reject(fieldProblem("Filter", "must be accepted, changed or canceled"))
      const since = (yield* Clock.currentTimeMillis) - minutes * 60_000
      return json(200, bookingsOf(request.restaurant).filter((s) => matches(s, since)).map((s) => s.booking))
    })),
  // AvailabilityApi.md: availability per day, `language` en or nl.
  restaurantRoute(
    "GET",
    "/{restaurantUid}/availability/day/{date}/{numberOfPeople}/{language}",
    (request) =>
      Effect.gen(function*() {
        const date = yield* dateParam(request, "date")
        const people = yield* intParam(request, "numberOfPeople", 1, 500)
        if (!["en", "nl"].includes(request.params["language"] ?? "")) {
          return yield* reject(fieldProblem("Language", "must be en or nl"))
        }
        const nowLocal = yield* request.core.nowLocal(request.restaurant)
        return json(200, dayAvailability(request.restaurant, date, people, nowLocal, request.query.get("productUid")))
      })
  ),
  restaurantRoute(
    "GET",
    "/{restaurantUid}/availability/open/{date}",
    (request) => Effect.map(dateParam(request, "date"), (date) => json(200, openShifts(request.restaurant, date)))
  ),
  // AreaApi.md, TableApi.md, ProductApi.md: floor plan and ticket products.
  restaurantRoute(
    "GET",
    "/{restaurantUid}/areas",
    ({ restaurant }) => Effect.succeed(json(200, restaurant.config.areas))
  ),
  restaurantRoute("GET", "/{restaurantUid}/areas/{areaId}", (request) =>
    Effect.gen(function*() {
      const id = yield* intParam(request, "areaId", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      const area = request.restaurant.config.areas.find((a) => a.id === id)
      return area === undefined ? yield* reject(notFound(`Area ${id} not found`)) : json(200, area)
    })),
  restaurantRoute(
    "GET",
    "/{restaurantUid}/tables",
    ({ restaurant }) => Effect.succeed(json(200, restaurant.config.tables))
  ),
  restaurantRoute("GET", "/{restaurantUid}/tables/area/{areaId}", (request) =>
    Effect.gen(function*() {
      const id = yield* intParam(request, "areaId", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      const { areas, tables } = request.restaurant.config
      if (!areas.some((a) => a.id === id)) return yield* reject(notFound(`Area ${id} not found`))
      return json(200, tables.filter((t) => t.areaId === id))
    })),
  restaurantRoute("GET", "/{restaurantUid}/tables/{tableId}", (request) =>
    Effect.gen(function*() {
      const id = yield* intParam(request, "tableId", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      const table = request.restaurant.config.tables.find((t) => t.id === id)
      return table === undefined ? yield* reject(notFound(`Table ${id} not found`)) : json(200, table)
    })),
  restaurantRoute(
    "GET",
    "/{restaurantUid}/product/ticket",
    ({ restaurant }) => Effect.succeed(json(200, restaurant.config.products))
  )
]
