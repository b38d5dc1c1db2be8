import { Either, Schema } from "effect"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { makeDeliverooConnector } from "./connector.js"
import { DeliverooCredentials } from "./types.js"
import { deliverooWebhooks } from "./webhooks.js"

/** Deliveroo: orders (status PATCH, sync status), menus (full replace, item availability), signed webhooks. */
export const deliveroo: PlatformModule = {
  platform: "deliveroo",
  credentialsSchema: DeliverooCredentials,
  // Order webhooks name the site by `order.location_id` (deliveroo.md): the config is found by it.
  externalRestaurantIdOf: (credentials) =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(DeliverooCredentials)(credentials), (c) => c.locationId)),
  webhooks: deliverooWebhooks,
  makeConnector: makeDeliverooConnector
}
