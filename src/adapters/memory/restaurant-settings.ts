import { Clock, Effect, HashMap, Layer, Ref } from "effect"
import type { RestaurantId } from "../../domain/ids.js"
import { type RestaurantSettings, RestaurantSettingsRepository } from "../../ports/restaurant-settings.js"

export const RestaurantSettingsRepositoryMemory = Layer.effect(
  RestaurantSettingsRepository,
  Effect.map(Ref.make(HashMap.empty<RestaurantId, RestaurantSettings>()), (store) =>
    RestaurantSettingsRepository.of({
      get: (restaurantId) => Effect.map(Ref.get(store), HashMap.get(restaurantId)),
      put: (restaurantId, settings) =>
        Effect.gen(function*() {
          const row = {
            restaurantId,
            timezone: settings.timezone,
            updatedAt: new Date(yield* Clock.currentTimeMillis).toISOString()
          }
          yield* Ref.update(store, HashMap.set(restaurantId, row))
          return row
        })
    }))
)
