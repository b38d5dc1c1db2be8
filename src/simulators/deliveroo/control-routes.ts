import { Effect, Schema } from "effect"
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
import { errorBody } from "./api.js"
import type { DeliverooSimulatorControl } from "./handle.js"
import type { DeliverooSimRejected } from "./orders.js"
import { decodeBody as decodeApiBody } from "./routes.js"
import { OrderSeed } from "./wire.js"

/** A control body naming a field the route does not take is refused, not half-applied. */
const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string) => decodeApiBody(schema, body, true)

export const CONTROL_BASE = "/_sim"

type ControlHandler = KitControlHandler<DeliverooSimRejected>

const p = (r: ControlRequest, name: string) => r.params[name] ?? ""

const SettingsPatch = Schema.Struct({
  webhookUrl: Schema.optional(Schema.NullOr(Schema.String)),
  webhookSecret: Schema.optional(Schema.String),
  legacyWebhooks: Schema.optional(Schema.Boolean),
  autoRejectMs: Schema.optional(Schema.Number),
  syncWindowMs: Schema.optional(Schema.Number),
  menuWebhookUrl: Schema.optional(Schema.NullOr(Schema.String)),
  menuProcessingMs: Schema.optional(Schema.Number)
})

/** The handle's operations as JSON routes, for a simulator run by the CLI and driven from another process. */
const controlRoutes = (c: DeliverooSimulatorControl) => [
  route<ControlHandler>(
    "POST",
    "/orders",
    ({ body }) =>
      Effect.flatMap(
        decodeBody(Schema.encodedSchema(OrderSeed), body),
        (seed) => Effect.map(c.placeOrder(seed), (o) => json(201, o))
      )
  ),
  route<ControlHandler>("GET", "/orders/{orderId}", (r) => Effect.map(c.order(p(r, "orderId")), ok)),
  route<ControlHandler>("GET", "/orders/{orderId}/sync-status", (r) => Effect.map(c.syncStatus(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/cancel", (r) => Effect.map(c.cancelOrder(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/notify", (r) => done(c.notify(p(r, "orderId")))),
  route<ControlHandler>("GET", "/locations/{locationId}/orders", (r) => Effect.map(c.orders(p(r, "locationId")), ok)),
  route<ControlHandler>(
    "GET",
    "/brands/{brandId}/menus/{menuId}",
    (r) => Effect.map(c.menu(p(r, "brandId"), p(r, "menuId")), ok)
  ),
  route<ControlHandler>(
    "GET",
    "/brands/{brandId}/menus/{menuId}/items/{itemId}",
    (r) => Effect.map(c.menuItem(p(r, "brandId"), p(r, "menuId"), p(r, "itemId")), ok)
  ),
  route<ControlHandler>(
    "GET",
    "/sites/{siteId}/unavailable-items",
    (r) => Effect.map(c.unavailableItems(p(r, "siteId")), ok)
  ),
  route<ControlHandler>("GET", "/sites/{siteId}/status", (r) => Effect.map(c.siteStatus(p(r, "siteId")), ok)),
  route<ControlHandler>("GET", "/orders/{orderId}/prep-stages", (r) => Effect.map(c.prepStages(p(r, "orderId")), ok)),
  route<ControlHandler>(
    "PUT",
    "/settings",
    ({ body }) => Effect.flatMap(decodeBody(SettingsPatch, body), (s) => done(c.configure(s)))
  ),
  route<ControlHandler>(
    "PUT",
    "/tokens",
    ({ body }) =>
      Effect.flatMap(
        decodeBody(Schema.Struct({ lifetimeSeconds: Schema.Number }), body),
        (b) => done(c.setTokenLifetime(b.lifetimeSeconds))
      )
  ),
  route<ControlHandler>("DELETE", "/tokens", () => done(c.revokeTokens)),
  ...commonControlRoutes(c, decodeBody)
]

export const makeControlHandler = (control: DeliverooSimulatorControl) =>
  controlHandler(
    CONTROL_BASE,
    controlRoutes(control),
    (request) => json(404, errorBody("not_found", `no control route ${request.method} ${request.path}`)),
    (r) => json(r.status, errorBody(r.error, r.message))
  )
