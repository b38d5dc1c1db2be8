import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import type { EntityType } from "../../src/domain/ids.js"
import { MappingRepository } from "../../src/ports/mapping-repository.js"
import { sampleOffers, TheForkSimulator } from "../../src/simulators/thefork/index.js"
import { post } from "./marketplace-world.js"
import { samples } from "./samples.js"
import { ServiceUrl } from "./service.js"

/**
 * One restaurant connected to a TheFork simulator over real HTTP: OAuth client credentials
 * (encrypted in its config), the URL token TheFork appends to our webhook URL as the config's
 * webhook secret, and a local offer mapped to the simulator's "Tasting menu".
 */
export const theforkWorld = Effect.suspend(() => theforkWorldOf())

/**
 * `theforkWorld` for a restaurant given (one already on another platform), else a new one; TheFork
 * master of what `masterFor` names.
 */
export const theforkWorldOf = (existingRestaurantId?: string, masterFor: ReadonlyArray<EntityType> = []) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const sim = yield* TheForkSimulator.start({ rateLimit: null, webhookRetry: { initialDelayMs: 20, maxAttempts: 3 } })
    const urlToken = randomBytes(24).toString("base64url")
    const client = {
      clientId: `client-${randomBytes(4).toString("hex")}`,
      clientSecret: randomBytes(12).toString("hex")
    }
    const seeded = yield* sim.seedRestaurant({
      clients: [client],
      webhook: { url: `${base}/api/webhooks/thefork`, token: urlToken }
    })
    const restaurantId = existingRestaurantId ?? `resto-${randomBytes(4).toString("hex")}`
    yield* post("/api/platform-configs", {
      restaurantId,
      platform: "thefork",
      credentials: { ...client, restaurantUuid: seeded.uuid, baseUrl: sim.url, authUrl: sim.authUrl },
      webhookSecret: urlToken,
      masterFor,
      syncEntities: ["reservation"]
    })
    const offer = yield* post("/api/offers", samples.offer(restaurantId))
    const mappings = yield* MappingRepository
    yield* mappings.upsert({
      restaurantId: restaurantId as never,
      entityType: "offer",
      entityId: String(offer.id),
      platform: "thefork",
      externalId: sampleOffers[1]!.uuid,
      syncStatus: "synced",
      syncedAt: null
    })
    const fetches = Effect.map(sim.counters, (c) => c.requestsByRoute["GET /v1/reservations/{id}"] ?? 0)
    return { sim, urlToken, restaurantUuid: seeded.uuid, restaurantId, offer, fetches }
  })

export const guest = {
  email: "lea@example.com",
  firstName: "Léa",
  lastName: "Martin",
  phone: "+33698765432",
  locale: "fr_FR",
  civility: "ms"
} as const
