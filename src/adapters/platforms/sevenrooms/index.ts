import { capabilityRow } from "../../../ports/connector-capabilities.js"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { credentialField } from "../shared/connector-kit.js"
import { makeSevenRoomsConnector } from "./connector.js"
import { SevenRoomsCredentials, sevenroomsProductionUrls } from "./types.js"
import { sevenroomsWebhooks } from "./webhooks.js"

/** SevenRooms API 2.4 (gated; mostly ASSUMPTIONS): reservations, availability, polling on `updated_since`, Standard Webhooks. */
export const sevenrooms: PlatformModule = {
  platform: "sevenrooms",
  credentialsSchema: SevenRoomsCredentials,
  externalRestaurantIdOf: credentialField(SevenRoomsCredentials, "venueId"),
  webhooks: sevenroomsWebhooks,
  // Bookings are made and read back by date and `HH:MM` time (sevenrooms.md).
  reservationTimePrecision: "minute",
  // SevenRooms' reference is gated (sevenrooms.md): booking and availability follow public clients.
  capabilities: capabilityRow({ reservations: "assumed", availability: "assumed" }),
  webhookSecretScheme: () => "standard-webhooks",
  productionUrls: sevenroomsProductionUrls,
  makeConnector: makeSevenRoomsConnector
}
