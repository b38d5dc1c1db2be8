import { Clock, Duration, Effect, Either, FiberSet, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "../kit/delivery-queue.js"
import { makeDeliveryQueue } from "../kit/delivery-queue.js"
import type { FaultSwitch } from "../kit/faults.js"
import { makeFaultSwitch } from "../kit/faults.js"
import { noOAuthRequests, type OAuthRequestCounters } from "../kit/oauth-control.js"
import type { RateLimitSettings, TokenBucketLimiter } from "../kit/token-bucket.js"
import { makeTokenBucketLimiter } from "../kit/token-bucket.js"
import type { OAuthClient, TokenIssuer } from "../kit/oauth.js"
import { makeTokenIssuer } from "../kit/oauth.js"
import { type DeliverooSimRejected, platformEnd, rejected } from "./orders.js"
import { emitOrderEvent, type OrderEventKind } from "./webhooks.js"
import type { MenuUpload, Order, SyncStatus } from "./wire.js"

export interface Site {
  readonly siteId: string
  readonly brandId: string
  readonly locationId: string
  /** Item ids marked unavailable (item_unavailabilities). */
  readonly unavailable: ReadonlySet<string>
}

export interface StoredMenu {
  readonly upload: MenuUpload
  /** The body exactly as parsed, every key kept, for tests to inspect. */
  readonly raw: unknown
}

export interface StoredOrder {
  readonly order: Order
  readonly placedAt: number
  readonly sync: SyncStatus | null
}

export type Counters = OAuthRequestCounters
export const noCounters: Counters = noOAuthRequests

export interface Settings {
  readonly webhookUrl: string | null
  readonly webhookSecret: string
  /** Legacy POS event names and signing (`new_order`, `cancel_order`, space-newline-space). */
  readonly legacyWebhooks: boolean
  /** ASAP orders not accepted in time are auto-rejected (10 min, documented). */
  readonly autoRejectMs: number
  /** sync_status is accepted this long after the order (3 min, documented). */
  readonly syncWindowMs: number
}

export interface CoreOptions {
  readonly client: OAuthClient
  readonly sites: ReadonlyArray<Omit<Site, "unavailable">>
  readonly tokenLifetimeSeconds: number
  readonly rateLimit: RateLimitSettings | null
  readonly webhookRetry: RetrySettings
  readonly settings: Settings
}

export const makeCore = (options: CoreOptions) =>
  Effect.gen(function* () {
    const sites = yield* Ref.make<ReadonlyMap<string, Site>>(new Map(options.sites.map((s) => [s.siteId, { ...s, unavailable: new Set<string>() }])))
    const menus = yield* Ref.make<ReadonlyMap<string, StoredMenu>>(new Map())
    const orders = yield* Ref.make<ReadonlyMap<string, StoredOrder>>(new Map())
    const settings = yield* Ref.make(options.settings)
    const guids = yield* Ref.make(1_000)
    const issuer: TokenIssuer = yield* makeTokenIssuer([options.client], options.tokenLifetimeSeconds)
    const webhooks: DeliveryQueue = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter: TokenBucketLimiter = yield* makeTokenBucketLimiter(options.rateLimit)
    // Per order (documented): PATCH 5 per minute, sync_status 1 per 10 s.
    const patchLimiter = yield* makeTokenBucketLimiter({ limit: 5, windowMs: 60_000 })
    const syncLimiter = yield* makeTokenBucketLimiter({ limit: 1, windowMs: 10_000 })
    const faults: FaultSwitch = yield* makeFaultSwitch
    const counters = yield* Ref.make(noCounters)
    const timers = yield* FiberSet.make<void, never>()

    /** A monotonically increasing numeric GUID per delivery (deliveroo.md simulator notes). */
    const emit = (kind: OrderEventKind, order: Order) =>
      Effect.gen(function* () {
        const s = yield* Ref.get(settings)
        if (s.webhookUrl === null) return
        const guid = String(yield* Ref.updateAndGet(guids, (n) => n + 1))
        yield* emitOrderEvent(webhooks, { url: s.webhookUrl, secret: s.webhookSecret, legacy: s.legacyWebhooks }, kind, order, guid)
      })

    const order = (id: string) =>
      Effect.flatMap(Ref.get(orders), (all) => {
        const found = all.get(id)
        return found === undefined ? Effect.fail(rejected(404, "not_found", `order ${id} not found`)) : Effect.succeed(found)
      })

    /** One order changed atomically; `order.status_update` goes out when the status moved. */
    const change = (id: string, f: (stored: StoredOrder) => Either.Either<StoredOrder, DeliverooSimRejected>) =>
      Ref.modify(orders, (all): [Either.Either<readonly [StoredOrder, StoredOrder], DeliverooSimRejected>, ReadonlyMap<string, StoredOrder>] => {
        const stored = all.get(id)
        if (stored === undefined) return [Either.left(rejected(404, "not_found", `order ${id} not found`)), all]
        const next = f(stored)
        return Either.isLeft(next) ? [Either.left(next.left), all] : [Either.right([stored, next.right] as const), new Map(all).set(id, next.right)]
      }).pipe(
        Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })),
        Effect.tap(([before, after]) => (before.order.status === after.order.status ? Effect.void : emit("status_update", after.order))),
        Effect.map(([, after]) => after.order)
      )

    const endByPlatform = (id: string, status: "rejected" | "canceled") =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => change(id, (s) => Either.map(platformEnd(s.order, status, now), (o) => ({ ...s, order: o }))))

    // ASAP orders left unanswered are auto-rejected (10 min; 7 in Kuwait and the UAE).
    const addOrder = (o: Order) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const { autoRejectMs } = yield* Ref.get(settings)
        yield* Ref.update(orders, (all) => new Map(all).set(o.id, { order: o, placedAt: now, sync: null }))
        yield* emit("new", o)
        if (!o.asap) return
        const stillPlaced = Effect.map(order(o.id), (s) => s.order.status === "placed")
        yield* FiberSet.run(timers, Effect.sleep(Duration.millis(autoRejectMs)).pipe(
          Effect.zipRight(stillPlaced),
          Effect.flatMap((placed) => (placed ? Effect.asVoid(endByPlatform(o.id, "rejected")) : Effect.void)),
          Effect.ignore
        ))
      })

    return { client: options.client, sites, menus, orders, settings, issuer, webhooks, limiter, patchLimiter, syncLimiter, faults, counters, emit, order, change, endByPlatform, addOrder }
  })

export type DeliverooSimCore = Effect.Effect.Success<ReturnType<typeof makeCore>>
