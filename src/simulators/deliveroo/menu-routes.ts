import { Effect, Ref } from "effect"
import { empty, json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { Site } from "./core.js"
import { checkMenuText } from "./menu.js"
import { rejected } from "./orders.js"
import { type ApiContext, type ApiHandler, decodeBody, param } from "./routes.js"
import { ItemUnavailabilities, MenuUpload, SiteStatusBody, UnavailableIds } from "./wire.js"

const siteOf = (ctx: ApiContext) =>
  Effect.flatMap(Ref.get(ctx.core.sites), (all) => {
    const site = all.get(param(ctx, "siteId"))
    return site === undefined || site.brandId !== param(ctx, "brandId")
      ? Effect.fail(rejected(404, "not_found", "unknown brand or site"))
      : Effect.succeed(site)
  })

const updateSite = (ctx: ApiContext, f: (s: Site) => Site) =>
  Effect.flatMap(siteOf(ctx), (site) => Ref.update(ctx.core.sites, (all) => new Map(all).set(site.siteId, f(site))))

/** A public client's note: "any unknown item id fails the whole request"; before a menu is live every id is unknown. */
const knownItems = (site: Site, ids: ReadonlyArray<string>) => {
  const unknown = ids.filter((id) => site.liveItems === null || !site.liveItems.has(id))
  return unknown.length === 0
    ? Effect.void
    : Effect.fail(rejected(400, "bad_request", `unknown item ids: ${unknown.slice(0, 5).join(", ")}`))
}

const listOf = (site: Site) => ({ unavailable_ids: [...site.unavailable], hidden_ids: [...site.hidden] })

export const menuRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // deliveroo.md (menu upload, [mirror]; confirmed by the corrections): a whole menu for the sites
  // it lists, processed asynchronously; the Menu Upload Result webhook says when it is live.
  route("PUT", "/menu/v1/brands/{brandId}/menus/{menuId}", (ctx) =>
    Effect.gen(function*() {
      const upload = yield* decodeBody(MenuUpload, ctx.body)
      yield* checkMenuText(upload)
      const sites = yield* Ref.get(ctx.core.sites)
      const unknown = upload.site_ids.filter((id) => sites.get(id)?.brandId !== param(ctx, "brandId"))
      if (unknown.length > 0) {
        return yield* rejected(400, "bad_request", `unknown site_ids for this brand: ${unknown.join(", ")}`)
      }
      yield* ctx.core.upload(param(ctx, "brandId"), param(ctx, "menuId"), {
        upload,
        raw: JSON.parse(ctx.body) as unknown
      })
      return json(202, { id: param(ctx, "menuId"), status: "processing" })
    })),
  // deliveroo.md ([mirror]): the site's current menu, the live one only.
  route(
    "GET",
    "/menu/v2/brands/{brandId}/sites/{siteId}/menu",
    (ctx) =>
      Effect.flatMap(Effect.zipRight(siteOf(ctx), Ref.get(ctx.core.menus)), (all) => {
        const found = [...all].reverse().find(([key, m]) =>
          key.startsWith(`${param(ctx, "brandId")}/`) && m.state === "live" &&
          m.upload.site_ids.includes(param(ctx, "siteId"))
        )
        return found === undefined
          ? Effect.fail(rejected(404, "not_found", "no live menu for this site"))
          : Effect.succeed(json(200, { name: found[1].upload.name, menu: found[1].upload.menu }))
      })
  ),
  // v1 item unavailabilities (deliveroo.md, corrections): the site's whole list, `{unavailable_ids, hidden_ids}`.
  route(
    "GET",
    "/menu/v1/brands/{brandId}/menus/{menuId}/item_unavailabilities/{siteId}",
    (ctx) => Effect.map(siteOf(ctx), (s) => json(200, listOf(s)))
  ),
  route(
    "PUT",
    "/menu/v1/brands/{brandId}/menus/{menuId}/item_unavailabilities/{siteId}",
    (ctx) =>
      Effect.gen(function*() {
        const body = yield* decodeBody(UnavailableIds, ctx.body, true)
        yield* knownItems(yield* siteOf(ctx), [...body.unavailable_ids, ...body.hidden_ids])
        yield* updateSite(
          ctx,
          (s) => ({ ...s, unavailable: new Set(body.unavailable_ids), hidden: new Set(body.hidden_ids) })
        )
        return empty(204)
      })
  ),
  // v2 item unavailabilities (deliveroo.md, corrections): GET lists, POST changes the items it names.
  route(
    "GET",
    "/menu/v2/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities",
    (ctx) =>
      Effect.map(siteOf(ctx), (s) =>
        json(200, {
          item_unavailabilities: [
            ...[...s.unavailable].map((item_id) => ({ item_id, status: "unavailable" })),
            ...[...s.hidden].map((item_id) => ({ item_id, status: "hidden" }))
          ]
        }))
  ),
  route("POST", "/menu/v2/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities", (ctx) =>
    Effect.gen(function*() {
      const body = yield* decodeBody(ItemUnavailabilities, ctx.body, true)
      yield* knownItems(yield* siteOf(ctx), body.item_unavailabilities.map((u) => u.item_id))
      yield* updateSite(ctx, (s) => {
        const unavailable = new Set(s.unavailable)
        const hidden = new Set(s.hidden)
        for (const u of body.item_unavailabilities) {
          unavailable.delete(u.item_id)
          hidden.delete(u.item_id)
          if (u.status === "unavailable") unavailable.add(u.item_id)
          if (u.status === "hidden") hidden.add(u.item_id)
        }
        return { ...s, unavailable, hidden }
      })
      return empty(204)
    })),
  // Site API open/close status (deliveroo.md, corrections; the Site API reference, [mirror]):
  // OPEN, CLOSED or READY_TO_OPEN.
  route(
    "GET",
    "/site/v1/brands/{brandId}/sites/{siteId}/status",
    (ctx) => Effect.map(siteOf(ctx), (s) => json(200, { status: s.status }))
  ),
  route(
    "PUT",
    "/site/v1/brands/{brandId}/sites/{siteId}/status",
    (ctx) =>
      Effect.flatMap(
        decodeBody(SiteStatusBody, ctx.body, true),
        (b) => Effect.as(updateSite(ctx, (s) => ({ ...s, status: b.status })), json(200, {}))
      )
  )
]
