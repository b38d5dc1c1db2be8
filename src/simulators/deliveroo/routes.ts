import { Clock, Effect, Either, ParseResult, Ref, Schema } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { TokenBucketLimiter } from "../kit/token-bucket.js"
import type { DeliverooSimCore, Site } from "./core.js"
import { checkMenuText } from "./menu.js"
import { type DeliverooSimRejected, patchStatus, rejected } from "./orders.js"
import { MenuUpload, StatusUpdateBody, SyncStatusBody, Unavailabilities } from "./wire.js"

export interface ApiContext {
  readonly core: DeliverooSimCore
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}
export type ApiHandler = (ctx: ApiContext) => Effect.Effect<SimReply, DeliverooSimRejected>

/** A JSON body decoded into `schema`; unknown keys are kept (a menu is stored whole). */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string): Effect.Effect<A, DeliverooSimRejected> =>
  Effect.try({ try: () => JSON.parse(body === "" ? "null" : body) as unknown, catch: () => rejected(400, "bad_request", "body is not JSON") }).pipe(
    Effect.flatMap((value) =>
      Either.match(Schema.decodeUnknownEither(schema, { onExcessProperty: "preserve", errors: "all" })(value), {
        onLeft: (e) => Effect.fail(rejected(400, "bad_request", ParseResult.TreeFormatter.formatErrorSync(e))),
        onRight: Effect.succeed
      })
    )
  )

const param = (ctx: ApiContext, name: string) => ctx.params[name] ?? ""

/** Documented per-order limits answer 429 "Too many requests"; ASSUMPTION: without Retry-After. */
const perOrder = (limiter: TokenBucketLimiter, orderId: string) =>
  Effect.flatMap(limiter.take(orderId), (taken) => (taken._tag === "Allowed" ? Effect.void : Effect.fail(rejected(429, "too_many_requests", "Too many requests"))))

const siteOf = (ctx: ApiContext) =>
  Effect.flatMap(Ref.get(ctx.core.sites), (all) => {
    const site = all.get(param(ctx, "siteId"))
    return site === undefined || site.brandId !== param(ctx, "brandId") ? Effect.fail(rejected(404, "not_found", "unknown brand or site")) : Effect.succeed(site)
  })

const updateSite = (ctx: ApiContext, f: (s: Site) => Site) =>
  Effect.flatMap(siteOf(ctx), (site) => Ref.update(ctx.core.sites, (all) => new Map(all).set(site.siteId, f(site))))

const unavailabilityRoutes: ReadonlyArray<Route<ApiHandler>> = [
  route("GET", "/menu/v1/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities", (ctx) =>
    Effect.map(siteOf(ctx), (s) => json(200, { item_unavailabilities: [...s.unavailable].map((item_id) => ({ item_id, status: "unavailable" })) }))),
  // PUT replaces the site's whole list; POST changes the items it names (ASSUMPTION, not in the notes).
  route("PUT", "/menu/v1/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities", (ctx) =>
    Effect.flatMap(decodeBody(Unavailabilities, ctx.body), (b) =>
      Effect.as(updateSite(ctx, (s) => ({ ...s, unavailable: new Set(b.item_unavailabilities.filter((u) => u.status !== "available").map((u) => u.item_id)) })), json(200, {})))),
  route("POST", "/menu/v1/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities", (ctx) =>
    Effect.flatMap(decodeBody(Unavailabilities, ctx.body), (b) =>
      Effect.as(updateSite(ctx, (s) => {
        const next = new Set(s.unavailable)
        for (const u of b.item_unavailabilities) u.status === "available" ? next.delete(u.item_id) : next.add(u.item_id)
        return { ...s, unavailable: next }
      }), json(200, {}))))
]

export const apiRoutes: ReadonlyArray<Route<ApiHandler>> = [
  route("GET", "/order/v1/orders/{orderId}", (ctx) => Effect.map(ctx.core.order(param(ctx, "orderId")), (s) => json(200, s.order))),
  route("PATCH", "/order/v1/orders/{orderId}", (ctx) =>
    Effect.gen(function* () {
      const id = param(ctx, "orderId")
      yield* ctx.core.order(id)
      yield* perOrder(ctx.core.patchLimiter, id)
      const body = yield* decodeBody(StatusUpdateBody, ctx.body)
      const now = yield* Clock.currentTimeMillis
      yield* ctx.core.change(id, (s) => Either.map(patchStatus(s.order, body, now), (order) => ({ ...s, order })))
      return { _tag: "Respond", status: 204, headers: {}, body: "" } as const
    })),
  // Once per order, within 3 min of it (documented); 409 otherwise.
  route("POST", "/order/v1/orders/{orderId}/sync_status", (ctx) =>
    Effect.gen(function* () {
      const id = param(ctx, "orderId")
      yield* ctx.core.order(id)
      yield* perOrder(ctx.core.syncLimiter, id)
      const body = yield* decodeBody(SyncStatusBody, ctx.body)
      if (body.status === "failed" && body.reason === undefined) return yield* rejected(400, "bad_request", "reason is required on failure")
      const now = yield* Clock.currentTimeMillis
      const { syncWindowMs } = yield* Ref.get(ctx.core.settings)
      yield* ctx.core.change(id, (s) =>
        s.sync !== null || now - s.placedAt > syncWindowMs
          ? Either.left(rejected(409, "conflict", s.sync !== null ? "sync status already set" : "sync status window has closed"))
          : Either.right({ ...s, sync: body }))
      return json(200, {})
    })),
  // A whole menu for the sites it lists; processing is asynchronous (202).
  route("PUT", "/menu/v1/brands/{brandId}/menus/{menuId}", (ctx) =>
    Effect.gen(function* () {
      const upload = yield* decodeBody(MenuUpload, ctx.body)
      yield* checkMenuText(upload)
      const sites = yield* Ref.get(ctx.core.sites)
      const unknown = upload.site_ids.filter((id) => sites.get(id)?.brandId !== param(ctx, "brandId"))
      if (unknown.length > 0) return yield* rejected(400, "bad_request", `unknown site_ids for this brand: ${unknown.join(", ")}`)
      const key = `${param(ctx, "brandId")}/${param(ctx, "menuId")}`
      yield* Ref.update(ctx.core.menus, (all) => new Map(all).set(key, { upload, raw: JSON.parse(ctx.body) as unknown }))
      return json(202, { id: param(ctx, "menuId"), status: "processing" })
    })),
  route("GET", "/menu/v2/brands/{brandId}/sites/{siteId}/menu", (ctx) =>
    Effect.flatMap(Effect.zipRight(siteOf(ctx), Ref.get(ctx.core.menus)), (all) => {
      const found = [...all].reverse().find(([key, m]) => key.startsWith(`${param(ctx, "brandId")}/`) && m.upload.site_ids.includes(param(ctx, "siteId")))
      return found === undefined ? Effect.fail(rejected(404, "not_found", "no menu for this site")) : Effect.succeed(json(200, { name: found[1].upload.name, menu: found[1].upload.menu }))
    })),
  ...unavailabilityRoutes
]
