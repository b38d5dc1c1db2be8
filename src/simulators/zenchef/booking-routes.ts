import { Effect, Ref } from "effect"
import { empty, json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import type { ApiHandler } from "./api-route.js"
import { decodeBody, restaurantRoute } from "./api-route.js"
import { cancelBooking, createBooking, findBooking, newBookingUid, toggleVisit } from "./bookings.js"
import { fromEither } from "./problems.js"
import type { BookingChange } from "./state.js"
import { updateBooking } from "./update.js"
import { BookingCreate, BookingUpdate } from "./wire.js"

/** The Booking as answered, with `warnings` only when placement reported some. */
export const bookingReply = (change: BookingChange, status = 200) =>
  json(status, change.warnings.length === 0 ? change.booking : { ...change.booking, warnings: change.warnings })

/** Create, read, update, cancel, check-in and check-out of one booking. */
export const bookingRoutes: ReadonlyArray<Route<ApiHandler>> = [
  restaurantRoute("POST", "/{restaurantUid}/booking", ({ core, restaurant, body }) =>
    Effect.gen(function* () {
      const input = yield* decodeBody(BookingCreate, body)
      const uid = newBookingUid()
      const change = yield* core.apply(restaurant.config.uid, "api", (current, ctx) => createBooking(current, input, uid, "api", ctx))
      return bookingReply(change)
    })
  ),
  restaurantRoute("GET", "/{restaurantUid}/booking/{uid}", ({ restaurant, params }) =>
    Effect.map(fromEither(findBooking(restaurant, params["uid"] ?? "")), (stored) => json(200, stored.booking))
  ),
  restaurantRoute("PUT", "/{restaurantUid}/booking/{uid}", ({ core, restaurant, params, body }) =>
    Effect.gen(function* () {
      const uid = params["uid"] ?? ""
      // An unknown booking is a 404 even when the body is invalid too.
      yield* fromEither(findBooking(restaurant, uid))
      const input = yield* decodeBody(BookingUpdate, body)
      const { updateMode } = yield* Ref.get(core.mode)
      const change = yield* core.apply(restaurant.config.uid, "api", (current, ctx) => updateBooking(current, uid, input, updateMode, ctx))
      return bookingReply(change)
    })
  ),
  restaurantRoute("DELETE", "/{restaurantUid}/booking/{uid}", ({ core, restaurant, params }) =>
    Effect.as(
      core.apply(restaurant.config.uid, "api", (current, ctx) => cancelBooking(current, params["uid"] ?? "", ctx)),
      empty(200)
    )
  ),
  restaurantRoute("PUT", "/{restaurantUid}/booking/checkin/{uid}", ({ core, restaurant, params }) =>
    Effect.map(
      core.apply(restaurant.config.uid, "api", (current, ctx) => toggleVisit(current, params["uid"] ?? "", "checkInDateTime", ctx)),
      (change) => bookingReply(change)
    )
  ),
  restaurantRoute("PUT", "/{restaurantUid}/booking/checkout/{uid}", ({ core, restaurant, params }) =>
    Effect.map(
      core.apply(restaurant.config.uid, "api", (current, ctx) => toggleVisit(current, params["uid"] ?? "", "checkOutDateTime", ctx)),
      (change) => bookingReply(change)
    )
  )
]
