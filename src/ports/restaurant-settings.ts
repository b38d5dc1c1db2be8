import { Context, type Effect, type Option, Schema } from "effect"
import { RestaurantId } from "../domain/ids.js"
import { TimeZone } from "../domain/local-time.js"

/**
 * What is set once per restaurant rather than per request: its time zone, in which services are
 * wall-clock times and the voice AI books.
 */
export const RestaurantSettings = Schema.Struct({
  restaurantId: RestaurantId,
  timezone: TimeZone,
  updatedAt: Schema.String
})
export type RestaurantSettings = typeof RestaurantSettings.Type

export const RestaurantSettingsWrite = Schema.Struct({ timezone: TimeZone })
export type RestaurantSettingsWrite = typeof RestaurantSettingsWrite.Type

export class RestaurantSettingsRepository
  extends Context.Tag("RestaurantSettingsRepository")<RestaurantSettingsRepository, {
    readonly get: (restaurantId: RestaurantId) => Effect.Effect<Option.Option<RestaurantSettings>>
    /** Creates or replaces the restaurant's settings. */
    readonly put: (restaurantId: RestaurantId, settings: RestaurantSettingsWrite) => Effect.Effect<RestaurantSettings>
  }>()
{}
