import { Clock, Effect, Redacted, Schema } from "effect"
import type { OrderStatus } from "../../../domain/status.js"
import type {
  MenuCapability,
  OrderCapability,
  PlatformConnector,
  StoreCapability
} from "../../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../../ports/connector-errors.js"
import type { ConnectorConfig } from "../../../ports/platform-module.js"
import { tokenAuth } from "../shared/auth.js"
import { connectorKit } from "../shared/connector-kit.js"
import { isNotFound } from "../shared/http-policy.js"
import { makeClientCredentialsCache } from "../shared/oauth-token.js"
import { errorDetailOf, jsonBody, makePlatformHttp } from "../shared/platform-http.js"
import * as M from "./mapper.js"
import {
  type UberCancelReason,
  type UberDenyCode,
  UberEatsCredentials,
  UberMenuUpload,
  UberOrder,
  UberStoreStatus,
  type UberStoreStatusUpdate
} from "./types.js"

const platform = "ubereats" as const
const { orInvalid, permanent, decodeCredentials } = connectorKit(platform, UberEatsCredentials)
const seg = encodeURIComponent

const DENY: { readonly reason: { readonly explanation: string; readonly code: UberDenyCode } } = {
  reason: { explanation: "Declined by the restaurant", code: "OTHER" }
}
/** The `code` of Uber's error body (v1 `{code, message}`, v1/delivery too): safe to log, unlike `message`. */
const uberErrorCode = errorDetailOf(Schema.Struct({ code: Schema.String }), (b) => b.code)

const RESTAURANT_DELIVERY_SCOPE = "eats.store.orders.restaurantdelivery.status"

const CANCEL: { readonly reason: UberCancelReason; readonly details: string } = {
  reason: "OTHER",
  details: "Cancelled by the restaurant"
}

/** Uber Eats Marketplace: orders (v2 read, v1 actions), full-replace menus, item updates, store status. */
export const makeUberEatsConnector = (config: ConnectorConfig) =>
  Effect.gen(function*() {
    const credentials = yield* decodeCredentials(config.credentials)
    if (credentials.storeId !== config.externalRestaurantId) {
      return yield* permanent("validation", "the config's external restaurant id is not the credentials' storeId")
    }
    // ASSUMPTION (ubereats.md): a 30-day token; the cache renews it before expiry, once for all callers.
    const tokens = yield* makeClientCredentialsCache({
      platform,
      tokenUrl: credentials.tokenUrl,
      clientId: credentials.clientId,
      clientSecret: Redacted.make(credentials.clientSecret),
      extra: { scope: credentials.scope }
    })
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      auth: tokenAuth(tokens),
      rateLimitBy: credentials.clientId,
      errorDetail: uberErrorCode
    })
    // Merchant-delivery status needs `eats.store.orders.restaurantdelivery.status` (ubereats.md,
    // corrections). Asked for in a token of its own, and only when such an order moves: an app
    // without that scope keeps every other call.
    const courierTokens = yield* makeClientCredentialsCache({
      platform,
      tokenUrl: credentials.tokenUrl,
      clientId: credentials.clientId,
      clientSecret: Redacted.make(credentials.clientSecret),
      extra: { scope: RESTAURANT_DELIVERY_SCOPE }
    })
    const courierHttp = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      auth: tokenAuth(courierTokens),
      rateLimitBy: credentials.clientId,
      errorDetail: uberErrorCode
    })
    const { retry } = http
    const storePath = `/${seg(credentials.storeId)}`

    // One app token reaches every store of the app: an order of another store is not ours to see.
    const getOrder = (id: string) =>
      http.call({ method: "GET", path: `/v2/eats/order/${seg(id)}`, idempotent: true }, UberOrder).pipe(
        Effect.filterOrFail((o) => o.store.id === credentials.storeId, () =>
          permanent("not_found", `ubereats order ${id} is not this store's`))
      )
    const post = (path: string, body: unknown) =>
      http.send({ method: "POST", path, body: jsonBody(body), idempotent: false })

    const act = (order: UberOrder, target: OrderStatus): Effect.Effect<void, ConnectorError> => {
      const action = M.uberActionFor(order.current_state, order.type, target)
      const path = `/v1/eats/orders/${seg(order.id)}`
      switch (action._tag) {
        case "None":
          return Effect.void
        case "Refused":
          return Effect.fail(permanent("conflict", action.reason))
        case "Accept":
          return Effect.asVoid(post(`${path}/accept_pos_order`, { reason: "accepted" }))
        case "Deny":
          return Effect.asVoid(post(`${path}/deny_pos_order`, DENY))
        case "Cancel":
          // 404 once the order is terminal: cancelled meanwhile is what we wanted.
          return post(`${path}/cancel`, CANCEL).pipe(
            Effect.asVoid,
            Effect.catchIf(isNotFound, (e) =>
              Effect.flatMap(
                getOrder(order.id),
                (now) => (now.current_state === "CANCELED" ? Effect.void : Effect.fail(e))
              ))
          )
        case "RestaurantDelivery":
          return Effect.asVoid(
            courierHttp.send({
              method: "POST",
              path: `${path}/restaurantdelivery/status`,
              body: jsonBody({ status: action.status }),
              idempotent: false
            })
          )
      }
    }

    const orders: OrderCapability = {
      get: (id) =>
        Effect.flatMap(getOrder(id), (o) =>
          Effect.map(orInvalid(`ubereats order ${id}`, M.toOrder(o)), (order) => ({ externalId: o.id, order }))),
      // Read, then act: a retry after a lost answer reads the new state and does nothing twice.
      updateStatus: (id, status) =>
        retry(Effect.flatMap(getOrder(id), (o) =>
          act(o, status)))
    }

    const menuPath = `/v2/eats/stores${storePath}/menus`
    const menu: MenuCapability = {
      // A full replace is idempotent: sending it again after a lost answer is safe.
      push: (dto) =>
        http.send({
          method: "PUT",
          path: menuPath,
          body: jsonBody(M.toUberMenu(dto, credentials.taxRate)),
          idempotent: true
        }).pipe(
          Effect.as({ unpublishedOffers: M.unpublishedOffers(dto) })
        ),
      pull: () =>
        Effect.zipWith(
          http.call({ method: "GET", path: menuPath, idempotent: true }, UberMenuUpload),
          Clock.currentTimeMillis,
          (upload, now) =>
            M.fromUberMenu(upload, credentials.currency, Math.floor(now / 1000))
        ),
      updateItem: (update) => {
        const body = M.toItemUpdate(update, credentials.currency)
        return Object.keys(body).length === 0
          ? Effect.void
          : Effect.asVoid(
            http.send({
              method: "POST",
              path: `${menuPath}/items/${seg(update.localId)}`,
              body: jsonBody(body),
              idempotent: true
            })
          )
      }
    }

    const statusPath = `/v1/eats/store${storePath}/status`
    const store: StoreCapability = {
      // OFFLINE (out of menu hours, paused by Uber) takes no orders either: paused, in our two words,
      // with Uber's reason, so that a store closed for the night is not taken for one someone paused.
      status: () =>
        Effect.map(
          http.call({ method: "GET", path: statusPath, idempotent: true }, UberStoreStatus),
          (s) =>
            s.status === "ONLINE"
              ? { status: "open" }
              : { status: "paused", ...(s.offlineReason == null ? {} : { reason: s.offlineReason }) }
        ),
      setStatus: (status, until) => {
        if (until !== undefined && Number.isNaN(Date.parse(until))) {
          return Effect.fail(permanent("validation", "a pause ends at an ISO 8601 instant"))
        }
        const body: UberStoreStatusUpdate = status === "open"
          ? { status: "ONLINE" }
          : {
            status: "PAUSED",
            reason: "Paused by the restaurant",
            ...(until === undefined ? {} : { paused_until: new Date(until).toISOString() })
          }
        return Effect.asVoid(http.send({ method: "POST", path: statusPath, body: jsonBody(body), idempotent: true }))
      }
    }

    const connector: PlatformConnector = {
      platform,
      authenticate: () => Effect.asVoid(store.status()),
      availability: () =>
        Effect.fail(permanent("unsupported", "ubereats takes orders, not bookings: it has no availability")),
      orders,
      menu,
      store
    }
    return connector
  })
