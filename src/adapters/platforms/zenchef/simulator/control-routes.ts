import { Effect, Ref, Schema } from "effect"
import { RetrySettings } from "../../simulator-kit/delivery-queue.js"
import { FaultSettings } from "../../simulator-kit/faults.js"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { empty, json } from "../../simulator-kit/http-server.js"
import { makeRouter, route } from "../../simulator-kit/router.js"
import { RateLimitSettings } from "../../simulator-kit/token-bucket.js"
import { decodeBody } from "./api-route.js"
import type { SimulatorCore } from "./core.js"
import type { SimulatorControl } from "./handle.js"
import type { ZenchefRejected } from "./problems.js"
import { decodeValue, notFound, problemReply } from "./problems.js"
import { RestaurantSeed, WebhookTarget } from "./seed.js"
import { BookingEvent, SimulatorMode } from "./state.js"
import { BookingCreate, BookingUpdate } from "./wire.js"

export const CONTROL_BASE = "/_sim"

interface ControlRequest {
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}

type ControlHandler = (request: ControlRequest) => Effect.Effect<SimReply, ZenchefRejected>

const ok = (value: unknown) => json(200, value)
const done = Effect.as(empty(204))

const WebhookOptions = Schema.Struct({
  duplicate: Schema.optional(Schema.Boolean),
  reorder: Schema.optional(Schema.Boolean),
  retry: Schema.optional(RetrySettings)
})

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
        Effect.all({ mode: Ref.get(core.mode), rateLimit: core.limiter.settings, webhooks: core.webhooks.options, restaurants: core.store.all }),
        ({ restaurants, ...state }) => ok({ ...state, restaurants: restaurants.map((r) => r.config.uid) })
      )
    ),
    route<ControlHandler>("POST", "/restaurants", ({ body }) =>
      Effect.flatMap(decodeBody(Schema.encodedSchema(RestaurantSeed), body), (seed) => Effect.map(control.seedRestaurant(seed), (c) => json(201, c)))
    ),
    route<ControlHandler>("GET", "/restaurants/{restaurantUid}", (r) => Effect.map(control.restaurant(p(r, "restaurantUid")), ok)),
    route<ControlHandler>("PUT", "/restaurants/{restaurantUid}/webhook", (r) =>
      Effect.flatMap(decodeBody(Schema.NullOr(Schema.encodedSchema(WebhookTarget)), r.body), (target) =>
        done(control.setWebhook(p(r, "restaurantUid"), target))
      )
    ),
    route<ControlHandler>("GET", "/restaurants/{restaurantUid}/bookings", (r) => Effect.map(control.bookings(p(r, "restaurantUid")), ok)),
    route<ControlHandler>("POST", "/restaurants/{restaurantUid}/bookings", (r) =>
      Effect.flatMap(decodeBody(Schema.encodedSchema(BookingCreate), r.body), (input) =>
        Effect.map(control.platform.create(p(r, "restaurantUid"), input), (b) => json(201, b))
      )
    ),
    route<ControlHandler>("GET", "/restaurants/{restaurantUid}/bookings/{uid}", (r) =>
      Effect.map(control.booking(p(r, "restaurantUid"), p(r, "uid")), ok)
    ),
    route<ControlHandler>("PUT", "/restaurants/{restaurantUid}/bookings/{uid}", (r) =>
      Effect.flatMap(decodeBody(Schema.encodedSchema(BookingUpdate), r.body), (patch) =>
        Effect.map(control.platform.update(p(r, "restaurantUid"), p(r, "uid"), patch), ok)
      )
    ),
    route<ControlHandler>("POST", "/restaurants/{restaurantUid}/bookings/{uid}/{action}", (r) => {
      const action = bookingAction(r)
      return action === undefined ? Effect.succeed(problemReply(notFound(`Actions: ${BOOKING_ACTIONS.join(", ")}`))) : Effect.map(action, ok)
    }),
    route<ControlHandler>("POST", "/restaurants/{restaurantUid}/bookings/{uid}/webhooks/{event}", (r) =>
      Effect.flatMap(decodeValue(BookingEvent, p(r, "event")), (event) =>
        done(control.webhooks.trigger(p(r, "restaurantUid"), p(r, "uid"), event))
      )
    ),
    route<ControlHandler>("PUT", "/mode", ({ body }) =>
      Effect.flatMap(decodeBody(Schema.partial(SimulatorMode), body), (mode) => Effect.map(control.setMode(mode), ok))
    ),
    route<ControlHandler>("PUT", "/faults", ({ body }) => Effect.flatMap(decodeBody(FaultSettings, body), (f) => done(control.setFaults(f)))),
    route<ControlHandler>("DELETE", "/faults", () => done(control.clearFaults)),
    route<ControlHandler>("PUT", "/rate-limit", ({ body }) =>
      Effect.flatMap(decodeBody(Schema.NullOr(RateLimitSettings), body), (s) => done(control.setRateLimit(s)))
    ),
    route<ControlHandler>("PUT", "/webhooks", ({ body }) => Effect.flatMap(decodeBody(WebhookOptions, body), (o) => done(control.webhooks.configure(o)))),
    route<ControlHandler>("POST", "/webhooks/flush", () => done(control.webhooks.flush)),
    route<ControlHandler>("GET", "/webhooks/attempts", () => Effect.map(control.webhooks.attempts, ok)),
    route<ControlHandler>("GET", "/counters", () => Effect.map(control.counters, ok)),
    route<ControlHandler>("DELETE", "/counters", () => done(control.resetCounters))
  ]
}

export const makeControlHandler = (core: SimulatorCore, control: SimulatorControl) => {
  const router = makeRouter(controlRoutes(core, control))
  return (request: SimRequest): Effect.Effect<SimReply> => {
    const lookup = router(request.method, request.path.slice(CONTROL_BASE.length))
    if (lookup._tag !== "Found") return Effect.succeed(problemReply(notFound(`No control route ${request.method} ${request.path}`)))
    return lookup.match.route.handler({ params: lookup.match.params, body: request.body }).pipe(
      Effect.catchTag("ZenchefRejected", (rejected) => Effect.succeed(problemReply(rejected.problem)))
    )
  }
}
