import { capabilityRow } from "../../../ports/connector-capabilities.js"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { credentialField } from "../shared/connector-kit.js"
import { makeTheForkConnector } from "./connector.js"
import { TheForkCredentials, theforkProductionUrls } from "./types.js"
import { theforkWebhooks } from "./webhooks.js"

/** TheFork Manager B2B API: reservations (create, read, PATCH date and party size, cancel), offers, timeslots, thin webhooks. */
export const thefork: PlatformModule = {
  platform: "thefork",
  credentialsSchema: TheForkCredentials,
  externalRestaurantIdOf: credentialField(TheForkCredentials, "restaurantUuid"),
  webhooks: theforkWebhooks,
  // mealDate is ISO 8601 with milliseconds (thefork.md).
  reservationTimePrecision: "millisecond",
  // TheFork B2B (thefork.md): bookings, timeslots, offers, customers (read), the availability
  // override (open or close online slots); no floor plan is exposed.
  capabilities: capabilityRow({
    reservations: "supported",
    availability: "supported",
    offerPull: "supported",
    customerPull: "supported",
    availabilityPush: "supported"
  }),
  // TheFork signs nothing: the token in the URL we give TheFork is the whole authentication.
  webhookSecretScheme: () => "url-token",
  productionUrls: theforkProductionUrls,
  makeConnector: makeTheForkConnector
}
