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

/**
 * ASSUMPTION: what Formitable stores as `source` for a booking an app's key creates is unpublished;
 * the simulator stores this, never what the client sent.
 */
export const API_SOURCE = "api"

/**
 * Create, read, update, cancel, check-in and check-out of one booking, as the Formitable v1.2
 * OpenAPI lists them (github.com/mplus-software/formitable-api-client docs/Api/BookingApi.md).
 * Another method on these paths is a 405.
 */
export const bookingRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // bookingCreate: body BookingCreateViewModel, answer BookingViewModel.
  restaurantRoute("POST", "/{restaurantUid}/booking", ({ core, restaurant, body }) =>
    Effect.gen(function*() {
      const input = yield* decodeBody(BookingCreate, body)
      const uid = newBookingUid()
      const change = yield* core.apply(restaurant.config.uid, "api", (current, ctx) =>
        createBooking(current, input, uid, API_SOURCE, ctx))
      return bookingReply(change)
    })),
  // bookingGetByUid.
  restaurantRoute(
    "GET",
    "/{restaurantUid}/booking/{uid}",
    ({ restaurant, params }) =>
      Effect.map(fromEither(findBooking(restaurant, params["uid"] ?? "")), (stored) => json(200, stored.booking))
  ),
  // bookingUpdate: BookingUpdateViewModel, documented as a partial update.
  restaurantRoute(
    "PUT",
    "/{restaurantUid}/booking/{uid}",
    ({ core, restaurant, params, body }) =>
      Effect.gen(function*() {
        const uid = params["uid"] ?? ""
        // An unknown booking is a 404 even when the body is invalid too.
        yield* fromEither(findBooking(restaurant, uid))
        const input = yield* decodeBody(BookingUpdate, body)
        const { updateMode } = yield* Ref.get(core.mode)
        const change = yield* core.apply(
          restaurant.config.uid,
          "api",
          (current, ctx) => updateBooking(current, uid, input, updateMode, ctx)
        )
        return bookingReply(change)
      })
  ),
  // bookingCancel: "void (empty response body)".
  restaurantRoute("DELETE", "/{restaurantUid}/booking/{uid}", ({ core, restaurant, params }) =>
    Effect.as(
      core.apply(restaurant.config.uid, "api", (current, ctx) => cancelBooking(current, params["uid"] ?? "", ctx)),
      empty(200)
    )),
  // bookingCheckIn: "Call this method again to undo the check-in".
  restaurantRoute("PUT", "/{restaurantUid}/booking/checkin/{uid}", ({ core, restaurant, params }) =>
    Effect.map(
      core.apply(restaurant.config.uid, "api", (current, ctx) =>
        toggleVisit(current, params["uid"] ?? "", "checkin", ctx)),
      (change) =>
        bookingReply(change)
    )),
  // bookingCheckOut: "Call this method again to undo the check-out"; the answer shows no check-out.
  restaurantRoute("PUT", "/{restaurantUid}/booking/checkout/{uid}", ({ core, restaurant, params }) =>
    Effect.map(
      core.apply(restaurant.config.uid, "api", (current, ctx) =>
        toggleVisit(current, params["uid"] ?? "", "checkout", ctx)),
      (change) =>
        bookingReply(change)
    ))
]
