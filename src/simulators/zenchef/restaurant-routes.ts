import { Effect } from "effect"
import { json } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import type { ApiHandler } from "./api-route.js"
import { keyRoute } from "./api-route.js"
import { notFound, reject } from "./problems.js"
import type { RestaurantConfig } from "./seed.js"

// Formitable reports Windows zone names; the few the simulator's restaurants use, else the IANA name.
const WINDOWS_ZONES: Record<string, string> = {
  "Europe/Amsterdam": "W. Europe Standard Time",
  "Europe/Berlin": "W. Europe Standard Time",
  "Europe/Paris": "Romance Standard Time",
  "Europe/Brussels": "Romance Standard Time",
  "Europe/London": "GMT Standard Time"
}

const restaurantBody = (config: RestaurantConfig) => ({
  uid: config.uid,
  name: config.name,
  timezone: WINDOWS_ZONES[config.timeZone] ?? config.timeZone,
  culture: "en"
})

/** Restaurants visible to the API key (RestaurantApi.md). */
export const restaurantRoutes: ReadonlyArray<Route<ApiHandler>> = [
  keyRoute("GET", "/restaurants", ({ core, apiKey }) =>
    Effect.map(core.store.all, (all) =>
      json(
        200,
        all.filter((r) => r.config.apiKeys.includes(apiKey)).map((r) => restaurantBody(r.config))
      ))),
  keyRoute(
    "GET",
    "/restaurants/{restaurantUid}",
    ({ core, apiKey, params }) =>
      Effect.flatMap(
        core.store.get(params["restaurantUid"] ?? ""),
        (restaurant) =>
          restaurant.config.apiKeys.includes(apiKey)
            ? Effect.succeed(json(200, restaurantBody(restaurant.config)))
            : reject(notFound(`Restaurant ${restaurant.config.uid} not found`))
      )
  )
]
