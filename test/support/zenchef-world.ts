import { Duration, Effect, Schedule } from "effect"
import { randomBytes } from "node:crypto"
import type { EntityType } from "../../src/domain/ids.js"
import { MappingRepository } from "../../src/ports/mapping-repository.js"
import { ZenchefSimulator } from "../../src/simulators/zenchef/index.js"
import { samples } from "./samples.js"
import { request, ServiceUrl } from "./service.js"

export interface WorldOptions {
  readonly masterFor?: ReadonlyArray<EntityType>
}

type Body = Record<string, unknown>

const post = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (response) =>
      response.status < 300
        ? Effect.succeed(response.body as Body)
        : Effect.dieMessage(`${path}: ${response.status} ${JSON.stringify(response.body)}`)
  )

/**
 * One restaurant connected to a Zenchef simulator over real HTTP: its config (credentials
 * encrypted, webhook secret shared with the simulator), and a room, two tables and an offer
 * mapped to the simulator's area 1, tables 3 and 4, and product "dinner-menu".
 */
export const zenchefWorld = (options: WorldOptions = {}) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const sim = yield* ZenchefSimulator.start({ rateLimit: null, webhookRetry: { initialDelayMs: 20, maxAttempts: 3 } })
    const secret = `whsec_${randomBytes(24).toString("base64")}`
    const apiKey = `key-${randomBytes(6).toString("hex")}`
    const seeded = yield* sim.seedRestaurant({
      apiKeys: [apiKey],
      timeZone: "Europe/Paris",
      webhook: { url: `${base}/api/webhooks/zenchef`, secret, signing: "standard" }
    })
    const restaurantId = `resto-${randomBytes(4).toString("hex")}`
    const config = yield* post("/api/platform-configs", {
      restaurantId,
      platform: "zenchef",
      credentials: { apiKey, restaurantUid: seeded.uid, timezone: "Europe/Paris", baseUrl: sim.url },
      webhookSecret: secret,
      masterFor: options.masterFor ?? [],
      syncEntities: ["reservation"]
    })
    const room = yield* post("/api/rooms", samples.diningRoom(restaurantId))
    const tables = yield* Effect.forEach(["T3", "T4"], (label) =>
      post("/api/tables", { ...samples.diningTable(restaurantId), label, diningRoomId: room.id }))
    const offer = yield* post("/api/offers", samples.offer(restaurantId))
    const mappings = yield* MappingRepository
    const link = (entityType: EntityType, entityId: unknown, externalId: string) =>
      mappings.upsert({
        restaurantId: restaurantId as never,
        entityType,
        entityId: String(entityId),
        platform: "zenchef",
        externalId,
        syncStatus: "synced",
        syncedAt: null
      })
    yield* link("dining_room", room.id, "1")
    yield* link("table", tables[0]!.id, "3")
    yield* link("table", tables[1]!.id, "4")
    yield* link("offer", offer.id, "dinner-menu")
    return { sim, secret, apiKey, restaurantUid: seeded.uid, restaurantId, config, room, tables, offer }
  })

/** Polls `check` until it holds (real time), failing with the last value after `within`. */
export const eventually = <A, E, R>(
  check: Effect.Effect<A, E, R>,
  holds: (a: A) => boolean,
  within: Duration.DurationInput = "10 seconds"
) =>
  check.pipe(
    Effect.filterOrFail(holds, (a) => new Error(`condition not reached, last value: ${JSON.stringify(a)}`)),
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo(within)))
  )

/** Léa Martin's booking for two, as made in Zenchef, no table given. */
export const guestBooking = {
  bookingDateTime: "2030-06-08T20:00:00",
  bookingDuration: 120,
  numberOfPeople: 2,
  culture: "fr",
  company: false,
  firstName: "Léa",
  lastName: "Martin",
  telephone: "+33698765432"
}

/** The same booking at table 3 (area 1), as restaurant staff make it in Zenchef. */
export const staffBooking = { ...guestBooking, tables: [3] }
