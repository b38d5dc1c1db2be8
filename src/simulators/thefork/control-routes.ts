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
import type { SimulatorCore } from "./core.js"
import { controlErrorReply, decodeStrict, errorReply, parseJsonBody, TheForkRejected } from "./errors.js"
import type { TheForkSimulatorControl } from "./handle.js"
import { RestaurantSeed, WebhookTarget } from "./seed.js"
import { CreateInput, StaffChange } from "./wire.js"

export const CONTROL_BASE = "/_sim"

type ControlHandler = KitControlHandler<TheForkRejected>

const body = <A, I>(schema: Schema.Schema<A, I>, text: string) =>
  Effect.flatMap(parseJsonBody(text), (v) => decodeStrict(schema, v))

const Mode = Schema.Struct({
  apiChangesEmitWebhooks: Schema.optional(Schema.Boolean),
  tokenLifetimeSeconds: Schema.optional(Schema.Int.pipe(Schema.positive()))
})
const EventType = Schema.Literal("reservationCreated", "reservationUpdated")

/** The handle's operations as JSON routes, for a simulator started by the CLI and driven from elsewhere. */
const controlRoutes = (core: SimulatorCore, control: TheForkSimulatorControl) => {
  const p = (r: ControlRequest, name: string) => r.params[name] ?? ""
  return [
    route<ControlHandler>(
      "GET",
      "/state",
      () =>
        Effect.map(
          Effect.all({
            mode: Ref.get(core.mode),
            rateLimit: core.limiter.settings,
            webhooks: core.webhooks.options,
            restaurants: Ref.get(core.restaurants)
          }),
          ({ restaurants, ...state }) => ok({ ...state, restaurants: [...restaurants.keys()] })
        )
    ),
    route<ControlHandler>(
      "POST",
      "/restaurants",
      (r) =>
        Effect.flatMap(
          body(Schema.encodedSchema(RestaurantSeed), r.body),
          (seed) => Effect.map(control.seedRestaurant(seed), (c) => json(201, c))
        )
    ),
    route<ControlHandler>("GET", "/restaurants/{uuid}", (r) => Effect.map(control.restaurant(p(r, "uuid")), ok)),
    route<ControlHandler>(
      "PUT",
      "/restaurants/{uuid}/webhook",
      (r) =>
        Effect.flatMap(
          body(Schema.NullOr(Schema.encodedSchema(WebhookTarget)), r.body),
          (t) => done(control.setWebhook(p(r, "uuid"), t))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/restaurants/{uuid}/reservations",
      (r) => Effect.map(control.reservations(p(r, "uuid")), ok)
    ),
    route<ControlHandler>(
      "POST",
      "/restaurants/{uuid}/reservations",
      (r) =>
        Effect.flatMap(
          body(Schema.encodedSchema(CreateInput), r.body),
          (input) => Effect.map(control.staff.create(p(r, "uuid"), input), (x) => json(201, x))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/restaurants/{uuid}/reservations/{id}",
      (r) => Effect.map(control.reservation(p(r, "uuid"), p(r, "id")), ok)
    ),
    route<ControlHandler>(
      "PATCH",
      "/restaurants/{uuid}/reservations/{id}",
      (r) =>
        Effect.flatMap(
          body(Schema.encodedSchema(StaffChange), r.body),
          (change) => Effect.map(control.staff.change(p(r, "uuid"), p(r, "id"), change), ok)
        )
    ),
    route<ControlHandler>(
      "POST",
      "/restaurants/{uuid}/reservations/{id}/webhooks/{eventType}",
      (r) =>
        Effect.flatMap(
          Effect.mapError(decodeStrict(EventType, p(r, "eventType")), (e) =>
            new TheForkRejected({
              status: 400,
              code: e.code,
              detail: `unknown event type: one of ${EventType.literals.join(", ")}`
            })),
          (e) => done(control.webhooks.trigger(p(r, "uuid"), p(r, "id"), e))
        )
    ),
    route<ControlHandler>(
      "PUT",
      "/mode",
      (r) => Effect.flatMap(body(Mode, r.body), (m) => Effect.map(control.setMode(m), ok))
    ),
    route<ControlHandler>("POST", "/tokens/expire", () => done(control.expireTokens)),
    ...commonControlRoutes(control, body)
  ]
}

export const makeControlHandler = (core: SimulatorCore, control: TheForkSimulatorControl) =>
  controlHandler(
    CONTROL_BASE,
    controlRoutes(core, control),
    () => errorReply(404, "NO_SUCH_CONTROL_ROUTE"),
    controlErrorReply
  )
