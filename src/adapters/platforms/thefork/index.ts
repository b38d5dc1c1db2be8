import { Either, Schema } from "effect"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { makeTheForkConnector } from "./connector.js"
import { TheForkCredentials } from "./types.js"
import { theforkWebhooks } from "./webhooks.js"

/** TheFork Manager B2B API: reservations (create, read, PATCH date and party size, cancel), offers, timeslots, thin webhooks. */
export const thefork: PlatformModule = {
  platform: "thefork",
  credentialsSchema: TheForkCredentials,
  externalRestaurantIdOf: (credentials) =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(TheForkCredentials)(credentials), (c) => c.restaurantUuid)),
  webhooks: theforkWebhooks,
  makeConnector: makeTheForkConnector
}
