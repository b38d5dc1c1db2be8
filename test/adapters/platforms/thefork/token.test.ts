import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleReservation, startTheFork } from "./harness.js"

/** tokens renewed before expiry, once, however many calls need one at that moment. */
const start = (tokenLifetimeSeconds: number) =>
  Effect.gen(function*() {
    const world = yield* startTheFork({
      simulator: { mode: { tokenLifetimeSeconds, apiChangesEmitWebhooks: false }, rateLimit: null },
      // Fifty reads at once stay inside our own client-side budget.
      registry: { rateLimit: { limit: 1_000 } }
    })
    const reservations = yield* requireCapability(world.subject.connector, "reservations").pipe(Effect.orDie)
    const created = yield* reservations.create(sampleReservation(crypto.randomUUID()))
    const tokenRequests = Effect.map(world.sim.counters, (c) => c.tokenRequests)
    const unauthorized = Effect.map(world.sim.counters, (c) => c.unauthorized)
    const fifty = Effect.forEach(Array.from({ length: 50 }), () => reservations.get(created.externalId), {
      concurrency: "unbounded"
    })
    return { ...world, reservations, created, tokenRequests, unauthorized, fifty }
  })

describe("thefork access tokens", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("50 concurrent calls after the token has just expired cause exactly one token request", () =>
      Effect.gen(function*() {
        const w = yield* start(4)
        assert.strictEqual(yield* w.tokenRequests, 1)
        yield* Effect.sleep("4100 millis")
        const read = yield* w.fifty
        assert.strictEqual(read.length, 50)
        assert.strictEqual(yield* w.tokenRequests, 2)
        // The expired token was never sent: the connector knew its expiry.
        assert.strictEqual(yield* w.unauthorized, 0)
      }))

    it.scoped("50 concurrent calls refused with 401 (token revoked early) renew the token once and succeed", () =>
      Effect.gen(function*() {
        const w = yield* start(8600)
        yield* w.sim.expireTokens
        const read = yield* w.fifty
        assert.strictEqual(read.length, 50)
        assert.strictEqual(yield* w.tokenRequests, 2)
        assert.isAtLeast(yield* w.unauthorized, 1)
      }))

    it.scoped("a busy connector renews its token in the token's last tenth of life, before the platform refuses it", () =>
      Effect.gen(function*() {
        const w = yield* start(3)
        // One call after another across the 3 s lifetime: the renewal must land inside the last 0.3 s.
        const until = Date.now() + 3_500
        while (Date.now() < until) yield* w.reservations.get(w.created.externalId)
        const counters = yield* w.sim.counters
        assert.isAtLeast(counters.renewalsBeforeExpiry, 1)
        assert.strictEqual(counters.unauthorized, 0)
      }))

    it.scoped("with TheFork's 8600 s tokens, a busy connector never asks for a token it does not need", () =>
      Effect.gen(function*() {
        const w = yield* start(8600)
        yield* w.fifty
        yield* w.fifty
        const counters = yield* w.sim.counters
        assert.strictEqual(counters.tokenRequests, 1)
        assert.strictEqual(counters.earlyTokenRequests, 0)
      }))
  })
})
