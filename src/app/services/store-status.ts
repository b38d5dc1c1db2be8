import { Effect, Option, Schema } from "effect"
import { requireCapability, type StoreStatus } from "../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../ports/connector-errors.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { Conflict, notFound, Unavailable } from "../errors.js"
import { ConfigCache } from "../sync/config-cache.js"
import { mustBeVisible } from "./access.js"

/** Marketplace store status (Uber Eats, Deliveroo): open, or paused until a time. */
export const StoreStatusView = Schema.Struct({ status: Schema.Literal("open", "paused") })
export const StoreStatusChange = Schema.Struct({
  status: Schema.Literal("open", "paused"),
  until: Schema.optional(
    Schema.String.pipe(
      Schema.filter((s) => !Number.isNaN(Date.parse(s)), { message: () => "must be an ISO 8601 date-time" })
    )
  )
})

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
    const storeOf = (id: string) =>
      Effect.gen(function*() {
        const config = yield* configs.get(id).pipe(Effect.mapError(() => notFound("platform config", id)))
        yield* mustBeVisible(config.restaurantId, () => notFound("platform config", id))
        const loaded = yield* cache.byRestaurant(config.restaurantId, config.platform)
        if (Option.isNone(loaded)) return yield* notFound("platform config", id)
        const connector = yield* registry.connectorFor(loaded.value.connector).pipe(Effect.mapError(toHttp))
        return yield* requireCapability(connector, "store").pipe(Effect.mapError(toHttp))
      })
    return {
      get: (id: string) =>
        Effect.flatMap(
          storeOf(id),
          (store) => Effect.map(Effect.mapError(store.status(), toHttp), (status) => ({ status }))
        ),
      set: (id: string, status: StoreStatus, until?: string) =>
        Effect.flatMap(
          storeOf(id),
          (store) => store.setStatus(status, until).pipe(Effect.mapError(toHttp), Effect.as({ status }))
        )
    }
  })
}) {}
