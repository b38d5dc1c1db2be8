import { randomBytes } from "node:crypto"
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, Option, Redacted, Ref } from "effect"
import { ConnectorRegistry, ConnectorRegistryLive, type ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import { ZenchefSimulator, type ZenchefSimulatorOptions } from "../../../../src/adapters/platforms/zenchef/simulator/index.js"
import { zenchefWebhooks } from "../../../../src/adapters/platforms/zenchef/webhooks.js"
import type { ReservationSyncDTO } from "../../../../src/domain/dtos.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-connector.js"
import type { ConformanceHarness, ConformanceSubject } from "./connector-conformance.js"
import { startWebhookReceiver } from "./webhook-receiver.js"

export const RESTAURANT_UID = "a1b2c3d4"
export const API_KEY = "zenchef-test-key"

/** Short waits so failure paths finish in a test's time. */
export const testHttpPolicy = {
  timeout: "3 seconds",
  transientRetries: 2,
  retryBaseDelay: "50 millis",
  maxRateLimitWaits: 1,
  maxRetryAfter: "1500 millis"
} as const

export const zenchefConfig = (baseUrl: string, secret: string, apiKey = API_KEY, restaurantId = "resto-zenchef"): ConnectorConfig => ({
  restaurantId: restaurantId as RestaurantId,
  platform: "zenchef",
  externalRestaurantId: RESTAURANT_UID,
  credentials: { apiKey, restaurantUid: RESTAURANT_UID, timezone: "Europe/Paris", baseUrl },
  webhookSecret: Option.some(Redacted.make(secret)),
  version: "1"
})

export const sampleReservation = (localId: string): ReservationSyncDTO => ({
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  customerEmail: "ana@example.com",
  partySize: 4,
  reservationTime: "2030-06-07T17:30:00.000Z",
  durationMin: 90,
  externalReferenceId: localId
})

export interface StartOptions {
  readonly simulator?: ZenchefSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startZenchef = (options: StartOptions = {}) =>
  Effect.gen(function* () {
    const receiver = yield* startWebhookReceiver
    const secret = `whsec_${randomBytes(24).toString("base64")}`
    const sim = yield* ZenchefSimulator.start({
      ...options.simulator,
      restaurants: [{ uid: RESTAURANT_UID, timeZone: "Europe/Paris", apiKeys: [API_KEY], webhook: { url: receiver.url, secret, signing: "standard" } }]
    })
    // The simulator drops "the next response"; arming it as the POST leaves makes that the create's.
    const dropCreate = yield* Ref.make(false)
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.tapRequest((request) =>
        request.method === "POST"
          ? Effect.flatMap(Ref.getAndSet(dropCreate, false), (armed) => (armed ? sim.setFaults({ dropNext: 1 }) : Effect.void))
          : Effect.void
      )
    )
    const context = yield* Layer.build(
      ConnectorRegistryLive({ http: testHttpPolicy, ...options.registry }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
    )
    const registry = Context.get(context, ConnectorRegistry)
    const config = zenchefConfig(sim.url, secret)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(zenchefConfig(sim.url, secret, "not-a-key", "resto-bad-key"))
    const counters = sim.counters
    const subject: ConformanceSubject = {
      connector,
      badCredentials,
      webhooks: zenchefWebhooks,
      webhookSecret: Redacted.make(secret),
      credentials: config.credentials,
      externalRestaurantId: RESTAURANT_UID,
      reservation: sampleReservation,
      sim: {
        bookingCount: Effect.map(sim.bookings(RESTAURANT_UID).pipe(Effect.orDie), (all) => all.length),
        failNext: (n, status) => sim.setFaults({ failNext: n, failStatus: status }),
        dropNextCreateResponse: Ref.set(dropCreate, true),
        droppedResponses: Effect.map(counters, (c) => c.responsesDropped),
        throttle: (limit) =>
          sim.setRateLimit(limit === null ? null : { limit: limit.requests, windowMs: Duration.toMillis(Duration.decode(limit.window)) }),
        rateLimitedResponses: Effect.map(counters, (c) => c.rateLimited),
        nextWebhook: receiver.next
      }
    }
    return { subject, sim, registry, config }
  }).pipe(Effect.orDie)

export const zenchefHarness: ConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startZenchef(), ({ subject }) => subject),
  capabilities: { checkInOut: true, timestampedWebhooks: true }
}
