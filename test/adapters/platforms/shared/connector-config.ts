import { Option } from "effect"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"

/** A config as the registry receives it, for a connector built straight from credentials. */
export const connectorConfig = (
  platform: ConnectorConfig["platform"],
  credentials: Record<string, unknown>,
  restaurantId = "resto-connector"
): ConnectorConfig => ({
  restaurantId: restaurantId as never,
  platform,
  externalRestaurantId: String(credentials.restaurantUid ?? credentials.restaurantUuid),
  credentials,
  webhookSecret: Option.none(),
  version: crypto.randomUUID()
})
