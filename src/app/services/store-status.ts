import { Effect, Option } from "effect"
import { ConnectorRegistry } from "../../adapters/platforms/registry.js"
import { type ConnectorError, requireCapability, type StoreStatus } from "../../ports/platform-connector.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { Conflict, notFound, Unavailable } from "../http/errors.js"
import { ConfigCache } from "../sync/config-cache.js"

const toHttp = (error: ConnectorError) =>
  error._tag === "PlatformRetryableError"
    ? new Unavailable({ message: `${error.platform} is unavailable: ${error.message}` })
    : new Conflict({ message: error.message })

/** Opens or pauses a restaurant's store on a marketplace that has one. */
export class StoreStatuses extends Effect.Service<StoreStatuses>()("StoreStatuses", {
  effect: Effect.gen(function* () {
    const configs = yield* PlatformConfigRepository
    const cache = yield* ConfigCache
    const registry = yield* ConnectorRegistry
    const storeOf = (id: string) =>
      Effect.gen(function* () {
        const config = yield* configs.get(id).pipe(Effect.mapError(() => notFound("platform config", id)))
        const loaded = yield* cache.byRestaurant(config.restaurantId, config.platform)
        if (Option.isNone(loaded)) return yield* notFound("platform config", id)
        const connector = yield* registry.connectorFor(loaded.value.connector).pipe(Effect.mapError(toHttp))
        return yield* requireCapability(connector, "store").pipe(Effect.mapError(toHttp))
      })
    return {
      get: (id: string) =>
        Effect.flatMap(storeOf(id), (store) => Effect.map(Effect.mapError(store.status(), toHttp), (status) => ({ status }))),
      set: (id: string, status: StoreStatus, until?: string) =>
        Effect.flatMap(storeOf(id), (store) =>
          store.setStatus(status, until).pipe(Effect.mapError(toHttp), Effect.as({ status })))
    }
  })
}) {}
