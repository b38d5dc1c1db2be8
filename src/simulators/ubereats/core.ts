import { Clock, Duration, Effect, Either, FiberSet, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "../kit/delivery-queue.js"
import { makeDeliveryQueue } from "../kit/delivery-queue.js"
import type { FaultSwitch } from "../kit/faults.js"
import { makeFaultSwitch } from "../kit/faults.js"
import { noOAuthRequests, type OAuthRequestCounters } from "../kit/oauth-control.js"
import type { OAuthClient, TokenIssuer } from "../kit/oauth.js"
import { makeTokenIssuer } from "../kit/oauth.js"
import type { RateLimitSettings, TokenBucketLimiter } from "../kit/token-bucket.js"
import { makeTokenBucketLimiter } from "../kit/token-bucket.js"
import { cancelOrder, rejected, type UberSimRejected } from "./orders.js"
import {
  emitOrderEvent,
  emitStoreEvent,
  type OrderEventType,
  type StoreEventType,
  type WebhookTarget
} from "./webhooks.js"
import type { Menu, Order } from "./wire.js"

export interface Store {
  readonly id: string
  readonly name: string
  readonly status: "ONLINE" | "PAUSED"
  /** Epoch ms; the store is ONLINE again from then on. */
  readonly pausedUntil: number | null
  /** The last upload, whole (unknown keys kept), or null before the first PUT. */
  readonly menu: Menu | null
}

export interface StoredOrder {
  readonly order: Order
  /** Epoch ms after which an unanswered order is auto-cancelled (11.5 min by default). */
  readonly acceptBy: number
}

export type Counters = OAuthRequestCounters
export const noCounters: Counters = noOAuthRequests

export interface Settings {
  readonly webhookUrl: string | null
  readonly acceptDeadlineMs: number
}

export interface CoreOptions {
  readonly app: OAuthClient
  readonly stores: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly tokenLifetimeSeconds: number
  readonly rateLimit: RateLimitSettings | null
  readonly webhookRetry: RetrySettings
  readonly settings: Settings
}

export interface UberSimCore {
  readonly app: OAuthClient
  readonly stores: Ref.Ref<ReadonlyMap<string, Store>>
  readonly orders: Ref.Ref<ReadonlyMap<string, StoredOrder>>
  readonly settings: Ref.Ref<Settings>
  /** Set once the server listens: `resource_href` in webhooks points at it. */
  readonly origin: Ref.Ref<string>
  readonly issuer: TokenIssuer
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<Counters>
  readonly store: (id: string) => Effect.Effect<Store, UberSimRejected>
  readonly order: (id: string) => Effect.Effect<Order, UberSimRejected>
  /** Changes one order atomically, emitting `event` when the change succeeds. */
  readonly changeOrder: (
    id: string,
    change: (order: Order) => Either.Either<Order, UberSimRejected>,
    event: OrderEventType | null
  ) => Effect.Effect<Order, UberSimRejected>
  readonly addOrder: (order: Order) => Effect.Effect<void>
  readonly emit: (event: OrderEventType, order: Order) => Effect.Effect<void>
  readonly emitStore: (event: StoreEventType, storeId: string) => Effect.Effect<void>
  /** Changes one store (its menu, its status) in place. */
  readonly updateStore: (id: string, f: (store: Store) => Store) => Effect.Effect<void, UberSimRejected>
  /** Replaces one store's menu by what `change` makes of it, unless `change` refuses. */
  readonly changeMenu: (
    id: string,
    change: (menu: Menu | null) => Effect.Effect<Menu, UberSimRejected>
  ) => Effect.Effect<void, UberSimRejected>
}

export const makeCore = (options: CoreOptions) =>
  Effect.gen(function*() {
    const stores = yield* Ref.make<ReadonlyMap<string, Store>>(
      new Map(options.stores.map((s) => [s.id, { ...s, status: "ONLINE" as const, pausedUntil: null, menu: null }]))
    )
    const orders = yield* Ref.make<ReadonlyMap<string, StoredOrder>>(new Map())
    const settings = yield* Ref.make(options.settings)
    const origin = yield* Ref.make("http://127.0.0.1")
    const issuer = yield* makeTokenIssuer([options.app], options.tokenLifetimeSeconds)
    const webhooks = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter = yield* makeTokenBucketLimiter(options.rateLimit)
    const faults = yield* makeFaultSwitch
    const counters = yield* Ref.make(noCounters)
    const timers = yield* FiberSet.make<void, never>()

    const toWebhook = (send: (target: WebhookTarget) => Effect.Effect<void>) =>
      Effect.flatMap(Effect.all([Ref.get(settings), Ref.get(origin)]), ([s, o]) =>
        s.webhookUrl === null
          ? Effect.void
          : send({ url: s.webhookUrl, origin: o, clientSecret: options.app.clientSecret }))
    const emit = (event: OrderEventType, order: Order) =>
      toWebhook((target) => emitOrderEvent(webhooks, target, event, order))
    const emitStore = (event: StoreEventType, storeId: string) =>
      toWebhook((target) => emitStoreEvent(webhooks, target, event, storeId))

    const store = (id: string) =>
      Effect.flatMap(Ref.get(stores), (all) => {
        const found = all.get(id)
        return found === undefined
          ? Effect.fail(rejected(404, "not_found", `store ${id} not found`))
          : Effect.succeed(found)
      })

    const updateStore = (id: string, f: (s: Store) => Store) =>
      Effect.flatMap(store(id), (found) => Ref.update(stores, (all) => new Map(all).set(id, f(all.get(id) ?? found))))

    const changeMenu: UberSimCore["changeMenu"] = (id, change) =>
      Effect.flatMap(store(id), (found) =>
        Effect.flatMap(change(found.menu), (menu) => updateStore(id, (s) => ({ ...s, menu }))))

    const order = (id: string) =>
      Effect.flatMap(Ref.get(orders), (all) => {
        const found = all.get(id)
        return found === undefined
          ? Effect.fail(rejected(404, "not_found", `order ${id} not found`))
          : Effect.succeed(found.order)
      })

    const changeOrder: UberSimCore["changeOrder"] = (id, change, event) =>
      Ref.modify(orders, (all): [Either.Either<Order, UberSimRejected>, ReadonlyMap<string, StoredOrder>] => {
        const stored = all.get(id)
        if (stored === undefined) {
          return [Either.left(rejected(404, "not_found", `order ${id} not found`)), all]
        }
        const next = change(stored.order)
        return Either.isLeft(next) ? [next, all] : [next, new Map(all).set(id, { ...stored, order: next.right })]
      }).pipe(
        Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })),
        Effect.tap((order) => (event === null ? Effect.void : emit(event, order)))
      )

    // ubereats.md: no accept or deny within 11.5 min and the order auto-cancels, with an orders.cancel event.
    const autoCancel = (id: string) =>
      changeOrder(id, (o) => (o.current_state === "CREATED"
        ? cancelOrder(o)
        : Either.left(rejected(409, "answered", "answered in time"))), "orders.cancel").pipe(
          Effect.ignore
        )

    const addOrder = (order: Order) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const { acceptDeadlineMs } = yield* Ref.get(settings)
        yield* Ref.update(orders, (all) =>
          new Map(all).set(order.id, { order, acceptBy: now + acceptDeadlineMs }))
        yield* FiberSet.run(
          timers,
          Effect.zipRight(Effect.sleep(Duration.millis(acceptDeadlineMs)), autoCancel(order.id))
        )
      })

    const core: UberSimCore = {
      app: options.app,
      stores,
      orders,
      settings,
      origin,
      issuer,
      webhooks,
      limiter,
      faults,
      counters,
      store,
      order,
      changeOrder,
      addOrder,
      emit,
      emitStore,
      updateStore,
      changeMenu
    }
    return core
  })
