import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import { RestaurantId } from "../../domain/ids.js"
import { RestaurantSettings, RestaurantSettingsRepository } from "../../ports/restaurant-settings.js"
import { nowIso } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const byRestaurant = SqlSchema.findOne({
    Request: RestaurantId,
    Result: RestaurantSettings,
    execute: (id) =>
      sql`SELECT restaurant_id, timezone, updated_at FROM restaurant_settings WHERE restaurant_id = ${id}`
  })
  const upsert = SqlSchema.single({
    Request: RestaurantSettings,
    Result: RestaurantSettings,
    execute: (row) =>
      sql`
      INSERT INTO restaurant_settings ${sql.insert(row)}
      ON CONFLICT (restaurant_id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at
      RETURNING restaurant_id, timezone, updated_at`
  })
  return RestaurantSettingsRepository.of({
    get: (restaurantId) => Effect.orDie(byRestaurant(restaurantId)),
    put: (restaurantId, settings) =>
      Effect.flatMap(
        nowIso,
        (now) => Effect.orDie(upsert({ restaurantId, timezone: settings.timezone, updatedAt: now }))
      )
  })
})

export const RestaurantSettingsRepositorySql = Layer.effect(RestaurantSettingsRepository, make)
