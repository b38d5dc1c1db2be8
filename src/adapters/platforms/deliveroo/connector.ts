import { Clock, Data, Duration, Effect, Redacted, Schedule } from "effect"
import type { OrderStatus } from "../../../domain/status.js"
import type {
  MenuCapability,
  OrderCapability,
  PlatformConnector,
  StoreCapability
} from "../../../ports/connector-capabilities.js"
import { type ConnectorError, PlatformRetryableError } from "../../../ports/connector-errors.js"
import type { ConnectorConfig } from "../../../ports/platform-module.js"
import { tokenAuth } from "../shared/auth.js"
import { connectorKit } from "../shared/connector-kit.js"
import { hasStatus, isNotFound } from "../shared/http-policy.js"
import { makeClientCredentialsCache } from "../shared/oauth-token.js"
import { errorDetailOf, jsonBody, makePlatformHttp } from "../shared/platform-http.js"
import * as M from "./mapper.js"
import {
  DeliverooCredentials,
  DeliverooErrorBody,
  type DeliverooItemUnavailabilities,
  type DeliverooMenuUpload,
  DeliverooOrder,
  type DeliverooPrepStage,
  type DeliverooPrepStageUpdate,
  DeliverooSiteMenu,
  DeliverooSiteStatus,
  type DeliverooStatusUpdate,
  type DeliverooSyncStatus,
  DeliverooUnavailableIds,
  SYNC_FAILURE_REASONS,
  type SyncFailureReason
} from "./types.js"

const platform = "deliveroo" as const
const { orInvalid, permanent, decodeCredentials } = connectorKit(platform, DeliverooCredentials)
const seg = encodeURIComponent

/** deliveroo.md, corrections: error bodies `{error: {code, message}}`; the code is safe to log, the message may not be. */
const errorCode = errorDetailOf(DeliverooErrorBody, (b) => (typeof b.error === "string" ? b.error : b.error.code))

/**
 * An upload is processed asynchronously and item unavailabilities set before it is live may not
 * take effect (deliveroo.md, corrections). ASSUMPTION: live = the site's menu serves the upload's
 * items; waited for up to about three minutes, then the push fails retryably.
 */
const untilLive = Schedule.exponential(Duration.millis(100), 1.5).pipe(
  Schedule.either(Schedule.spaced(Duration.seconds(10))),
  Schedule.upTo(Duration.minutes(3))
)

class MenuNotLive extends Data.TaggedError("MenuNotLive") {}

const sameItems = (upload: DeliverooMenuUpload, live: typeof DeliverooSiteMenu.Type) => {
  const served = new Set(live.menu.items.map((i) => i.id))
  return served.size === upload.menu.items.length && upload.menu.items.every((i) => served.has(i.id))
}

const isSyncFailureReason = (text: string): text is SyncFailureReason =>
  (SYNC_FAILURE_REASONS as ReadonlyArray<string>).includes(text)

/** Deliveroo's own reasons pass as they are; any other travels as `other` with the text in the notes. */
const syncReason = (failure: string): { readonly reason: SyncFailureReason; readonly notes?: string } =>
  isSyncFailureReason(failure) ? { reason: failure } : { reason: "other", notes: failure }

/** Deliveroo: orders (PATCH once per transition, sync status), full-replace menus, item availability. */
export const makeDeliverooConnector = (config: ConnectorConfig) =>
  Effect.gen(function*() {
    const credentials = yield* decodeCredentials(config.credentials)
    if (credentials.locationId !== config.externalRestaurantId) {
      return yield* permanent("validation", "the config's external restaurant id is not the credentials' locationId")
    }
    // Tokens live 300 s (documented): the cache renews them before expiry, once for all callers.
    const tokens = yield* makeClientCredentialsCache({
      platform,
      tokenUrl: credentials.tokenUrl,
      clientId: credentials.clientId,
      clientSecret: Redacted.make(credentials.clientSecret)
    })
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      auth: tokenAuth(tokens),
      rateLimitBy: credentials.clientId,
      errorDetail: errorCode
    })
    const { retry } = http
    const orderPath = (id: string) => `/order/v1/orders/${seg(id)}`

    // Orders are read through v2 (three public clients; the v1 path takes PATCH only). One client
    // may reach many sites: an order of another location is not ours to see.
    const getOrder = (id: string) =>
      http.call({ method: "GET", path: `/order/v2/orders/${seg(id)}`, idempotent: true }, DeliverooOrder).pipe(
        Effect.filterOrFail((o) => o.location_id === credentials.locationId, () =>
          permanent("not_found", `deliveroo order ${id} is not this location's`))
      )
    const statusOf = (o: DeliverooOrder) =>
      orInvalid(`deliveroo order ${o.id}`, M.deliverooStatusOf(o.status))

    // 409 when the status is already set or the window has closed: set to what we asked is success.
    const patchOnce = (id: string, update: DeliverooStatusUpdate) =>
      http.send({ method: "PATCH", path: orderPath(id), body: jsonBody(update), idempotent: false }).pipe(
        Effect.asVoid,
        Effect.catchIf(hasStatus(409), (e) =>
          Effect.flatMap(
            getOrder(id),
            (now) => (now.status.toLowerCase() === update.status ? Effect.void : Effect.fail(e))
          ))
      )

    // Stages only go forward: a 409 means the kitchen already reported this one or a later one.
    const reportStage = (id: string, stage: DeliverooPrepStage) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const body: DeliverooPrepStageUpdate = { stage, occurred_at: new Date(now).toISOString() }
        return http.send({
          method: "POST",
          path: `${orderPath(id)}/prep_stage`,
          body: jsonBody(body),
          idempotent: false
        }).pipe(
          Effect.asVoid,
          Effect.catchIf(hasStatus(409), () => Effect.void)
        )
      })

    const act = (order: DeliverooOrder, target: OrderStatus): Effect.Effect<void, ConnectorError> =>
      Effect.flatMap(statusOf(order), (status) => {
        const action = M.deliverooActionFor(status, order.asap !== false, target)
        if (action._tag === "Refused") return Effect.fail(permanent("conflict", action.reason))
        return Effect.forEach(action.updates, (update) => patchOnce(order.id, update), { discard: true }).pipe(
          Effect.zipRight(action.stage === undefined ? Effect.void : reportStage(order.id, action.stage))
        )
      })

    const orders: OrderCapability = {
      get: (id) =>
        Effect.flatMap(getOrder(id), (o) =>
          Effect.map(orInvalid(`deliveroo order ${id}`, M.toOrder(o)), (order) => ({ externalId: o.id, order }))),
      // Read, then act: a retry after a lost answer reads the new status and PATCHes nothing twice.
      updateStatus: (id, status) =>
        retry(Effect.flatMap(getOrder(id), (o) =>
          act(o, status))),
      // Within 3 min of the order, once (documented); later or again is a 409, left to the caller.
      acknowledge: (id, failureReason) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const body: DeliverooSyncStatus = failureReason === undefined
            ? { status: "succeeded", occurred_at: new Date(now).toISOString() }
            : { status: "failed", ...syncReason(failureReason), occurred_at: new Date(now).toISOString() }
          return Effect.asVoid(
            http.send({ method: "POST", path: `${orderPath(id)}/sync_status`, body: jsonBody(body), idempotent: false })
          )
        })
    }

    const brand = seg(credentials.brandId)
    const site = seg(credentials.siteId)
    const sitePath = `/menu/v2/brands/${brand}/sites/${site}/menu`
    const menuPath = `/menu/v1/brands/${brand}/menus/${seg(credentials.menuId)}`
    const unavailabilitiesPath = `${menuPath}/item_unavailabilities/${site}`
    const liveMenu = http.call({ method: "GET", path: sitePath, idempotent: true }, DeliverooSiteMenu)

    // Not live yet: the site still serves the previous menu, or none (404). Only that is waited out.
    const awaitLive = (upload: DeliverooMenuUpload) =>
      liveMenu.pipe(
        Effect.map((live) => sameItems(upload, live)),
        Effect.catchIf(isNotFound, () => Effect.succeed(false)),
        Effect.filterOrFail((live) => live, () => new MenuNotLive()),
        Effect.retry({ schedule: untilLive, while: (e) => e._tag === "MenuNotLive" }),
        Effect.catchTag("MenuNotLive", () =>
          Effect.fail(
            new PlatformRetryableError({
              platform,
              reason: "server",
              message: "deliveroo: the menu upload is not live yet"
            })
          )),
        Effect.asVoid
      )

    const menu: MenuCapability = {
      // Both calls replace state whole, so both are safe to repeat.
      push: (dto) =>
        Effect.gen(function*() {
          const upload = yield* orInvalid(
            "deliveroo menu",
            M.toDeliverooMenu(dto, { name: credentials.menuName, siteId: credentials.siteId })
          )
          yield* http.send({ method: "PUT", path: menuPath, body: jsonBody(upload), idempotent: true })
          yield* awaitLive(upload)
          const body: DeliverooUnavailableIds = { unavailable_ids: M.unavailableIds(dto), hidden_ids: [] }
          yield* http.send({ method: "PUT", path: unavailabilitiesPath, body: jsonBody(body), idempotent: true })
          return { unpublishedOffers: M.unpublishedOffers(dto) }
        }),
      pull: () =>
        Effect.zipWith(
          liveMenu,
          http.call({ method: "GET", path: unavailabilitiesPath, idempotent: true }, DeliverooUnavailableIds),
          (live, off) =>
            M.fromDeliverooMenu(live.menu, new Set([...off.unavailable_ids, ...off.hidden_ids]), credentials.currency)
        ),
      updateItem: (update) => {
        if (update.price !== undefined) {
          return Effect.fail(permanent("unsupported", "deliveroo changes prices only through a menu upload"))
        }
        if (update.isAvailable === undefined) return Effect.void
        const body: DeliverooItemUnavailabilities = {
          item_unavailabilities: [{ item_id: update.localId, status: update.isAvailable ? "available" : "unavailable" }]
        }
        return Effect.asVoid(
          http.send({
            method: "POST",
            path: `${sitePath}/item_unavailabilities`,
            body: jsonBody(body),
            idempotent: true
          })
        )
      }
    }

    // The Site API's open/close status, as Uber's store status is used (deliveroo.md, corrections).
    const statusPath = `/site/v1/brands/${brand}/sites/${site}/status`
    const store: StoreCapability = {
      // READY_TO_OPEN takes no orders yet: paused, in our two words.
      status: () =>
        Effect.map(
          http.call({ method: "GET", path: statusPath, idempotent: true }, DeliverooSiteStatus),
          (s) => ({ status: s.status === "OPEN" ? "open" : "paused" })
        ),
      setStatus: (status, until) =>
        until !== undefined
          ? Effect.fail(permanent("unsupported", "deliveroo closes a site until it is opened again, not until a time"))
          : Effect.asVoid(
            http.send({
              method: "PUT",
              path: statusPath,
              body: jsonBody({ status: status === "open" ? "OPEN" : "CLOSED" }),
              idempotent: true
            })
          )
    }

    const connector: PlatformConnector = {
      platform,
      authenticate: () => Effect.asVoid(tokens.get),
      availability: () =>
        Effect.fail(permanent("unsupported", "deliveroo takes orders, not bookings: it has no availability")),
      orders,
      menu,
      store
    }
    return connector
  })
