import { Effect, Option, Schema } from "effect"
import { RestaurantId } from "../../domain/ids.js"
import { DEFAULT_TIMEZONE, TimeZone } from "../../domain/local-time.js"
import { RestaurantSettingsRepository, type RestaurantSettingsWrite } from "../../ports/restaurant-settings.js"
import { traced } from "../../ports/traced.js"
import { requireRestaurant } from "./access.js"

/** A restaurant's settings as shown; `updatedAt` is null while it still runs on the defaults. */
export const RestaurantSettingsView = Schema.Struct({
  restaurantId: RestaurantId,
  timezone: TimeZone,
  updatedAt: Schema.NullOr(Schema.String)
})
export type RestaurantSettingsView = typeof RestaurantSettingsView.Type

/**
 * Issue 20, item 5: the restaurant's time zone is stored once, so the voice AI cannot book in a
 * zone a request happened to name. Restaurants are in France unless their settings say otherwise.
 */
export class RestaurantSettingsService
  extends Effect.Service<RestaurantSettingsService>()("RestaurantSettingsService", {
    effect: Effect.gen(function*() {
      const repository = yield* RestaurantSettingsRepository
      const get = (restaurantId: RestaurantId) =>
        Effect.map(
          repository.get(restaurantId),
          Option.match({
            onNone: (): RestaurantSettingsView => ({ restaurantId, timezone: DEFAULT_TIMEZONE, updatedAt: null }),
            onSome: (stored): RestaurantSettingsView => stored
          })
        ).pipe(traced("RestaurantSettings.get", { attributes: { restaurantId } }))
      return {
        /** Issue 17: a caller reads and writes the settings of its own restaurants only. */
        get: (restaurantId: RestaurantId) => Effect.zipRight(requireRestaurant(restaurantId), get(restaurantId)),
        put: (restaurantId: RestaurantId, settings: RestaurantSettingsWrite) =>
          Effect.zipRight(requireRestaurant(restaurantId), repository.put(restaurantId, settings)).pipe(
            traced("RestaurantSettings.put", { attributes: { restaurantId } })
          ),
        timezoneOf: (restaurantId: RestaurantId) => Effect.map(get(restaurantId), (settings) => settings.timezone)
      }
    })
  })
{}
