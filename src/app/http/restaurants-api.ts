import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { RestaurantId } from "../../domain/ids.js"
import { RestaurantSettingsWrite } from "../../ports/restaurant-settings.js"
import { Forbidden, ValidationError } from "../errors.js"
import { RestaurantSettingsView } from "../services/restaurant-settings.js"
import { everyIssue, NoQuery } from "./every-issue.js"
import { Authentication } from "./middleware/authentication.js"

const RestaurantPath = Schema.Struct({ id: RestaurantId })

/** A restaurant's own settings (issue 20, item 5): its time zone first. */
export const RestaurantsApi = HttpApiGroup.make("restaurants")
  .add(
    HttpApiEndpoint.get("getSettings", "/:id/settings").setPath(RestaurantPath).setUrlParams(NoQuery).addSuccess(
      RestaurantSettingsView
    )
      .addError(Forbidden)
  )
  .add(
    HttpApiEndpoint.put("putSettings", "/:id/settings")
      .setPath(RestaurantPath)
      .setPayload(everyIssue(RestaurantSettingsWrite))
      .addSuccess(RestaurantSettingsView)
      .addError(ValidationError)
      .addError(Forbidden)
  )
  .prefix("/api/restaurants")
  // Any valid key; the service keeps it to the key's restaurants (issue 17).
  .middleware(Authentication)
