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
import type { UberEatsSimulatorControl } from "./handle.js"
import type { UberSimRejected } from "./orders.js"
import { decodeBody as decodeApiBody } from "./routes.js"
import { ItemUpdate, OrderSeed } from "./wire.js"

/** A control body naming a field the route does not take is refused, not half-applied. */
const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string) => decodeApiBody(schema, body, true)

export const CONTROL_BASE = "/_sim"

type ControlHandler = KitControlHandler<UberSimRejected>

const p = (r: ControlRequest, name: string) => r.params[name] ?? ""

const OrderEvent = Schema.Literal(
  "orders.notification",
  "orders.cancel",
  "orders.failure",
  "orders.release",
  "orders.scheduled.notification"
)

/** The handle's operations as JSON routes, for a simulator run by the CLI and driven from another process. */
const controlRoutes = (c: UberEatsSimulatorControl) => [
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
  route<ControlHandler>("POST", "/orders/{orderId}/cancel", (r) => Effect.map(c.cancelOrder(p(r, "orderId")), ok)),
  route<ControlHandler>("POST", "/orders/{orderId}/finish", (r) => Effect.map(c.finishOrder(p(r, "orderId")), ok)),
  route<ControlHandler>(
    "POST",
    "/orders/{orderId}/events/{event}",
    (r) =>
      Effect.flatMap(
        decodeBody(OrderEvent, JSON.stringify(p(r, "event"))),
        (event) => done(c.notify(p(r, "orderId"), event))
      )
  ),
  route<ControlHandler>("GET", "/stores/{storeId}/orders", (r) => Effect.map(c.orders(p(r, "storeId")), ok)),
  route<ControlHandler>("GET", "/stores/{storeId}/menu", (r) => Effect.map(c.menu(p(r, "storeId")), ok)),
  route<ControlHandler>(
    "GET",
    "/stores/{storeId}/menu/items/{itemId}",
    (r) => Effect.map(c.menuItem(p(r, "storeId"), p(r, "itemId")), ok)
  ),
  route<ControlHandler>(
    "POST",
    "/stores/{storeId}/menu/items/{itemId}",
    (r) =>
      Effect.flatMap(
        decodeBody(ItemUpdate, r.body),
        (update) => done(c.editMenuItem(p(r, "storeId"), p(r, "itemId"), update))
      )
  ),
  route<ControlHandler>(
    "DELETE",
    "/stores/{storeId}/menu/items/{itemId}",
    (r) => done(c.removeMenuItem(p(r, "storeId"), p(r, "itemId")))
  ),
  route<ControlHandler>(
    "PUT",
    "/stores/{storeId}/access",
    (r) =>
      Effect.flatMap(
        decodeBody(Schema.Struct({ provisioned: Schema.Boolean }), r.body),
        ({ provisioned }) => done(c.setStoreAccess(p(r, "storeId"), provisioned))
      )
  ),
  route<ControlHandler>(
    "POST",
    "/stores/{storeId}/menu-refresh-request",
    (r) => done(c.requestMenuRefresh(p(r, "storeId")))
  ),
  route<ControlHandler>("GET", "/stores/{storeId}/status", (r) => Effect.map(c.storeStatus(p(r, "storeId")), ok)),
  route<ControlHandler>(
    "PUT",
    "/webhook",
    ({ body }) =>
      Effect.flatMap(
        decodeBody(Schema.Struct({ url: Schema.NullOr(Schema.String) }), body),
        ({ url }) => done(c.setWebhookUrl(url))
      )
  ),
  route<ControlHandler>(
    "PUT",
    "/accept-deadline",
    ({ body }) =>
      Effect.flatMap(decodeBody(Schema.Struct({ ms: Schema.Number }), body), ({ ms }) => done(c.setAcceptDeadline(ms)))
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

export const makeControlHandler = (control: UberEatsSimulatorControl) =>
  controlHandler(
    CONTROL_BASE,
    controlRoutes(control),
    (request) => json(404, { code: "not_found", message: `no control route ${request.method} ${request.path}` }),
    (r) => json(r.status, { code: r.code, message: r.message })
  )
