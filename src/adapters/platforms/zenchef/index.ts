import { capabilityRow } from "../../../ports/connector-capabilities.js"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { credentialField } from "../shared/connector-kit.js"
import { makeZenchefConnector } from "./connector.js"
import { ZenchefCredentials, zenchefProductionUrls } from "./types.js"
import { zenchefWebhooks } from "./webhooks.js"

/** Zenchef (Formitable REST API v1.2): reservations, floor plan, ticket products, polling, webhooks. */
export const zenchef: PlatformModule = {
  platform: "zenchef",
  credentialsSchema: ZenchefCredentials,
  externalRestaurantIdOf: credentialField(ZenchefCredentials, "restaurantUid"),
  webhooks: zenchefWebhooks,
  // Formitable keeps bookingDateTime as restaurant-local time to the second (zenchef.md).
  reservationTimePrecision: "second",
  // Formitable v1.2 publishes bookings, availability, areas/tables and ticket products as reads
  // (zenchef.md); no floor-plan or product writes, no guest resource.
  capabilities: capabilityRow({
    reservations: "supported",
    availability: "supported",
    offerPull: "supported",
    floorPlanPull: "supported"
  }),
  // The config chooses how Zenchef deliveries are signed; we issue the secret either way.
  webhookSecretScheme: (
    credentials
  ) => (credentials.webhookSigning === "url-token" ? "url-token" : "standard-webhooks"),
  productionUrls: zenchefProductionUrls,
  makeConnector: makeZenchefConnector
}
