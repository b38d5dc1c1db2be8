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
import { issuesLine } from "../kit/parse-issues.js"
import { route } from "../kit/router.js"
import type { SimulatorCore } from "./core.js"
import { errorReply, rejection, type SevenRoomsRejected } from "./errors.js"
import { type SevenRoomsSimulatorControl, StaffBooking } from "./handle.js"
import { VenueSeed, WebhookTarget } from "./seed.js"

export const CONTROL_BASE = "/_sim"

type ControlHandler = KitControlHandler<SevenRoomsRejected>

const body = <A, I>(schema: Schema.Schema<A, I>, text: string) =>
  Effect.mapError(
    Schema.decodeUnknown(Schema.parseJson(schema), { errors: "all", onExcessProperty: "error" })(
      text === "" ? "null" : text
    ),
    (error) => rejection(400, `Invalid control body: ${issuesLine(error)}`)
  )

const Mode = Schema.Struct({
  apiChangesEmitWebhooks: Schema.optional(Schema.Boolean),
  tokenLifetimeSeconds: Schema.optional(Schema.Int.pipe(Schema.positive()))
})
const Change = Schema.Struct({
  status: Schema.optional(Schema.String),
  partySize: Schema.optional(Schema.Int),
  clientRequests: Schema.optional(Schema.NullOr(Schema.String))
})
const EventType = Schema.Literal("reservation.created", "reservation.updated", "reservation.cancelled")

/** The handle's operations as JSON routes, for a simulator started by the CLI and driven from elsewhere. */
const controlRoutes = (core: SimulatorCore, control: SevenRoomsSimulatorControl) => {
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
            venues: Ref.get(core.venues)
          }),
          ({ venues, ...state }) => ok({ ...state, venues: [...venues.keys()] })
        )
    ),
    route<ControlHandler>(
      "POST",
      "/venues",
      (r) =>
        Effect.flatMap(
          body(Schema.encodedSchema(VenueSeed), r.body),
          (seed) => Effect.map(control.seedVenue(seed), (c) => json(201, c))
        )
    ),
    route<ControlHandler>("GET", "/venues/{id}", (r) => Effect.map(control.venue(p(r, "id")), ok)),
    route<ControlHandler>(
      "PUT",
      "/venues/{id}/webhook",
      (r) =>
        Effect.flatMap(
          body(Schema.NullOr(Schema.encodedSchema(WebhookTarget)), r.body),
          (t) => done(control.setWebhook(p(r, "id"), t))
        )
    ),
    route<ControlHandler>("GET", "/venues/{id}/reservations", (r) => Effect.map(control.reservations(p(r, "id")), ok)),
    route<ControlHandler>(
      "POST",
      "/venues/{id}/reservations",
      (r) =>
        Effect.flatMap(
          body(StaffBooking, r.body),
          (b) => Effect.map(control.staff.create(p(r, "id"), b), (x) => json(201, x))
        )
    ),
    route<ControlHandler>(
      "GET",
      "/venues/{id}/reservations/{rid}",
      (r) => Effect.map(control.reservation(p(r, "id"), p(r, "rid")), ok)
    ),
    route<ControlHandler>(
      "PATCH",
      "/venues/{id}/reservations/{rid}",
      (r) =>
        Effect.flatMap(body(Change, r.body), (c) => Effect.map(control.staff.change(p(r, "id"), p(r, "rid"), c), ok))
    ),
    route<ControlHandler>(
      "DELETE",
      "/venues/{id}/reservations/{rid}",
      (r) => Effect.map(control.staff.cancel(p(r, "id"), p(r, "rid")), ok)
    ),
    route<ControlHandler>(
      "POST",
      "/venues/{id}/reservations/{rid}/webhooks/{type}",
      (r) =>
        Effect.flatMap(
          Effect.mapError(
            Schema.decodeUnknown(EventType)(p(r, "type")),
            () => rejection(400, `Unknown event type: one of ${EventType.literals.join(", ")}`)
          ),
          (t) => done(control.webhooks.trigger(p(r, "id"), p(r, "rid"), t))
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

export const makeControlHandler = (core: SimulatorCore, control: SevenRoomsSimulatorControl) =>
  controlHandler(
    CONTROL_BASE,
    controlRoutes(core, control),
    (request) => errorReply(404, `No control route ${request.method} ${request.path}`),
    (e) => errorReply(e.status, e.msg)
  )
