import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import type { ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import { theforkWebhooks } from "../../../../src/adapters/platforms/thefork/webhooks.js"
import type { ReservationSyncDTO } from "../../../../src/domain/dtos.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import { TheForkSimulator, type TheForkSimulatorOptions } from "../../../../src/simulators/thefork/index.js"
import type { ConformanceHarness, ConformanceSubject } from "../conformance/connector-conformance.js"
import { buildRegistry, clientDroppingCreates, faultControls } from "../conformance/harness-kit.js"
import { startWebhookReceiver } from "../conformance/webhook-receiver.js"

export const RESTAURANT_UUID = "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48"
export const CLIENT_ID = "thefork-test-client"
export const CLIENT_SECRET = "thefork-test-secret"

export const theforkConfig = (
  sim: { readonly url: string; readonly authUrl: string },
  urlToken: string,
  clientSecret = CLIENT_SECRET,
  restaurantId = "resto-thefork"
): ConnectorConfig => ({
  restaurantId: restaurantId as RestaurantId,
  platform: "thefork",
  externalRestaurantId: RESTAURANT_UUID,
  credentials: {
    clientId: CLIENT_ID,
    clientSecret,
    restaurantUuid: RESTAURANT_UUID,
    baseUrl: sim.url,
    authUrl: sim.authUrl
  },
  webhookSecret: Option.some(Redacted.make(urlToken)),
  version: "1"
})

export const sampleReservation = (localId: string): ReservationSyncDTO => ({
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  customerEmail: "ana@example.com",
  partySize: 4,
  reservationTime: "2030-06-07T17:30:00.000Z",
  externalReferenceId: localId
})

export interface StartOptions {
  readonly simulator?: TheForkSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startTheFork = (options: StartOptions = {}) =>
  Effect.gen(function*() {
    const receiver = yield* startWebhookReceiver
    const urlToken = randomBytes(24).toString("base64url")
    const sim = yield* TheForkSimulator.start({
      ...options.simulator,
      restaurants: [{
        uuid: RESTAURANT_UUID,
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
        webhook: { url: receiver.url, token: urlToken }
      }]
    })
    // Armed as the create's POST leaves (not the token's POST), so the create's answer is the one lost.
    const { client, dropNextCreateResponse } = yield* clientDroppingCreates(sim, (request) =>
      request.method === "POST" && request.url.endsWith("/reservations"))
    const registry = yield* buildRegistry(client, options.registry)
    const config = theforkConfig(sim, urlToken)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(
      theforkConfig(sim, urlToken, "not-the-secret", "resto-bad-secret")
    )
    const subject: ConformanceSubject = {
      connector,
      badCredentials,
      webhooks: theforkWebhooks,
      webhookSecret: Redacted.make(urlToken),
      credentials: config.credentials,
      externalRestaurantId: RESTAURANT_UUID,
      reservation: sampleReservation,
      sim: {
        bookingCount: Effect.map(sim.reservations(RESTAURANT_UUID).pipe(Effect.orDie), (all) =>
          all.length),
        ...faultControls(sim),
        dropNextCreateResponse,
        droppedResponses: Effect.map(sim.counters, (c) => c.responsesDropped),
        nextWebhook: receiver.next
      }
    }
    return { subject, sim, registry, config, urlToken, receiver }
  }).pipe(Effect.orDie)

export const theforkHarness: ConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startTheFork(), ({ subject }) => subject),
  capabilities: { checkInOut: false, timestampedWebhooks: false, thinWebhooks: true, urlTokenWebhooks: true }
}
