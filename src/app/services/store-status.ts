import { Clock, Effect, Option, Schema } from "effect"
import { Instant } from "../../domain/fields.js"
import { requireCapability, type StoreStatus } from "../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../ports/connector-errors.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { traced } from "../../ports/traced.js"
import { Conflict, invalidField, notFound, Unavailable } from "../errors.js"
import { ConfigCache } from "../sync/config-cache.js"
import { mustBeVisible } from "./access.js"
import { AdminAuditLog } from "./admin-audit.js"

/** Marketplace store status (Uber Eats, Deliveroo): open, or paused until a time. */
export const StoreStatusView = Schema.Struct({
  status: Schema.Literal("open", "paused"),
  /** Why a paused store takes no orders, in the platform's own code (Uber's `PAUSED_BY_UBER`, `OUT_OF_MENU_HOURS`…). */
  reason: Schema.optional(Schema.String)
})
export const StoreStatusChange = Schema.Struct({
  status: Schema.Literal("open", "paused"),
  // With its offset: "21:00" alone would be read in this server's zone, not the restaurant's.
  until: Schema.optional(Instant)
}).pipe(
  // An opening with an end would be taken for a pause by no platform: refused rather than dropped.
  Schema.filter((change) =>
    change.status === "paused" || change.until === undefined ||
    { path: ["until"], message: "only a pause has an end: leave it out to open the store" }
  )
)

const toHttp = (error: ConnectorError) =>
  error._tag === "PlatformRetryableError"
    ? new Unavailable({ message: `${error.platform} is unavailable: ${error.message}` })
    : new Conflict({ message: error.message })

/** Opens or pauses a restaurant's store on a marketplace that has one. */
export class StoreStatuses extends Effect.Service<StoreStatuses>()("StoreStatuses", {
  effect: Effect.gen(function*() {
    const configs = yield* PlatformConfigRepository
    const cache = yield* ConfigCache
    const registry = yield* ConnectorRegistry
    const audit = yield* AdminAuditLog
    const storeOf = (id: string) =>
      Effect.gen(function*() {
        const config = yield* configs.get(id).pipe(Effect.mapError(() => notFound("platform config", id)))
        yield* mustBeVisible(config.restaurantId, () => notFound("platform config", id))
        const loaded = yield* cache.byRestaurant(config.restaurantId, config.platform)
        if (Option.isNone(loaded)) return yield* notFound("platform config", id)
        const connector = yield* registry.connectorFor(loaded.value.connector).pipe(Effect.mapError(toHttp))
        const store = yield* requireCapability(connector, "store").pipe(Effect.mapError(toHttp))
        return { config, store }
      })
    return {
      get: (id: string) =>
        Effect.flatMap(
          storeOf(id),
          ({ store }) => Effect.mapError(store.status(), toHttp)
        ),
      set: (id: string, status: StoreStatus, until?: string) =>
        Effect.gen(function*() {
          // A pause ending in the past would leave the store open while this answered "paused".
          if (until !== undefined && Date.parse(until) <= (yield* Clock.currentTimeMillis)) {
            return yield* invalidField("until", "must be in the future")
          }
          const { config, store } = yield* storeOf(id)
          yield* store.setStatus(status, until).pipe(Effect.mapError(toHttp))
          // Who closed a restaurant to its customers, and until when.
          yield* audit.record("store.status_set", {
            target: id,
            restaurantId: config.restaurantId,
            detail: until === undefined ? status : `${status} until ${new Date(until).toISOString()}`
          })
          return { status }
        }).pipe(traced("StoreStatuses.set"))
    }
  })
}) {}
