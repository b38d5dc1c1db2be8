import { Clock, Effect, Either, Ref, Schema } from "effect"
import type { QueueControl } from "../kit/control.js"
import type { DeliveryStats } from "../kit/delivery-queue.js"
import { type OAuthSimulatorControl, oauthSimulatorControl } from "../kit/oauth-control.js"
import { issuesLine } from "../kit/parse-issues.js"
import type { Counters, UberSimCore } from "./core.js"
import { noCounters } from "./core.js"
import { removeItem, type ShownItem, shownItem, updateItem } from "./menu.js"
import { buildOrder, cancelOrder, finishOrder, rejected, type UberSimRejected } from "./orders.js"
import type { OrderEventType } from "./webhooks.js"
import { type ItemUpdate, type Menu, type Order, OrderSeed, type OrderSeedInput } from "./wire.js"

export interface UberSimCounters extends Counters {
  /** Token requests received (granted or refused). */
  readonly tokenRequests: number
  readonly webhooks: DeliveryStats
}

export type UberWebhookControl = QueueControl

export interface UberEatsSimulatorControl extends OAuthSimulatorControl<Counters> {
  /** An eater orders: the order is CREATED and `orders.notification` goes to the webhook URL. */
  readonly placeOrder: (seed: OrderSeedInput) => Effect.Effect<Order, UberSimRejected>
  readonly order: (orderId: string) => Effect.Effect<Order, UberSimRejected>
  readonly orders: (storeId: string) => Effect.Effect<ReadonlyArray<Order>>
  /** Sends `event` about the order again, as a new event (new event_id). */
  readonly notify: (orderId: string, event: OrderEventType) => Effect.Effect<void, UberSimRejected>
  /** Uber or the eater cancels: CANCELED plus `orders.cancel`. */
  readonly cancelOrder: (orderId: string) => Effect.Effect<Order, UberSimRejected>
  readonly finishOrder: (orderId: string) => Effect.Effect<Order, UberSimRejected>
  /** The last menu uploaded, whole, or null before the first upload. */
  readonly menu: (storeId: string) => Effect.Effect<Menu | null, UberSimRejected>
  /** One item of the last upload (by id or external data) as eaters see it, modifier groups resolved. */
  readonly menuItem: (storeId: string, itemId: string) => Effect.Effect<ShownItem | null, UberSimRejected>
  /** The merchant changes an item in Uber Eats Manager (its price, its availability): no event is sent. */
  readonly editMenuItem: (
    storeId: string,
    itemId: string,
    update: typeof ItemUpdate.Type
  ) => Effect.Effect<void, UberSimRejected>
  /** The merchant deletes an item in Uber Eats Manager: no event is sent. */
  readonly removeMenuItem: (storeId: string, itemId: string) => Effect.Effect<void, UberSimRejected>
  /** The merchant revokes (false) or grants again (true) the app's access: `store.deprovisioned` or `store.provisioned`. */
  readonly setStoreAccess: (storeId: string, provisioned: boolean) => Effect.Effect<void, UberSimRejected>
  /** Uber asks for the store's menu: `store.menu_refresh_request` goes to the webhook URL. */
  readonly requestMenuRefresh: (storeId: string) => Effect.Effect<void, UberSimRejected>
  readonly storeStatus: (
    storeId: string
  ) => Effect.Effect<{ readonly status: "ONLINE" | "PAUSED"; readonly pausedUntil: number | null }, UberSimRejected>
  readonly setWebhookUrl: (url: string | null) => Effect.Effect<void>
  /** 11.5 minutes unless told; applies to orders placed afterwards. */
  readonly setAcceptDeadline: (ms: number) => Effect.Effect<void>
  readonly counters: Effect.Effect<UberSimCounters>
}

const decodeSeed = (seed: OrderSeedInput) =>
  Either.match(Schema.decodeUnknownEither(OrderSeed)(seed), {
    onLeft: (e) => Effect.fail(rejected(400, "invalid_request", issuesLine(e))),
    onRight: Effect.succeed
  })

export const makeControl = (core: UberSimCore): UberEatsSimulatorControl => ({
  placeOrder: (input) =>
    Effect.gen(function*() {
      const seed = yield* decodeSeed(input)
      const stores = yield* Ref.get(core.stores)
      const store = yield* core.store(seed.storeId ?? [...stores.keys()][0] ?? "")
      const order = buildOrder(seed, { id: store.id, name: store.name }, yield* Clock.currentTimeMillis)
      yield* core.addOrder(order)
      yield* core.emit("orders.notification", order)
      return order
    }),
  order: core.order,
  orders: (storeId) =>
    Effect.map(
      Ref.get(core.orders),
      (all) => [...all.values()].map((s) => s.order).filter((o) => o.store.id === storeId)
    ),
  notify: (orderId, event) => Effect.flatMap(core.order(orderId), (o) => core.emit(event, o)),
  cancelOrder: (orderId) => core.changeOrder(orderId, cancelOrder, "orders.cancel"),
  finishOrder: (orderId) => core.changeOrder(orderId, finishOrder, null),
  menu: (storeId) => Effect.map(core.store(storeId), (s) => s.menu),
  menuItem: (storeId, itemId) => Effect.map(core.store(storeId), (s) => shownItem(s.menu, itemId)),
  editMenuItem: (storeId, itemId, update) => core.changeMenu(storeId, (menu) => updateItem(menu, itemId, update)),
  removeMenuItem: (storeId, itemId) => core.changeMenu(storeId, (menu) => removeItem(menu, itemId)),
  setStoreAccess: (storeId, provisioned) =>
    Effect.zipRight(
      core.store(storeId),
      core.emitStore(provisioned ? "store.provisioned" : "store.deprovisioned", storeId)
    ),
  requestMenuRefresh: (storeId) =>
    Effect.zipRight(core.store(storeId), core.emitStore("store.menu_refresh_request", storeId)),
  storeStatus: (storeId) =>
    Effect.zipWith(core.store(storeId), Clock.currentTimeMillis, (s, now) => ({
      status: s.status === "PAUSED" && s.pausedUntil !== null && now >= s.pausedUntil ? "ONLINE" as const : s.status,
      pausedUntil: s.pausedUntil
    })),
  setWebhookUrl: (url) => Ref.update(core.settings, (s) => ({ ...s, webhookUrl: url })),
  setAcceptDeadline: (ms) => Ref.update(core.settings, (s) => ({ ...s, acceptDeadlineMs: ms })),
  ...oauthSimulatorControl(core, noCounters)
})
