import { capabilityRow } from "../../../ports/connector-capabilities.js"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { credentialField } from "../shared/connector-kit.js"
import { makeUberEatsConnector } from "./connector.js"
import { UberEatsCredentials, ubereatsProductionUrls } from "./types.js"
import { ubereatsWebhooks } from "./webhooks.js"

/** Uber Eats Marketplace: orders, menus (full replace and item updates), store status, signed webhooks. */
export const ubereats: PlatformModule = {
  platform: "ubereats",
  credentialsSchema: UberEatsCredentials,
  // Webhooks name the store in `meta.user_id` (ubereats.md): the config is found by it.
  externalRestaurantIdOf: credentialField(UberEatsCredentials, "storeId"),
  webhooks: ubereatsWebhooks,
  // No bookings: the precision is never used.
  reservationTimePrecision: "millisecond",
  // Uber Eats Marketplace (ubereats.md): orders, the menu (formulas as bundles: a modifier group per
  // step), store status.
  capabilities: capabilityRow({
    orders: "supported",
    menu: "supported",
    offerPush: "supported",
    offerPull: "supported",
    store: "supported"
  }),
  // Uber signs with the app's client secret, which Uber issues.
  webhookSecretScheme: () => "platform-issued",
  productionUrls: ubereatsProductionUrls,
  makeConnector: makeUberEatsConnector
}
