import { Either, Schema } from "effect"
import type { PlatformModule } from "../../../ports/platform-module.js"
import { makeSevenRoomsConnector } from "./connector.js"
import { SevenRoomsCredentials } from "./types.js"
import { sevenroomsWebhooks } from "./webhooks.js"

/** SevenRooms API 2.4 (gated; mostly ASSUMPTIONS): reservations, availability, polling on `updated_since`, Standard Webhooks. */
export const sevenrooms: PlatformModule = {
  platform: "sevenrooms",
  credentialsSchema: SevenRoomsCredentials,
  externalRestaurantIdOf: (credentials) =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(SevenRoomsCredentials)(credentials), (c) => c.venueId)),
  webhooks: sevenroomsWebhooks,
  makeConnector: makeSevenRoomsConnector
}
