import { Effect, Schema } from "effect"
import { RetrySettings } from "../../simulator-kit/delivery-queue.js"
import { FaultSettings } from "../../simulator-kit/faults.js"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { empty, json } from "../../simulator-kit/http-server.js"
import { makeRouter, route } from "../../simulator-kit/router.js"
import { RateLimitSettings } from "../../simulator-kit/token-bucket.js"
import type { UberEatsSimulatorControl } from "./handle.js"
import type { UberSimRejected } from "./orders.js"
import { decodeBody } from "./routes.js"
import { OrderSeed } from "./wire.js"

export const CONTROL_BASE = "/_sim"

interface ControlRequest {
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}
type ControlHandler = (request: ControlRequest) => Effect.Effect<SimReply, UberSimRejected>

const ok = (value: unknown) => json(200, value)
const done = Effect.as(empty(204))
const p = (r: ControlRequest, name: string) => r.params[name] ?? ""

const OrderEvent = Schema.Literal("orders.notification", "orders.cancel", "orders.failure", "orders.release", "orders.scheduled.notification")
const WebhookOptions = Schema.Struct({ duplicate: Schema.optional(Schema.Boolean), reorder: Schema.optional(Schema.Boolean), retry: Schema.optional(RetrySettings) })

/** The handle's operations as JSON routes, for a simulator run by the CLI and driven from another process. */
const controlRoutes = (c: UberEatsSimulatorControl) => [
  route<ControlHandler>("POST", "/orders", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.encodedSchema(OrderSeed), body), (seed) => Effect.map(c.placeOrder(seed), (o) => json(201, o)))),
  route<ControlHandler>("GET", "/orders/{orderId}", (r) => Effect.map(c.order(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/cancel", (r) => Effect.map(c.cancelOrder(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/finish", (r) => Effect.map(c.finishOrder(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/events/{event}", (r) =>
    Effect.flatMap(decodeBody(OrderEvent, JSON.stringify(p(r, "event"))), (event) => done(c.notify(p(r, "orderId"), event)))),
  route<ControlHandler>("GET", "/stores/{storeId}/orders", (r) => Effect.map(c.orders(p(r, "storeId")), ok)),
  route<ControlHandler>("GET", "/stores/{storeId}/menu", (r) => Effect.map(c.menu(p(r, "storeId")), ok)),
  route<ControlHandler>("GET", "/stores/{storeId}/status", (r) => Effect.map(c.storeStatus(p(r, "storeId")), ok)),
  route<ControlHandler>("PUT", "/webhook", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.Struct({ url: Schema.NullOr(Schema.String) }), body), ({ url }) => done(c.setWebhookUrl(url)))),
  route<ControlHandler>("PUT", "/webhooks", ({ body }) => Effect.flatMap(decodeBody(WebhookOptions, body), (o) => done(c.webhooks.configure(o)))),
  route<ControlHandler>("POST", "/webhooks/flush", () => done(c.webhooks.flush)),
  route<ControlHandler>("GET", "/webhooks/attempts", () => Effect.map(c.webhooks.attempts, ok)),
  route<ControlHandler>("PUT", "/accept-deadline", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.Struct({ ms: Schema.Number }), body), ({ ms }) => done(c.setAcceptDeadline(ms)))),
  route<ControlHandler>("PUT", "/tokens", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.Struct({ lifetimeSeconds: Schema.Number }), body), (b) => done(c.setTokenLifetime(b.lifetimeSeconds)))),
  route<ControlHandler>("DELETE", "/tokens", () => done(c.revokeTokens)),
  route<ControlHandler>("PUT", "/faults", ({ body }) => Effect.flatMap(decodeBody(FaultSettings, body), (f) => done(c.setFaults(f)))),
  route<ControlHandler>("DELETE", "/faults", () => done(c.clearFaults)),
  route<ControlHandler>("PUT", "/rate-limit", ({ body }) => Effect.flatMap(decodeBody(Schema.NullOr(RateLimitSettings), body), (s) => done(c.setRateLimit(s)))),
  route<ControlHandler>("GET", "/counters", () => Effect.map(c.counters, ok)),
  route<ControlHandler>("DELETE", "/counters", () => done(c.resetCounters))
]

export const makeControlHandler = (control: UberEatsSimulatorControl) => {
  const router = makeRouter(controlRoutes(control))
  return (request: SimRequest): Effect.Effect<SimReply> => {
    const lookup = router(request.method, request.path.slice(CONTROL_BASE.length))
    if (lookup._tag !== "Found") return Effect.succeed(json(404, { code: "not_found", message: `no control route ${request.method} ${request.path}` }))
    return lookup.match.route.handler({ params: lookup.match.params, body: request.body }).pipe(
      Effect.catchTag("UberSimRejected", (r) => Effect.succeed(json(r.status, { code: r.code, message: r.message })))
    )
  }
}
