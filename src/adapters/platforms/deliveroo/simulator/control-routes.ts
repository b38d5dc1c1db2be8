import { Effect, Schema } from "effect"
import { RetrySettings } from "../../simulator-kit/delivery-queue.js"
import { FaultSettings } from "../../simulator-kit/faults.js"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { empty, json } from "../../simulator-kit/http-server.js"
import { makeRouter, route } from "../../simulator-kit/router.js"
import { RateLimitSettings } from "../../simulator-kit/token-bucket.js"
import type { DeliverooSimulatorControl } from "./handle.js"
import type { DeliverooSimRejected } from "./orders.js"
import { decodeBody } from "./routes.js"
import { OrderSeed } from "./wire.js"

export const CONTROL_BASE = "/_sim"

interface ControlRequest {
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}
type ControlHandler = (request: ControlRequest) => Effect.Effect<SimReply, DeliverooSimRejected>

const ok = (value: unknown) => json(200, value)
const done = Effect.as(empty(204))
const p = (r: ControlRequest, name: string) => r.params[name] ?? ""

const WebhookOptions = Schema.Struct({ duplicate: Schema.optional(Schema.Boolean), reorder: Schema.optional(Schema.Boolean), retry: Schema.optional(RetrySettings) })
const SettingsPatch = Schema.Struct({
  webhookUrl: Schema.optional(Schema.NullOr(Schema.String)),
  webhookSecret: Schema.optional(Schema.String),
  legacyWebhooks: Schema.optional(Schema.Boolean),
  autoRejectMs: Schema.optional(Schema.Number),
  syncWindowMs: Schema.optional(Schema.Number)
})

/** The handle's operations as JSON routes, for a simulator run by the CLI and driven from another process. */
const controlRoutes = (c: DeliverooSimulatorControl) => [
  route<ControlHandler>("POST", "/orders", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.encodedSchema(OrderSeed), body), (seed) => Effect.map(c.placeOrder(seed), (o) => json(201, o)))),
  route<ControlHandler>("GET", "/orders/{orderId}", (r) => Effect.map(c.order(p(r, "orderId")), ok)),
  route<ControlHandler>("GET", "/orders/{orderId}/sync-status", (r) => Effect.map(c.syncStatus(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/cancel", (r) => Effect.map(c.cancelOrder(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/notify", (r) => done(c.notify(p(r, "orderId")))),
  route<ControlHandler>("GET", "/locations/{locationId}/orders", (r) => Effect.map(c.orders(p(r, "locationId")), ok)),
  route<ControlHandler>("GET", "/brands/{brandId}/menus/{menuId}", (r) => Effect.map(c.menu(p(r, "brandId"), p(r, "menuId")), ok)),
  route<ControlHandler>("GET", "/sites/{siteId}/unavailable-items", (r) => Effect.map(c.unavailableItems(p(r, "siteId")), ok)),
  route<ControlHandler>("PUT", "/settings", ({ body }) => Effect.flatMap(decodeBody(SettingsPatch, body), (s) => done(c.configure(s)))),
  route<ControlHandler>("PUT", "/webhooks", ({ body }) => Effect.flatMap(decodeBody(WebhookOptions, body), (o) => done(c.webhooks.configure(o)))),
  route<ControlHandler>("POST", "/webhooks/flush", () => done(c.webhooks.flush)),
  route<ControlHandler>("GET", "/webhooks/attempts", () => Effect.map(c.webhooks.attempts, ok)),
  route<ControlHandler>("PUT", "/tokens", ({ body }) =>
    Effect.flatMap(decodeBody(Schema.Struct({ lifetimeSeconds: Schema.Number }), body), (b) => done(c.setTokenLifetime(b.lifetimeSeconds)))),
  route<ControlHandler>("DELETE", "/tokens", () => done(c.revokeTokens)),
  route<ControlHandler>("PUT", "/faults", ({ body }) => Effect.flatMap(decodeBody(FaultSettings, body), (f) => done(c.setFaults(f)))),
  route<ControlHandler>("DELETE", "/faults", () => done(c.clearFaults)),
  route<ControlHandler>("PUT", "/rate-limit", ({ body }) => Effect.flatMap(decodeBody(Schema.NullOr(RateLimitSettings), body), (s) => done(c.setRateLimit(s)))),
  route<ControlHandler>("GET", "/counters", () => Effect.map(c.counters, ok)),
  route<ControlHandler>("DELETE", "/counters", () => done(c.resetCounters))
]

export const makeControlHandler = (control: DeliverooSimulatorControl) => {
  const router = makeRouter(controlRoutes(control))
  return (request: SimRequest): Effect.Effect<SimReply> => {
    const lookup = router(request.method, request.path.slice(CONTROL_BASE.length))
    if (lookup._tag !== "Found") return Effect.succeed(json(404, { error: "not_found", message: `no control route ${request.method} ${request.path}` }))
    return lookup.match.route.handler({ params: lookup.match.params, body: request.body }).pipe(
      Effect.catchTag("DeliverooSimRejected", (r) => Effect.succeed(json(r.status, { error: r.error, message: r.message })))
    )
  }
}
