import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { RESTAURANT_UID, sampleReservation, startZenchef, zenchefConfig } from "../conformance/zenchef-harness.js"

const window = { limit: 100, windowMs: 1000 }

describe("zenchef connector: client-side rate limit per API key", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped(
      "300 requests at once through one connector: all complete, the platform never answers 429",
      () =>
        Effect.gen(function*() {
          const { subject, sim } = yield* startZenchef({
            simulator: { rateLimit: window },
            registry: { rateLimit: { limit: window.limit, window: "1 second" } }
          })
          const reservations = yield* requireCapability(subject.connector, "reservations")
          const created = yield* reservations.create(sampleReservation(crypto.randomUUID()))
          yield* sim.resetCounters
          const started = Date.now()
          const read = yield* Effect.forEach(Array.from({ length: 300 }), () => reservations.get(created.externalId), {
            concurrency: "unbounded"
          })
          const elapsed = Date.now() - started
          const counters = yield* sim.counters
          assert.strictEqual(read.length, 300)
          assert.strictEqual(counters.rateLimited, 0)
          assert.strictEqual(counters.requestsByRoute["GET /{restaurantUid}/booking/{uid}"], 300)
          // 300 at 100 per second with a burst under 100: about two seconds of waiting, not a failure.
          assert.isAtLeast(elapsed, 1500)
        }),
      { timeout: 15_000 }
    )

    it.scoped("connectors of two restaurants sharing an API key share its limit", () =>
      Effect.gen(function*() {
        const { subject, sim, registry } = yield* startZenchef({
          simulator: { rateLimit: window },
          registry: { rateLimit: { limit: window.limit, window: "1 second" } }
        })
        const second = yield* sim.seedRestaurant({
          uid: "b1b2c3d4",
          timeZone: "Europe/Paris",
          apiKeys: ["zenchef-test-key"]
        })
        const base = zenchefConfig(sim.url, "whsec_AAAA")
        const other = yield* registry.connectorFor({
          ...base,
          restaurantId: base.restaurantId.replace("zenchef", "other") as typeof base.restaurantId,
          externalRestaurantId: second.uid,
          credentials: { ...base.credentials, restaurantUid: second.uid }
        })
        const burst = (connector: typeof subject.connector) =>
          Effect.forEach(Array.from({ length: 100 }), () =>
            requireCapability(connector, "floorPlan").pipe(Effect.flatMap((f) => f.pullDiningRooms())), {
            concurrency: "unbounded"
          })
        yield* sim.resetCounters
        yield* Effect.all([burst(subject.connector), burst(other)], { concurrency: 2 })
        const counters = yield* sim.counters
        assert.notStrictEqual(second.uid, RESTAURANT_UID)
        assert.strictEqual(counters.requestsByRoute["GET /{restaurantUid}/areas"], 200)
        assert.strictEqual(counters.rateLimited, 0)
      }), { timeout: 15_000 })
  })
})
