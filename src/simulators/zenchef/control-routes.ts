import { Effect, Ref, Schema } from "effect"
import {
  commonControlRoutes,
  type ControlHandler as KitControlHandler,
  controlHandler,
  type ControlRequest,
  done,
  ok
} from "../kit/control-routes.js"
import { json } from "../kit/http-server.js"
import { route } from "../kit/router.js"
import { decodeBody as decodeApiBody } from "./api-route.js"
import type { SimulatorCore } from "./core.js"
import type { SimulatorControl } from "./handle.js"
import type { ZenchefRejected } from "./problems.js"
import { decodeValue, notFound, problemReply } from "./problems.js"
import { RestaurantSeed, WebhookTarget } from "./seed.js"
import { BookingEvent, SimulatorMode } from "./state.js"
import { BookingUpdate, PlatformBookingCreate } from "./wire.js"

/** A control body naming a field the route does not take is refused, not half-applied. */
const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string) => decodeApiBody(schema, body, true)

export const CONTROL_BASE = "/_sim"

type ControlHandler = KitControlHandler<ZenchefRejected>

const BOOKING_ACTIONS = ["cancel", "checkin", "checkout", "accept"] as const

/** The handle's operations as JSON routes, for a simulator run by the CLI and driven from another process. */
const controlRoutes = (core: SimulatorCore, control: SimulatorControl) => {
  const p = (request: ControlRequest, name: string) => request.params[name] ?? ""
  const bookingAction = (request: ControlRequest) => {
    const [restaurantUid, uid, action] = [p(request, "restaurantUid"), p(request, "uid"), p(request, "action")]
    switch (action) {
      case "cancel":
        return control.platform.cancel(restaurantUid, uid)
      case "checkin":
        return control.platform.checkIn(restaurantUid, uid)
      case "checkout":
        return control.platform.checkOut(restaurantUid, uid)
      case "accept":
        return control.platform.accept(restaurantUid, uid)
    }
  }
  return [
    route<ControlHandler>("GET", "/state", () =>
      Effect.map(
        Effect.all({
          mode: Ref.get(core.mode),
          rateLimit: core.limiter.settings,
          webhooks: core.webhooks.options,
          restaurants: core.store.all
        }),
        ({ restaurants, ...state }) => ok({ ...state, restaurants: restaurants.map((r) => r.config.uid) })
      )),
    route<ControlHandler>(
      "POST",
      "/restaurants",
      ({ body }) =>
        Effect.flatMap(
          decodeBody(Schema.encodedSchema(RestaurantSeed), body),
          (seed) => Effect.map(control.seedRestaurant(seed), (c) => json(201, c))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/restaurants/{restaurantUid}",
      (r) => Effect.map(control.restaurant(p(r, "restaurantUid")), ok)
    ),
    route<ControlHandler>(
      "PUT",
      "/restaurants/{restaurantUid}/webhook",
      (r) =>
        Effect.flatMap(
          decodeBody(Schema.NullOr(Schema.encodedSchema(WebhookTarget)), r.body),
          (target) => done(control.setWebhook(p(r, "restaurantUid"), target))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/restaurants/{restaurantUid}/bookings",
      (r) => Effect.map(control.bookings(p(r, "restaurantUid")), ok)
    ),
    route<ControlHandler>(
      "POST",
      "/restaurants/{restaurantUid}/bookings",
      (r) =>
        Effect.flatMap(
          decodeBody(Schema.encodedSchema(PlatformBookingCreate), r.body),
          (input) => Effect.map(control.platform.create(p(r, "restaurantUid"), input), (b) => json(201, b))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/restaurants/{restaurantUid}/bookings/{uid}",
      (r) => Effect.map(control.booking(p(r, "restaurantUid"), p(r, "uid")), ok)
    ),
    route<ControlHandler>(
      "PUT",
      "/restaurants/{restaurantUid}/bookings/{uid}",
      (r) =>
        Effect.flatMap(
          decodeBody(Schema.encodedSchema(BookingUpdate), r.body),
          (patch) => Effect.map(control.platform.update(p(r, "restaurantUid"), p(r, "uid"), patch), ok)
        )
    ),
    route<ControlHandler>("POST", "/restaurants/{restaurantUid}/bookings/{uid}/{action}", (r) => {
      const action = bookingAction(r)
      return action === undefined
        ? Effect.succeed(problemReply(notFound(`Actions: ${BOOKING_ACTIONS.join(", ")}`)))
        : Effect.map(action, ok)
    }),
    route<ControlHandler>(
      "POST",
      "/restaurants/{restaurantUid}/bookings/{uid}/webhooks/{event}",
      (r) =>
        Effect.flatMap(
          decodeValue(BookingEvent, p(r, "event")),
          (event) => done(control.webhooks.trigger(p(r, "restaurantUid"), p(r, "uid"), event))
        )
    ),
    route<ControlHandler>(
      "PUT",
      "/mode",
      ({ body }) =>
        Effect.flatMap(decodeBody(Schema.partial(SimulatorMode), body), (mode) => Effect.map(control.setMode(mode), ok))
    ),
    ...commonControlRoutes(control, decodeBody)
  ]
}

export const makeControlHandler = (core: SimulatorCore, control: SimulatorControl) =>
  controlHandler(
    CONTROL_BASE,
    controlRoutes(core, control),
    (request) => problemReply(notFound(`No control route ${request.method} ${request.path}`)),
    (rejected) => problemReply(rejected.problem)
  )
