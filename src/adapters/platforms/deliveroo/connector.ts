import { Clock, Effect, Either, Redacted, Schema } from "effect"
import type { OrderStatus } from "../../../domain/status.js"
import {
  type ConnectorConfig,
  type ConnectorError,
  type MenuCapability,
  type OrderCapability,
  type PlatformConnector
} from "../../../ports/platform-connector.js"
import { connectorKit, sha256 } from "../connector-kit.js"
import { hasStatus, jsonBody, makeAuthorizedHttp } from "../authorized-http.js"
import { retryTransient } from "../http-support.js"
import { makeClientCredentialsCache } from "../oauth-token.js"
import * as M from "./mapper.js"
import * as MM from "./menu-mapper.js"
import { type DeliverooItemUnavailabilities, DeliverooSiteMenu, DeliverooUnavailabilities } from "./menu-types.js"
import { DeliverooCredentials, DeliverooOrder, type DeliverooStatusUpdate, type DeliverooSyncStatus, SYNC_FAILURE_REASONS, type SyncFailureReason } from "./types.js"

const platform = "deliveroo" as const
const kit = connectorKit(platform)
const { orInvalid, permanent } = kit
const seg = encodeURIComponent

export const decodeCredentials = kit.decodeCredentials(DeliverooCredentials)

/** ASSUMPTION (deliveroo.md): error bodies `{error, message}`; `error` is a code, safe to log. */
const ErrorBody = Schema.parseJson(Schema.Struct({ error: Schema.String }))
const errorCode = (body: string) => Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(ErrorBody)(body), (b) => b.error))

const isSyncFailureReason = (text: string): text is SyncFailureReason => (SYNC_FAILURE_REASONS as ReadonlyArray<string>).includes(text)

/** Deliveroo's own reasons pass as they are; any other travels as `other` with the text in the notes. */
const syncReason = (failure: string): { readonly reason: SyncFailureReason; readonly notes?: string } =>
  isSyncFailureReason(failure) ? { reason: failure } : { reason: "other", notes: failure }

/** Deliveroo: orders (PATCH once per transition, sync status), full-replace menus, item availability. */
export const makeDeliverooConnector = (config: ConnectorConfig) =>
  Effect.gen(function* () {
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
    const http = yield* makeAuthorizedHttp({
      platform,
      baseUrl: credentials.baseUrl,
      tokens,
      authorization: (token) => `Bearer ${token}`,
      rateLimitKey: `deliveroo:${sha256(credentials.clientId).slice(0, 16)}`,
      errorDetail: errorCode
    })
    const retry = retryTransient(http.policy)
    const orderPath = (id: string) => `/order/v1/orders/${seg(id)}`

    // ASSUMPTION: GET on the order's PATCH path returns the webhook's order object. One client may
    // reach many sites: an order of another location is not ours to see.
    const getOrder = (id: string) =>
      http.call({ method: "GET", path: orderPath(id), idempotent: true }, DeliverooOrder).pipe(
        Effect.filterOrFail((o) => o.location_id === credentials.locationId, () => permanent("not_found", `deliveroo order ${id} is not this location's`))
      )
    const statusOf = (o: DeliverooOrder) => orInvalid(`deliveroo order ${o.id}`, M.deliverooStatusOf(o.status))

    // 409 when the status is already set or the window has closed: set to what we asked is success.
    const patchOnce = (id: string, update: DeliverooStatusUpdate) =>
      http.send({ method: "PATCH", path: orderPath(id), body: jsonBody(update), idempotent: false }).pipe(
        Effect.asVoid,
        Effect.catchIf(hasStatus(409), (e) =>
          Effect.flatMap(getOrder(id), (now) => (now.status.toLowerCase() === update.status ? Effect.void : Effect.fail(e))))
      )

    const act = (order: DeliverooOrder, target: OrderStatus): Effect.Effect<void, ConnectorError> =>
      Effect.flatMap(statusOf(order), (status) => {
        const action = M.deliverooActionFor(status, order.asap !== false, target)
        return action._tag === "Refused"
          ? Effect.fail(permanent("conflict", action.reason))
          : Effect.forEach(action.updates, (update) => patchOnce(order.id, update), { discard: true })
      })

    const orders: OrderCapability = {
      get: (id) => Effect.flatMap(getOrder(id), (o) => Effect.map(orInvalid(`deliveroo order ${id}`, M.toOrder(o)), (order) => ({ externalId: o.id, order }))),
      // Read, then act: a retry after a lost answer reads the new status and PATCHes nothing twice.
      updateStatus: (id, status) => retry(Effect.flatMap(getOrder(id), (o) => act(o, status))),
      // Within 3 min of the order, once (documented); later or again is a 409, left to the caller.
      acknowledge: (id, failureReason) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const body: DeliverooSyncStatus = failureReason === undefined
            ? { status: "succeeded", occurred_at: new Date(now).toISOString() }
            : { status: "failed", ...syncReason(failureReason), occurred_at: new Date(now).toISOString() }
          return Effect.asVoid(http.send({ method: "POST", path: `${orderPath(id)}/sync_status`, body: jsonBody(body), idempotent: false }))
        })
    }

    const sitePath = `/menu/v1/brands/${seg(credentials.brandId)}/sites/${seg(credentials.siteId)}/menu`
    const setUnavailable = (body: DeliverooItemUnavailabilities, method: "PUT" | "POST") =>
      Effect.asVoid(http.send({ method, path: `${sitePath}/item_unavailabilities`, body: jsonBody(body), idempotent: true }))
    const menu: MenuCapability = {
      // Both calls replace state whole, so both are safe to repeat.
      push: (dto) =>
        Effect.gen(function* () {
          const upload = yield* orInvalid("deliveroo menu", MM.toDeliverooMenu(dto, { name: credentials.menuName, siteId: credentials.siteId }))
          const path = `/menu/v1/brands/${seg(credentials.brandId)}/menus/${seg(credentials.menuId)}`
          yield* http.send({ method: "PUT", path, body: jsonBody(upload), idempotent: true })
          yield* setUnavailable({ item_unavailabilities: MM.unavailableIds(dto).map((item_id) => ({ item_id, status: "unavailable" })) }, "PUT")
        }),
      pull: () =>
        Effect.zipWith(
          http.call({ method: "GET", path: `/menu/v2/brands/${seg(credentials.brandId)}/sites/${seg(credentials.siteId)}/menu`, idempotent: true }, DeliverooSiteMenu),
          http.call({ method: "GET", path: `${sitePath}/item_unavailabilities`, idempotent: true }, DeliverooUnavailabilities),
          (site, off) => MM.fromDeliverooMenu(site.menu, new Set(off.item_unavailabilities.filter((u) => u.status !== "available").map((u) => u.item_id)), credentials.currency)
        ),
      updateItem: (update) =>
        update.price !== undefined
          ? Effect.fail(permanent("unsupported", "deliveroo changes prices only through a menu upload"))
          : update.isAvailable === undefined
          ? Effect.void
          : setUnavailable({ item_unavailabilities: [{ item_id: update.localId, status: update.isAvailable ? "available" : "unavailable" }] }, "POST")
    }

    const connector: PlatformConnector = {
      platform,
      authenticate: () => Effect.asVoid(tokens.get),
      availability: () => Effect.fail(permanent("unsupported", "deliveroo takes orders, not bookings: it has no availability")),
      orders,
      menu
    }
    return connector
  })
