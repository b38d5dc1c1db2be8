import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { SevenRoomsSimulator } from "../../src/simulators/sevenrooms/index.js"
import { VENUE_GROUP_ID } from "../adapters/platforms/sevenrooms/harness.js"
import { post } from "./marketplace-world.js"
import { ServiceUrl } from "./service.js"

/**
 * One restaurant connected to a SevenRooms simulator over real HTTP: the API client (encrypted in
 * its config), and the venue's Standard Webhooks secret as the config's webhook secret, the
 * simulator posting its signed reservation events to the service.
 */
export const sevenroomsWorld = Effect.gen(function*() {
  const base = yield* ServiceUrl
  const sim = yield* SevenRoomsSimulator.start({
    rateLimit: null,
    webhookRetry: { initialDelayMs: 20, maxAttempts: 3 }
  })
  const secret = `whsec_${randomBytes(24).toString("base64")}`
  const client = { clientId: `client-${randomBytes(4).toString("hex")}`, clientSecret: randomBytes(12).toString("hex") }
  const venue = yield* sim.seedVenue({
    venueGroupId: VENUE_GROUP_ID,
    clients: [{ ...client, conciergeId: "concierge-test" }],
    webhook: { url: `${base}/api/webhooks/sevenrooms`, secret }
  })
  const restaurantId = `resto-${randomBytes(4).toString("hex")}`
  yield* post("/api/platform-configs", {
    restaurantId,
    platform: "sevenrooms",
    credentials: {
      ...client,
      venueGroupId: VENUE_GROUP_ID,
      venueId: venue.id,
      conciergeId: "concierge-test",
      timezone: "Europe/Paris",
      baseUrl: sim.url
    },
    webhookSecret: secret,
    masterFor: [],
    syncEntities: ["reservation"]
  })
  return { sim, venueId: venue.id, restaurantId }
})
