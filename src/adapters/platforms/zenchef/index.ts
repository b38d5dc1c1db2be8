import { Either, Schema } from "effect"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { makeZenchefConnector } from "./connector.js"
import { ZenchefCredentials } from "./types.js"
import { zenchefWebhooks } from "./webhooks.js"

/** Zenchef (Formitable REST API v1.2): reservations, floor plan, ticket products, polling, webhooks. */
export const zenchef: PlatformModule = {
  platform: "zenchef",
  credentialsSchema: ZenchefCredentials,
  externalRestaurantIdOf: (credentials) =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(ZenchefCredentials)(credentials), (c) => c.restaurantUid)),
  webhooks: zenchefWebhooks,
  makeConnector: makeZenchefConnector
}
