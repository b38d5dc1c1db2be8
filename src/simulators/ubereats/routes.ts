import { Clock, Effect, Either, ParseResult, Ref, Schema } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { empty, json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { Store, UberSimCore } from "./core.js"
import { checkMenu, updateItem } from "./menu.js"
import { acceptOrder, cancelOrder, denyOrder, rejected, restaurantDelivery, type UberSimRejected } from "./orders.js"
import { AcceptBody, CancelBody, DeliveryStatusBody, DenyBody, ItemUpdate, Menu, StoreStatusUpdate } from "./wire.js"

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

const api = (method: string, template: string, scopes: ReadonlyArray<string>, run: ApiHandler["run"]): Route<ApiHandler> =>
  route(method, template, { scopes, run })

/** A JSON body decoded into `schema`; unknown keys are kept (a menu is stored whole). */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string): Effect.Effect<A, UberSimRejected> =>
  Effect.try({ try: () => JSON.parse(body === "" ? "null" : body) as unknown, catch: () => rejected(400, "invalid_request", "body is not JSON") }).pipe(
    Effect.flatMap((value) =>
      Either.match(Schema.decodeUnknownEither(schema, { onExcessProperty: "preserve", errors: "all" })(value), {
        onLeft: (e) => Effect.fail(rejected(400, "invalid_request", ParseResult.TreeFormatter.formatErrorSync(e))),
        onRight: Effect.succeed
      })
    )
  )

const param = (ctx: ApiContext, name: string) => ctx.params[name] ?? ""

const orderAction = (ctx: ApiContext, f: (body: string) => Effect.Effect<unknown, UberSimRejected>, reply: SimReply) =>
  Effect.as(f(ctx.body), reply)

/** A pause ends by itself at `paused_until`. */
const liveStatus = (store: Store, now: number) => (store.status === "PAUSED" && store.pausedUntil !== null && now >= store.pausedUntil ? "ONLINE" : store.status)

const updateStore = (core: UberSimCore, id: string, f: (s: Store) => Store) =>
  Effect.flatMap(core.store(id), (found) => Ref.update(core.stores, (all) => new Map(all).set(id, f(all.get(id) ?? found))))

const ORDER = ["eats.order", "eats.store.orders.read"]
const STORE = ["eats.store"]

export const apiRoutes: ReadonlyArray<Route<ApiHandler>> = [
  api("GET", "/v2/eats/order/{orderId}", ORDER, (ctx) =>
    Effect.map(ctx.core.order(param(ctx, "orderId")), (o) => json(200, o))),
  api("POST", "/v1/eats/orders/{orderId}/accept_pos_order", ["eats.order"], (ctx) =>
    orderAction(ctx, (body) =>
      Effect.flatMap(decodeBody(AcceptBody, body), (b) => ctx.core.changeOrder(param(ctx, "orderId"), (o) => acceptOrder(o, b.external_reference_id), null)), empty(204))),
  api("POST", "/v1/eats/orders/{orderId}/deny_pos_order", ["eats.order"], (ctx) =>
    orderAction(ctx, (body) => Effect.flatMap(decodeBody(DenyBody, body), () => ctx.core.changeOrder(param(ctx, "orderId"), denyOrder, null)), empty(204))),
  api("POST", "/v1/eats/orders/{orderId}/cancel", ["eats.order"], (ctx) =>
    orderAction(ctx, (body) => Effect.flatMap(decodeBody(CancelBody, body), () => ctx.core.changeOrder(param(ctx, "orderId"), cancelOrder, null)), json(200, {}))),
  api("POST", "/v1/eats/orders/{orderId}/restaurantdelivery/status", ["eats.order"], (ctx) =>
    orderAction(ctx, (body) =>
      Effect.flatMap(decodeBody(DeliveryStatusBody, body), (b) => ctx.core.changeOrder(param(ctx, "orderId"), (o) => restaurantDelivery(o, b.status), null)), empty(204))),
  api("GET", "/v1/eats/stores/{storeId}/created-orders", ORDER, (ctx) =>
    Effect.zipRight(ctx.core.store(param(ctx, "storeId")), Effect.map(Ref.get(ctx.core.orders), (all) =>
      json(200, {
        orders: [...all.values()]
          .filter((s) => s.order.store.id === param(ctx, "storeId") && s.order.current_state === "CREATED")
          .map((s) => ({ id: s.order.id, current_state: s.order.current_state, placed_at: s.order.placed_at }))
      })))),
  api("GET", "/v1/eats/store/{storeId}/status", STORE, (ctx) =>
    Effect.zipWith(ctx.core.store(param(ctx, "storeId")), Clock.currentTimeMillis, (store, now) => {
      const status = liveStatus(store, now)
      return json(200, status === "ONLINE" ? { status } : { status, offlineReason: "PAUSED_BY_RESTAURANT" })
    })),
  api("POST", "/v1/eats/store/{storeId}/status", ["eats.store.status.write"], (ctx) =>
    Effect.flatMap(decodeBody(StoreStatusUpdate, ctx.body), (b) =>
      Effect.as(updateStore(ctx.core, param(ctx, "storeId"), (s) => ({
        ...s,
        status: b.status,
        pausedUntil: b.status === "PAUSED" && b.paused_until !== undefined ? Date.parse(b.paused_until) : null
      })), empty(204)))),
  // Full replace: whatever the body leaves out is gone (ubereats.md).
  api("PUT", "/v2/eats/stores/{storeId}/menus", STORE, (ctx) =>
    Effect.flatMap(decodeBody(Menu, ctx.body), (menu) =>
      Effect.flatMap(checkMenu(menu), () => Effect.as(updateStore(ctx.core, param(ctx, "storeId"), (s) => ({ ...s, menu })), empty(204))))),
  api("GET", "/v2/eats/stores/{storeId}/menus", STORE, (ctx) =>
    Effect.flatMap(ctx.core.store(param(ctx, "storeId")), (s) =>
      s.menu === null ? Effect.fail(rejected(404, "not_found", "no menu uploaded")) : Effect.succeed(json(200, s.menu)))),
  // Sparse; 404 before the first upload, as Uber's reference warns.
  api("POST", "/v2/eats/stores/{storeId}/menus/items/{itemId}", STORE, (ctx) =>
    Effect.gen(function* () {
      const update = yield* decodeBody(ItemUpdate, ctx.body)
      const store = yield* ctx.core.store(param(ctx, "storeId"))
      const menu = yield* updateItem(store.menu, param(ctx, "itemId"), update)
      yield* updateStore(ctx.core, store.id, (s) => ({ ...s, menu }))
      return empty(204)
    }))
]
