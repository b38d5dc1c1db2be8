import { capabilityRow } from "../../../ports/connector-capabilities.js"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { credentialField } from "../shared/connector-kit.js"
import { makeDeliverooConnector } from "./connector.js"
import { DeliverooCredentials, deliverooProductionUrls } from "./types.js"
import { deliverooWebhooks } from "./webhooks.js"

/** Deliveroo: orders (status PATCH, sync status), menus (full replace, item availability), signed webhooks. */
export const deliveroo: PlatformModule = {
  platform: "deliveroo",
  credentialsSchema: DeliverooCredentials,
  // Order webhooks name the site by `order.location_id` (deliveroo.md): the config is found by it.
  externalRestaurantIdOf: credentialField(DeliverooCredentials, "locationId"),
  webhooks: deliverooWebhooks,
  // No bookings: the precision is never used.
  reservationTimePrecision: "millisecond",
  // Deliveroo (deliveroo.md): orders, site status; the menu upload's keys below `menu` (combos as
  // modifiers included) were not captured from the reference.
  capabilities: capabilityRow({
    orders: "supported",
    menu: "assumed",
    offerPush: "assumed",
    offerPull: "assumed",
    store: "supported"
  }),
  // Deliveroo issues the webhook secret in its Developer Portal.
  webhookSecretScheme: () => "platform-issued",
  productionUrls: deliverooProductionUrls,
  makeConnector: makeDeliverooConnector
}
