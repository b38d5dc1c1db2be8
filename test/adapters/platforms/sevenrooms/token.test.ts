import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleReservation, startSevenRooms } from "./harness.js"

/** R-4.5: SevenRooms' ~24 h token (POST /auth, sent raw, no Bearer) renewed before expiry, once. */
const start = (tokenLifetimeSeconds: number) =>
  Effect.gen(function*() {
    const world = yield* startSevenRooms({
      simulator: { mode: { tokenLifetimeSeconds, apiChangesEmitWebhooks: false }, rateLimit: null },
      registry: { rateLimit: { limit: 1_000 } }
    })
    const reservations = yield* requireCapability(world.subject.connector, "reservations").pipe(Effect.orDie)
    const created = yield* reservations.create(sampleReservation(crypto.randomUUID()))
    const counter = (k: "tokenRequests" | "unauthorized") => Effect.map(world.sim.counters, (c) => c[k])
    const fifty = Effect.forEach(Array.from({ length: 50 }), () => reservations.get(created.externalId), {
      concurrency: "unbounded"
    })
    return { ...world, tokenRequests: counter("tokenRequests"), unauthorized: counter("unauthorized"), fifty }
  })

describe("sevenrooms access tokens", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("50 concurrent calls after the token has just expired cause exactly one /auth", () =>
      Effect.gen(function*() {
        const w = yield* start(4)
        assert.strictEqual(yield* w.tokenRequests, 1)
        yield* Effect.sleep("4100 millis")
        assert.strictEqual((yield* w.fifty).length, 50)
        assert.strictEqual(yield* w.tokenRequests, 2)
        assert.strictEqual(yield* w.unauthorized, 0)
      }))

    it.scoped("a 401 on a token believed valid re-runs /auth once for all 50 callers, then retries", () =>
      Effect.gen(function*() {
        const w = yield* start(24 * 3600)
        yield* w.sim.expireTokens
        assert.strictEqual((yield* w.fifty).length, 50)
        assert.strictEqual(yield* w.tokenRequests, 2)
        assert.isAtLeast(yield* w.unauthorized, 1)
      }))
  })
})
