import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import type { ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import { zenchefWebhooks } from "../../../../src/adapters/platforms/zenchef/webhooks.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import { ZenchefSimulator, type ZenchefSimulatorOptions } from "../../../../src/simulators/zenchef/index.js"
import type { ConformanceHarness, ConformanceSubject } from "./connector-conformance.js"
import {
  buildRegistry,
  clientDroppingCreates,
  faultControls,
  sampleReservation,
  testHttpPolicy
} from "./harness-kit.js"
import { startWebhookReceiver } from "./webhook-receiver.js"

export const RESTAURANT_UID = "a1b2c3d4"
export const API_KEY = "zenchef-test-key"

export { testHttpPolicy }

export const zenchefConfig = (
  baseUrl: string,
  secret: string,
  apiKey = API_KEY,
  restaurantId = "resto-zenchef"
): ConnectorConfig => ({
  restaurantId: restaurantId as RestaurantId,
  platform: "zenchef",
  externalRestaurantId: RESTAURANT_UID,
  credentials: { apiKey, restaurantUid: RESTAURANT_UID, timezone: "Europe/Paris", baseUrl },
  webhookSecret: Option.some(Redacted.make(secret)),
  version: "1"
})

export { sampleReservation } from "./harness-kit.js"

export interface StartOptions {
  readonly simulator?: ZenchefSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startZenchef = (options: StartOptions = {}) =>
  Effect.gen(function*() {
    const receiver = yield* startWebhookReceiver
    const secret = `whsec_${randomBytes(24).toString("base64")}`
    const sim = yield* ZenchefSimulator.start({
      ...options.simulator,
      restaurants: [{
        uid: RESTAURANT_UID,
        timeZone: "Europe/Paris",
        apiKeys: [API_KEY],
        webhook: { url: receiver.url, secret, signing: "standard" }
      }]
    })
    // The simulator drops "the next response"; arming it as the POST leaves makes that the create's.
    const { client, dropNextCreateResponse } = yield* clientDroppingCreates(sim, (request) => request.method === "POST")
    const registry = yield* buildRegistry(client, options.registry)
    const config = zenchefConfig(sim.url, secret)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(zenchefConfig(sim.url, secret, "not-a-key", "resto-bad-key"))
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
        ...faultControls(sim),
        dropNextCreateResponse,
        droppedResponses: Effect.map(sim.counters, (c) => c.responsesDropped),
        nextWebhook: receiver.next
      }
    }
    return { subject, sim, registry, config }
  }).pipe(Effect.orDie)

export const zenchefHarness: ConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startZenchef(), ({ subject }) => subject),
  // No check-out: it toggles and no Booking field shows it; check-in is covered in zenchef/connector-features.
  capabilities: { checkInOut: false, timestampedWebhooks: true }
}
