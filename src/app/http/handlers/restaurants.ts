import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { RestaurantSettingsService } from "../../services/restaurant-settings.js"
import { SyncApi } from "../api.js"

export const RestaurantsLive = HttpApiBuilder.group(
  SyncApi,
  "restaurants",
  (handlers) =>
    Effect.map(RestaurantSettingsService, (settings) =>
      handlers
        .handle("getSettings", ({ path }) => settings.get(path.id))
        .handle("putSettings", ({ path, payload }) => settings.put(path.id, payload)))
)
