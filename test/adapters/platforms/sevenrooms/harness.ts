import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import type { ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import { sevenroomsWebhooks } from "../../../../src/adapters/platforms/sevenrooms/webhooks.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import { SevenRoomsSimulator, type SevenRoomsSimulatorOptions } from "../../../../src/simulators/sevenrooms/index.js"
import type { ConformanceHarness, ConformanceSubject } from "../conformance/connector-conformance.js"
import { buildRegistry, clientDroppingCreates, faultControls, sampleReservation } from "../conformance/harness-kit.js"
import { startWebhookReceiver } from "../conformance/webhook-receiver.js"

export const VENUE_ID = "ahNzfnNldmVucm9vbXMtc2VjdXJlchwLEg9WZW51ZRiAgICA"
export const VENUE_GROUP_ID = "ahNzfnNldmVucm9vbXMtc2VjdXJlchsLEg5WZW51ZUdyb3VwGA"
export const CLIENT_ID = "sevenrooms-test-client"
export const CLIENT_SECRET = "sevenrooms-test-secret"
export const CONCIERGE_ID = "concierge-test"

export const sevenroomsConfig = (
  baseUrl: string,
  secret: string,
  clientSecret = CLIENT_SECRET,
  restaurantId = "resto-sevenrooms"
): ConnectorConfig => ({
  restaurantId: restaurantId as RestaurantId,
  platform: "sevenrooms",
  externalRestaurantId: VENUE_ID,
  credentials: {
    clientId: CLIENT_ID,
    clientSecret,
    venueGroupId: VENUE_GROUP_ID,
    venueId: VENUE_ID,
    conciergeId: CONCIERGE_ID,
    timezone: "Europe/Paris",
    baseUrl
  },
  webhookSecret: Option.some(Redacted.make(secret)),
  version: "1"
})

export { sampleReservation } from "../conformance/harness-kit.js"

export interface StartOptions {
  readonly simulator?: SevenRoomsSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startSevenRooms = (options: StartOptions = {}) =>
  Effect.gen(function*() {
    const receiver = yield* startWebhookReceiver
    const secret = `whsec_${randomBytes(24).toString("base64")}`
    const sim = yield* SevenRoomsSimulator.start({
      ...options.simulator,
      venues: [{
        id: VENUE_ID,
        venueGroupId: VENUE_GROUP_ID,
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, conciergeId: CONCIERGE_ID }],
        webhook: { url: receiver.url, secret, signing: "standard" }
      }]
    })
    // Armed as the book PUT leaves, so the create's answer is the one lost.
    const { client, dropNextCreateResponse } = yield* clientDroppingCreates(sim, (request) =>
      request.method === "PUT" && request.url.endsWith("/book"))
    const registry = yield* buildRegistry(client, options.registry)
    const config = sevenroomsConfig(sim.url, secret)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(
      sevenroomsConfig(sim.url, secret, "not-the-secret", "resto-bad-secret")
    )
    const subject: ConformanceSubject = {
      connector,
      badCredentials,
      webhooks: sevenroomsWebhooks,
      webhookSecret: Redacted.make(secret),
      credentials: config.credentials,
      externalRestaurantId: VENUE_ID,
      reservation: sampleReservation,
      sim: {
        bookingCount: Effect.map(sim.reservations(VENUE_ID).pipe(Effect.orDie), (all) =>
          all.length),
        ...faultControls(sim),
        dropNextCreateResponse,
        droppedResponses: Effect.map(sim.counters, (c) => c.responsesDropped),
        nextWebhook: receiver.next
      }
    }
    return { subject, sim, registry, config, secret, receiver }
  }).pipe(Effect.orDie)

export const sevenroomsHarness: ConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startSevenRooms(), ({ subject }) => subject),
  capabilities: { checkInOut: false, timestampedWebhooks: true }
}
