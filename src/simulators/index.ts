/** The platform simulators, by platform name, as the CLI and the tests start them. */
import type { Scope } from "effect"
import { Effect } from "effect"
import type { Platform } from "../domain/ids.js"
import { DeliverooSimulator } from "./deliveroo/index.js"
import { SevenRoomsSimulator } from "./sevenrooms/index.js"
import { TheForkSimulator } from "./thefork/index.js"
import { UberEatsSimulator } from "./ubereats/index.js"
import { ZenchefSimulator } from "./zenchef/index.js"

export interface StartOptions {
  readonly port: number
  readonly rateLimited: boolean
}

export interface RunningSimulator {
  readonly url: string
  readonly controlUrl: string
  readonly notes: ReadonlyArray<string>
}

export type Starter = (options: StartOptions) => Effect.Effect<RunningSimulator, unknown, Scope.Scope>

const DEMO_RESTAURANT = "a1b2c3d4"
const DEMO_KEY = "sim-api-key"
const THEFORK_RESTAURANT = "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48"
const DEMO_CLIENT = "sim-client"
const DEMO_SECRET = "sim-secret"
const SEVENROOMS_VENUE = "ahNzfnNldmVucm9vbXMtc2VjdXJlchwLEg9WZW51ZRiAgICA"
const SEVENROOMS_GROUP = "ahNzfnNldmVucm9vbXMtc2VjdXJlchsLEg5WZW51ZUdyb3VwGA"
/** The documented examples' ids (ubereats.md, deliveroo.md). */
const UBER_STORE = "9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f"
const DELIVEROO_SITE = { siteId: "site-0042", brandId: "brand-demo", locationId: "site-0042" }
const DEMO_WEBHOOK_SECRET = "sim-webhook-secret"

/**
 * One simulator per platform, started with demo data. Typed by `Platform`: a platform
 * without a simulator does not compile.
 */
export const simulatorStarters: Record<Platform, Starter> = {
  zenchef: ({ port, rateLimited }) =>
    Effect.map(
      ZenchefSimulator.start({
        port,
        restaurants: [{ uid: DEMO_RESTAURANT, name: "Demo bistro", apiKeys: [DEMO_KEY] }],
        ...(rateLimited ? {} : { rateLimit: null })
      }),
      (sim) => ({
        url: sim.url,
        controlUrl: sim.controlUrl,
        notes: [
          `restaurant ${DEMO_RESTAURANT}, header "ApiKey: ${DEMO_KEY}"`,
          `webhooks: PUT ${sim.controlUrl}/restaurants/${DEMO_RESTAURANT}/webhook {"url":...,"secret":"whsec_..."}, the config's webhook secret; then POST ${sim.controlUrl}/restaurants/${DEMO_RESTAURANT}/bookings/{uid}/webhooks/{event}`
        ]
      })
    ),
  thefork: ({ port, rateLimited }) =>
    Effect.map(
      TheForkSimulator.start({
        port,
        restaurants: [{ uuid: THEFORK_RESTAURANT, clients: [{ clientId: DEMO_CLIENT, clientSecret: DEMO_SECRET }] }],
        ...(rateLimited ? {} : { rateLimit: null })
      }),
      (sim) => ({
        url: sim.url,
        controlUrl: sim.controlUrl,
        notes: [
          `restaurant ${THEFORK_RESTAURANT}; token: POST ${sim.authUrl} client_id=${DEMO_CLIENT} client_secret=${DEMO_SECRET} audience=https://api.thefork.io`,
          `webhooks: PUT ${sim.controlUrl}/restaurants/${THEFORK_RESTAURANT}/webhook {"url":...,"token":...}, the config's webhook secret; then POST ${sim.controlUrl}/restaurants/${THEFORK_RESTAURANT}/reservations/{id}/webhooks/{reservationCreated|reservationUpdated}`
        ]
      })
    ),
  sevenrooms: ({ port, rateLimited }) =>
    Effect.map(
      SevenRoomsSimulator.start({
        port,
        venues: [{
          id: SEVENROOMS_VENUE,
          venueGroupId: SEVENROOMS_GROUP,
          clients: [{ clientId: DEMO_CLIENT, clientSecret: DEMO_SECRET, conciergeId: "sim-concierge" }]
        }],
        ...(rateLimited ? {} : { rateLimit: null })
      }),
      (sim) => ({
        url: sim.url,
        controlUrl: sim.controlUrl,
        notes: [
          `venue ${SEVENROOMS_VENUE} (group ${SEVENROOMS_GROUP}), concierge sim-concierge; token: POST ${sim.url}/auth client_id=${DEMO_CLIENT} client_secret=${DEMO_SECRET}, then "Authorization: <token>"`,
          `webhooks: PUT ${sim.controlUrl}/venues/${SEVENROOMS_VENUE}/webhook {"url":...,"secret":"whsec_..."}, the config's webhook secret; then POST ${sim.controlUrl}/venues/${SEVENROOMS_VENUE}/reservations/{id}/webhooks/{reservation.created|reservation.updated|reservation.cancelled}`
        ]
      })
    ),
  ubereats: ({ port, rateLimited }) =>
    Effect.map(
      UberEatsSimulator.start({
        port,
        clientId: DEMO_CLIENT,
        clientSecret: DEMO_SECRET,
        stores: [{ id: UBER_STORE }],
        ...(rateLimited ? {} : { rateLimit: null })
      }),
      (sim) => ({
        url: sim.url,
        controlUrl: sim.controlUrl,
        notes: [
          `store ${UBER_STORE}; token: POST ${sim.tokenUrl} client_id=${DEMO_CLIENT} client_secret=${DEMO_SECRET} grant_type=client_credentials`,
          `webhooks (signed with the client secret): PUT ${sim.controlUrl}/webhook {"url":...}; place an order: POST ${sim.controlUrl}/orders`
        ]
      })
    ),
  deliveroo: ({ port, rateLimited }) =>
    Effect.map(
      DeliverooSimulator.start({
        port,
        clientId: DEMO_CLIENT,
        clientSecret: DEMO_SECRET,
        webhookSecret: DEMO_WEBHOOK_SECRET,
        sites: [DELIVEROO_SITE],
        ...(rateLimited ? {} : { rateLimit: null })
      }),
      (sim) => ({
        url: sim.url,
        controlUrl: sim.controlUrl,
        notes: [
          `location ${DELIVEROO_SITE.locationId}, brand ${DELIVEROO_SITE.brandId}; token: POST ${sim.tokenUrl} (Basic or form) ${DEMO_CLIENT}:${DEMO_SECRET}`,
          `webhooks signed with "${DEMO_WEBHOOK_SECRET}": PUT ${sim.controlUrl}/settings {"webhookUrl":...}; place an order: POST ${sim.controlUrl}/orders`
        ]
      })
    )
}
