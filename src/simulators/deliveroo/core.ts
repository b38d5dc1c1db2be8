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
import { type DeliverooSimRejected, platformEnd, rejected } from "./orders.js"
import { emitMenuUploadResult, emitOrderEvent, type OrderEventKind } from "./webhooks.js"
import type { MenuUpload, Order, PrepStage, SiteStatus, SyncStatus } from "./wire.js"

export interface SiteIdentity {
  readonly siteId: string
  readonly brandId: string
  readonly locationId: string
}

export interface Site extends SiteIdentity {
  /** Item ids marked unavailable or hidden (item_unavailabilities). */
  readonly unavailable: ReadonlySet<string>
  readonly hidden: ReadonlySet<string>
  /** The Site API's open/close status. */
  readonly status: SiteStatus
  /** The live menu's item ids: unavailabilities may name these only. */
  readonly liveItems: ReadonlySet<string> | null
}

export interface StoredMenu {
  readonly upload: MenuUpload
  /** The body exactly as parsed, every key kept, for tests to inspect. */
  readonly raw: unknown
  /** An upload is processed asynchronously; the Menu Upload Result webhook says when it is live. */
  readonly state: "processing" | "live"
}

export interface StoredOrder {
  readonly order: Order
  readonly placedAt: number
  readonly sync: SyncStatus | null
  readonly prepStages: ReadonlyArray<PrepStage>
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
  /** The Menu Event webhook, configured apart from order events (documented); null sends none. */
  readonly menuWebhookUrl: string | null
  /** How long an upload stays `processing` before it is live. */
  readonly menuProcessingMs: number
}

export interface CoreOptions {
  readonly client: OAuthClient
  readonly sites: ReadonlyArray<SiteIdentity>
  readonly tokenLifetimeSeconds: number
  readonly rateLimit: RateLimitSettings | null
  readonly webhookRetry: RetrySettings
  readonly settings: Settings
}

export const makeCore = (options: CoreOptions) =>
  Effect.gen(function*() {
    const sites = yield* Ref.make<ReadonlyMap<string, Site>>(
      new Map(
        options.sites.map((
          s
        ): [string, Site] => [s.siteId, {
          ...s,
          unavailable: new Set(),
          hidden: new Set(),
          status: "OPEN",
          liveItems: null
        }])
      )
    )
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
      Effect.gen(function*() {
        const s = yield* Ref.get(settings)
        if (s.webhookUrl === null) return
        const guid = String(yield* Ref.updateAndGet(guids, (n) => n + 1))
        yield* emitOrderEvent(
          webhooks,
          { url: s.webhookUrl, secret: s.webhookSecret, legacy: s.legacyWebhooks },
          kind,
          order,
          guid
        )
      })

    const order = (id: string) =>
      Effect.flatMap(Ref.get(orders), (all) => {
        const found = all.get(id)
        return found === undefined
          ? Effect.fail(rejected(404, "not_found", `order ${id} not found`))
          : Effect.succeed(found)
      })

    /** One order changed atomically; `order.status_update` goes out when the status moved. */
    const change = (id: string, f: (stored: StoredOrder) => Either.Either<StoredOrder, DeliverooSimRejected>) =>
      Ref.modify(
        orders,
        (
          all
        ): [
          Either.Either<readonly [StoredOrder, StoredOrder], DeliverooSimRejected>,
          ReadonlyMap<string, StoredOrder>
        ] => {
          const stored = all.get(id)
          if (stored === undefined) return [Either.left(rejected(404, "not_found", `order ${id} not found`)), all]
          const next = f(stored)
          return Either.isLeft(next)
            ? [Either.left(next.left), all]
            : [Either.right([stored, next.right] as const), new Map(all).set(id, next.right)]
        }
      ).pipe(
        Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })),
        Effect.tap((
          [before, after]
        ) => (before.order.status === after.order.status ? Effect.void : emit("status_update", after.order))),
        Effect.map(([, after]) => after.order)
      )

    const endByPlatform = (id: string, status: "rejected" | "canceled") =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        change(id, (s) => Either.map(platformEnd(s.order, status, now), (o) => ({ ...s, order: o }))))

    // ASAP orders left unanswered are auto-rejected (10 min; 7 in Kuwait and the UAE).
    const addOrder = (o: Order) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const { autoRejectMs } = yield* Ref.get(settings)
        yield* Ref.update(orders, (all) =>
          new Map(all).set(o.id, { order: o, placedAt: now, sync: null, prepStages: [] }))
        yield* emit("new", o)
        if (!o.asap) {
          return
        }
        const stillPlaced = Effect.map(order(o.id), (s) =>
          s.order.status === "placed")
        yield* FiberSet.run(
          timers,
          Effect.sleep(Duration.millis(autoRejectMs)).pipe(
            Effect.zipRight(stillPlaced),
            Effect.flatMap((placed) => (placed ? Effect.asVoid(endByPlatform(o.id, "rejected")) : Effect.void)),
            Effect.ignore
          )
        )
      })

    /**
     * After `menuProcessingMs` the upload is live on its sites, which start from no unavailable
     * items: a list set while it was processing does not take effect (deliveroo.md, corrections).
     */
    const goLive = (key: string, menuId: string) =>
      Effect.gen(function*() {
        const { menuProcessingMs } = yield* Ref.get(settings)
        yield* Effect.sleep(Duration.millis(menuProcessingMs))
        const stored = (yield* Ref.get(menus)).get(key)
        if (stored === undefined) {
          return
        }
        yield* Ref.update(menus, (all) =>
          new Map(all).set(key, { ...stored, state: "live" }))
        const items = new Set(stored.upload.menu.items.map((i) =>
          i.id
        ))
        yield* Ref.update(sites, (all) =>
          new Map([...all].map(([id, site]): [string, Site] =>
            stored.upload.site_ids.includes(id)
              ? [id, { ...site, unavailable: new Set(), hidden: new Set(), liveItems: items }]
              : [id, site]
          )))
        const s = yield* Ref.get(settings)
        if (s.menuWebhookUrl === null) {
          return
        }
        const guid = String(
          yield* Ref.updateAndGet(guids, (n) => n + 1)
        )
        yield* emitMenuUploadResult(webhooks, { url: s.menuWebhookUrl, secret: s.webhookSecret }, {
          brandId: key.split("/")[0] ?? "",
          menuId,
          siteIds: stored.upload.site_ids
        }, guid)
      })

    /** Stores an upload as `processing`; it goes live later, in the background. */
    const upload = (brandId: string, menuId: string, menu: Omit<StoredMenu, "state">) =>
      Effect.gen(function*() {
        const key = `${brandId}/${menuId}`
        yield* Ref.update(menus, (all) => new Map(all).set(key, { ...menu, state: "processing" }))
        yield* FiberSet.run(timers, goLive(key, menuId))
      })

    return {
      client: options.client,
      sites,
      menus,
      orders,
      settings,
      issuer,
      webhooks,
      limiter,
      patchLimiter,
      syncLimiter,
      faults,
      counters,
      emit,
      order,
      change,
      endByPlatform,
      addOrder,
      upload
    }
  })

export type DeliverooSimCore = Effect.Effect.Success<ReturnType<typeof makeCore>>
