import { Either, Schema } from "effect"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { makeUberEatsConnector } from "./connector.js"
import { UberEatsCredentials } from "./types.js"
import { ubereatsWebhooks } from "./webhooks.js"

/** Uber Eats Marketplace: orders, menus (full replace and item updates), store status, signed webhooks. */
export const ubereats: PlatformModule = {
  platform: "ubereats",
  credentialsSchema: UberEatsCredentials,
  // Webhooks name the store in `meta.user_id` (ubereats.md): the config is found by it.
  externalRestaurantIdOf: (credentials) =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(UberEatsCredentials)(credentials), (c) => c.storeId)),
  webhooks: ubereatsWebhooks,
  makeConnector: makeUberEatsConnector
}
