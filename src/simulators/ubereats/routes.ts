import { Clock, Effect, Either, Ref, Schema } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { empty, json } from "../kit/http-server.js"
import { issuesLine } from "../kit/parse-issues.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { Store, UberSimCore } from "./core.js"
import { checkMenu, updateItem } from "./menu.js"
import { acceptOrder, cancelOrder, denyOrder, rejected, restaurantDelivery, type UberSimRejected } from "./orders.js"
import {
  AcceptBody,
  CancelBody,
  DeliveryStatusBody,
  DenyBody,
  ItemUpdate,
  Menu,
  type Order,
  StoreStatusUpdate
} from "./wire.js"

export interface ApiContext {
  readonly core: UberSimCore
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}

export interface ApiHandler {
  /** Any one of these scopes lets the call through (ubereats.md, scope table). */
  readonly scopes: ReadonlyArray<string>
  readonly run: (ctx: ApiContext) => Effect.Effect<SimReply, UberSimRejected>
}

const api = (
  method: string,
  template: string,
  scopes: ReadonlyArray<string>,
  run: ApiHandler["run"]
): Route<ApiHandler> => route(method, template, { scopes, run })

/**
 * A JSON body decoded into `schema`. Open bodies keep unknown keys (a menu is stored whole);
 * closed ones refuse them with a 400, as a documented request schema does.
 */
export const decodeBody = <A, I>(
  schema: Schema.Schema<A, I>,
  body: string,
  closed = false
): Effect.Effect<A, UberSimRejected> =>
  Effect.try({
    try: () => JSON.parse(body === "" ? "null" : body) as unknown,
    catch: () => rejected(400, "invalid_request", "body is not JSON")
  }).pipe(
    Effect.flatMap((value) =>
      Either.match(
        Schema.decodeUnknownEither(schema, { onExcessProperty: closed ? "error" : "preserve", errors: "all" })(value),
        {
          onLeft: (e) => Effect.fail(rejected(400, "invalid_request", issuesLine(e))),
          onRight: Effect.succeed
        }
      )
    )
  )

const param = (ctx: ApiContext, name: string) => ctx.params[name] ?? ""

/** A pause ends by itself at `paused_until`. */
const liveStatus = (
  store: Store,
  now: number
) => (store.status === "PAUSED" && store.pausedUntil !== null && now >= store.pausedUntil ? "ONLINE" : store.status)

// Scopes (ubereats.md, scope table and corrections; Uber's authentication guide and each reference page).
const ORDERS_READ = ["eats.store.orders.read"]
const ORDER_ACTIONS = ["eats.order"]
const RESTAURANT_DELIVERY = ["eats.store.orders.restaurantdelivery.status"]
const STORE = ["eats.store"]

const change = (ctx: ApiContext, f: (o: Order) => Either.Either<Order, UberSimRejected>) =>
  ctx.core.changeOrder(param(ctx, "orderId"), f, null)

export const apiRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // v2/get-eats-order-orderid: the order a webhook's resource_href names; v2 orders need eats.store.orders.read.
  api(
    "GET",
    "/v2/eats/order/{orderId}",
    ORDERS_READ,
    (ctx) => Effect.map(ctx.core.order(param(ctx, "orderId")), (o) => json(200, o))
  ),
  // v1/post-eats-order-orderid-acceptposorder: 204.
  api(
    "POST",
    "/v1/eats/orders/{orderId}/accept_pos_order",
    ORDER_ACTIONS,
    (ctx) =>
      Effect.flatMap(
        decodeBody(AcceptBody, ctx.body, true),
        (b) => Effect.as(change(ctx, (o) => acceptOrder(o, b.external_reference_id)), empty(204))
      )
  ),
  // v1/post-eats-order-orderid-denyposorder: 204.
  api(
    "POST",
    "/v1/eats/orders/{orderId}/deny_pos_order",
    ORDER_ACTIONS,
    (ctx) => Effect.flatMap(decodeBody(DenyBody, ctx.body, true), () => Effect.as(change(ctx, denyOrder), empty(204)))
  ),
  // v1/post-eats-order-orderid-cancel: 200 `{}`; 404 once the order is terminal.
  api(
    "POST",
    "/v1/eats/orders/{orderId}/cancel",
    ORDER_ACTIONS,
    (ctx) =>
      Effect.flatMap(decodeBody(CancelBody, ctx.body, true), () => Effect.as(change(ctx, cancelOrder), json(200, {})))
  ),
  // Merchant-delivery status (ubereats.md endpoints; corrections: its own scope): 204.
  api(
    "POST",
    "/v1/eats/orders/{orderId}/restaurantdelivery/status",
    RESTAURANT_DELIVERY,
    (ctx) =>
      Effect.flatMap(
        decodeBody(DeliveryStatusBody, ctx.body, true),
        (b) => Effect.as(change(ctx, (o) => restaurantDelivery(o, b.status)), empty(204))
      )
  ),
  // v1/get-eats-stores-storeid-createdorders: oldest first, eats.store.orders.read.
  api(
    "GET",
    "/v1/eats/stores/{storeId}/created-orders",
    ORDERS_READ,
    (ctx) =>
      Effect.zipRight(
        ctx.core.store(param(ctx, "storeId")),
        Effect.map(Ref.get(ctx.core.orders), (all) =>
          json(200, {
            orders: [...all.values()]
              .filter((s) => s.order.store.id === param(ctx, "storeId") && s.order.current_state === "CREATED")
              .map((s) => ({ id: s.order.id, current_state: s.order.current_state, placed_at: s.order.placed_at }))
          }))
      )
  ),
  // Store status (ubereats.md endpoints): `{status, offlineReason}`.
  api(
    "GET",
    "/v1/eats/store/{storeId}/status",
    STORE,
    (ctx) =>
      Effect.zipWith(ctx.core.store(param(ctx, "storeId")), Clock.currentTimeMillis, (store, now) => {
        const status = liveStatus(store, now)
        return json(200, status === "ONLINE" ? { status } : { status, offlineReason: "PAUSED_BY_RESTAURANT" })
      })
  ),
  // v1/post-eats-stores-storeid-status: ONLINE or PAUSED until `paused_until`.
  api(
    "POST",
    "/v1/eats/store/{storeId}/status",
    ["eats.store.status.write"],
    (ctx) =>
      Effect.flatMap(decodeBody(StoreStatusUpdate, ctx.body, true), (b) =>
        Effect.as(
          ctx.core.updateStore(param(ctx, "storeId"), (s) => ({
            ...s,
            status: b.status,
            pausedUntil: b.status === "PAUSED" && b.paused_until !== undefined ? Date.parse(b.paused_until) : null
          })).pipe(
            // ubereats.md, Webhooks: the store's online status changed.
            Effect.zipRight(ctx.core.emitStore("eats.store.status.notification", param(ctx, "storeId")))
          ),
          empty(204)
        ))
  ),
  // v2/put-eats-stores-storeid-menu: a full replace, whatever the body leaves out is gone.
  api(
    "PUT",
    "/v2/eats/stores/{storeId}/menus",
    STORE,
    (ctx) =>
      Effect.flatMap(decodeBody(Menu, ctx.body), (menu) =>
        Effect.flatMap(
          checkMenu(menu),
          () => Effect.as(ctx.core.updateStore(param(ctx, "storeId"), (s) => ({ ...s, menu })), empty(204))
        ))
  ),
  // The menu Uber holds (ubereats.md endpoints): the last upload, whole.
  api(
    "GET",
    "/v2/eats/stores/{storeId}/menus",
    STORE,
    (ctx) =>
      Effect.flatMap(ctx.core.store(param(ctx, "storeId")), (s) =>
        s.menu === null
          ? Effect.fail(rejected(404, "not_found", "no menu uploaded"))
          : Effect.succeed(json(200, s.menu)))
  ),
  // Sparse item update (ubereats.md endpoints); 404 before the first upload, as Uber's reference warns.
  api("POST", "/v2/eats/stores/{storeId}/menus/items/{itemId}", STORE, (ctx) =>
    Effect.gen(function*() {
      const update = yield* decodeBody(ItemUpdate, ctx.body)
      yield* ctx.core.changeMenu(param(ctx, "storeId"), (menu) => updateItem(menu, param(ctx, "itemId"), update))
      return empty(204)
    }))
]
