import { HttpClient, type HttpClientRequest } from "@effect/platform"
import { Context, Duration, Effect, Layer, Ref } from "effect"
import { ConnectorRegistryLive, type ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import type { ReservationSyncDTO } from "../../../../src/domain/dtos.js"
import { ConnectorRegistry } from "../../../../src/ports/connector-registry.js"
import type { FaultSettings } from "../../../../src/simulators/kit/faults.js"
import type { RateLimitSettings } from "../../../../src/simulators/kit/token-bucket.js"

/** Short waits so failure paths finish in a test's time. */
export const testHttpPolicy = {
  timeout: "3 seconds",
  transientRetries: 2,
  retryBaseDelay: "50 millis",
  maxRateLimitWaits: 1,
  maxRetryAfter: "1500 millis"
} as const

/** A reservation every table-booking platform accepts, carrying `localId` as its external reference. */
export const sampleReservation = (localId: string): ReservationSyncDTO => ({
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  customerEmail: "ana@example.com",
  partySize: 4,
  reservationTime: "2030-06-07T17:30:00.000Z",
  durationMin: 90,
  externalReferenceId: localId
})

/** The controls every simulator handle offers that the conformance suites drive. */
export interface FaultySimulator<C extends { readonly rateLimited: number }> {
  readonly setFaults: (faults: FaultSettings) => Effect.Effect<void>
  readonly setRateLimit: (settings: RateLimitSettings | null) => Effect.Effect<void>
  readonly counters: Effect.Effect<C>
}

type Limit = { readonly requests: number; readonly window: Duration.DurationInput } | null

/** A registry (short HTTP policy) whose connectors go through `client`; released with the scope. */
export const buildRegistry = (client: HttpClient.HttpClient, options?: ConnectorRegistryOptions) =>
  Effect.map(
    Layer.build(
      ConnectorRegistryLive({ http: testHttpPolicy, egress: { allowedHosts: ["127.0.0.1", "localhost"] }, ...options })
        .pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
    ),
    (context) => Context.get(context, ConnectorRegistry)
  )

/**
 * The ambient HTTP client, armed to make the simulator drop the next response as a create request
 * leaves (`isCreate`), so the create's answer is the one lost.
 */
export const clientDroppingCreates = (
  sim: FaultySimulator<{ readonly rateLimited: number }>,
  isCreate: (request: HttpClientRequest.HttpClientRequest) => boolean
) =>
  Effect.gen(function*() {
    const dropCreate = yield* Ref.make(false)
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.tapRequest((request) =>
        isCreate(request)
          ? Effect.flatMap(
            Ref.getAndSet(dropCreate, false),
            (armed) => (armed ? sim.setFaults({ dropNext: 1 }) : Effect.void)
          )
          : Effect.void
      )
    )
    return { client, dropNextCreateResponse: Ref.set(dropCreate, true) }
  })

/** Injected failures and the platform's rate limit, in the suites' terms. */
export const faultControls = <C extends { readonly rateLimited: number }>(sim: FaultySimulator<C>) => ({
  failNext: (n: number, status: number) => sim.setFaults({ failNext: n, failStatus: status }),
  throttle: (limit: Limit) =>
    sim.setRateLimit(
      limit === null ? null : { limit: limit.requests, windowMs: Duration.toMillis(Duration.decode(limit.window)) }
    ),
  rateLimitedResponses: Effect.map(sim.counters, (c) => c.rateLimited)
})
