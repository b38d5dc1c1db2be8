import { Clock, Effect, Either, Ref, Schema } from "effect"
import type { QueueControl } from "../kit/control.js"
import type { DeliveryStats } from "../kit/delivery-queue.js"
import { type OAuthSimulatorControl, oauthSimulatorControl } from "../kit/oauth-control.js"
import { issuesLine } from "../kit/parse-issues.js"
import type { Counters, DeliverooSimCore, Settings } from "./core.js"
import { noCounters } from "./core.js"
import { type ShownItem, shownItem } from "./menu.js"
import { buildOrder, type DeliverooSimRejected, rejected } from "./orders.js"
import { type Order, OrderSeed, type OrderSeedInput, type PrepStage, type SiteStatus, type SyncStatus } from "./wire.js"

export interface DeliverooSimCounters extends Counters {
  /** Token requests received (granted or refused). */
  readonly tokenRequests: number
  readonly webhooks: DeliveryStats
}

export type DeliverooWebhookControl = QueueControl

/** `setRateLimit` is per client id; the per-order limits stay (documented). */
export interface DeliverooSimulatorControl extends OAuthSimulatorControl<Counters> {
  /** A customer orders: the order is `placed` and `order.new` goes to the webhook URL. */
  readonly placeOrder: (seed: OrderSeedInput) => Effect.Effect<Order, DeliverooSimRejected>
  readonly order: (orderId: string) => Effect.Effect<Order, DeliverooSimRejected>
  readonly orders: (locationId: string) => Effect.Effect<ReadonlyArray<Order>>
  /** The sync status the integration reported, or null. */
  readonly syncStatus: (orderId: string) => Effect.Effect<SyncStatus | null, DeliverooSimRejected>
  /** Deliveroo cancels (customer or support): `canceled` plus `order.status_update`. */
  readonly cancelOrder: (orderId: string) => Effect.Effect<Order, DeliverooSimRejected>
  /** Sends the order's current event again as a new delivery (a new GUID). */
  readonly notify: (orderId: string) => Effect.Effect<void, DeliverooSimRejected>
  /** The last upload of `menuId` for the brand, exactly as received (every key kept), or null. */
  readonly menu: (brandId: string, menuId: string) => Effect.Effect<unknown>
  /** One item of that upload (by id or PLU) as customers see it, modifiers resolved; null when absent. */
  readonly menuItem: (brandId: string, menuId: string, itemId: string) => Effect.Effect<ShownItem | null>
  /** Item ids marked unavailable or hidden on the site. */
  readonly unavailableItems: (siteId: string) => Effect.Effect<ReadonlyArray<string>, DeliverooSimRejected>
  /** The Site API's open/close status. */
  readonly siteStatus: (siteId: string) => Effect.Effect<SiteStatus, DeliverooSimRejected>
  /** The preparation stages reported for the order, in order. */
  readonly prepStages: (orderId: string) => Effect.Effect<ReadonlyArray<PrepStage>, DeliverooSimRejected>
  /** `processing` until the upload is live, then `live`; null before any upload. */
  readonly menuState: (brandId: string, menuId: string) => Effect.Effect<"processing" | "live" | null>
  /** Webhook URLs, secret, legacy events, auto-reject, sync-status and menu-processing windows. */
  readonly configure: (settings: Partial<Settings>) => Effect.Effect<void>
  readonly counters: Effect.Effect<DeliverooSimCounters>
}

const decodeSeed = (seed: OrderSeedInput) =>
  Either.match(Schema.decodeUnknownEither(OrderSeed)(seed), {
    onLeft: (e) => Effect.fail(rejected(400, "bad_request", issuesLine(e))),
    onRight: Effect.succeed
  })

const siteOf = (core: DeliverooSimCore, siteId: string) =>
  Effect.flatMap(Ref.get(core.sites), (all) => {
    const site = all.get(siteId)
    return site === undefined ? Effect.fail(rejected(404, "not_found", `unknown site ${siteId}`)) : Effect.succeed(site)
  })

export const makeControl = (core: DeliverooSimCore): DeliverooSimulatorControl => ({
  placeOrder: (input) =>
    Effect.gen(function*() {
      const seed = yield* decodeSeed(input)
      const sites = [...(yield* Ref.get(core.sites)).values()]
      const site = sites.find((s) => s.locationId === (seed.locationId ?? sites[0]?.locationId))
      if (site === undefined) return yield* rejected(404, "not_found", `unknown location ${seed.locationId}`)
      const order = buildOrder(seed, site.locationId, yield* Clock.currentTimeMillis)
      yield* core.addOrder(order)
      return order
    }),
  order: (id) => Effect.map(core.order(id), (s) => s.order),
  orders: (locationId) =>
    Effect.map(
      Ref.get(core.orders),
      (all) => [...all.values()].map((s) => s.order).filter((o) => o.location_id === locationId)
    ),
  syncStatus: (id) => Effect.map(core.order(id), (s) => s.sync),
  cancelOrder: (id) => core.endByPlatform(id, "canceled"),
  notify: (id) =>
    Effect.flatMap(core.order(id), (s) => core.emit(s.order.status === "placed" ? "new" : "status_update", s.order)),
  menu: (brandId, menuId) => Effect.map(Ref.get(core.menus), (all) => all.get(`${brandId}/${menuId}`)?.raw ?? null),
  menuItem: (brandId, menuId, itemId) =>
    Effect.map(Ref.get(core.menus), (all) => shownItem(all.get(`${brandId}/${menuId}`)?.raw ?? null, itemId)),
  unavailableItems: (siteId) => Effect.map(siteOf(core, siteId), (site) => [...site.unavailable, ...site.hidden]),
  siteStatus: (siteId) => Effect.map(siteOf(core, siteId), (site) => site.status),
  prepStages: (id) => Effect.map(core.order(id), (s) => s.prepStages),
  menuState: (brandId, menuId) =>
    Effect.map(Ref.get(core.menus), (all) => all.get(`${brandId}/${menuId}`)?.state ?? null),
  configure: (settings) => Ref.update(core.settings, (s) => ({ ...s, ...settings })),
  ...oauthSimulatorControl(core, noCounters)
})
