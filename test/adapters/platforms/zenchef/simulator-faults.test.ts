import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Either } from "effect"
import { ZenchefSimulator } from "../../../../src/simulators/zenchef/index.js"
import { call, fields, items, KEY, newBooking, RESTAURANT } from "./simulator-support.js"

const restaurants = [{ uid: RESTAURANT, apiKeys: [KEY] }]
const areas = `/${RESTAURANT}/areas`

describe("Zenchef simulator: rate limit and faults", () => {
  it.scopedLive("answers 429 with Retry-After once the key's bucket is empty, and recovers after the window", () =>
    Effect.gen(function*() {
      const sim = yield* ZenchefSimulator.start({ restaurants, rateLimit: { limit: 3, windowMs: 1_200 } })
      for (let i = 0; i < 3; i++) assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)
      const limited = yield* call(sim.url, "GET", areas, { apiKey: KEY })
      assert.strictEqual(limited.status, 429)
      const retryAfter = limited.headers.get("retry-after") ?? ""
      assert.match(retryAfter, /^\d+$/)
      assert.isAtLeast(Number(retryAfter), 1)
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 429)
      assert.strictEqual((yield* sim.counters).rateLimited, 2)
      // One token comes back every 400 ms.
      yield* Effect.sleep("450 millis")
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)

      yield* sim.setRateLimit(null)
      for (let i = 0; i < 10; i++) assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)
      assert.strictEqual((yield* sim.counters).requestsByRoute["GET /{restaurantUid}/areas"], 16)
    }))

  it.scopedLive("injects 5xx for the next N requests without handling them", () =>
    Effect.gen(function*() {
      const sim = yield* ZenchefSimulator.start({ restaurants })
      yield* sim.setFaults({ failNext: 2, failStatus: 502 })
      const post = call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking() })
      assert.strictEqual((yield* post).status, 502)
      assert.strictEqual((yield* post).status, 502)
      assert.strictEqual((yield* sim.bookings(RESTAURANT)).length, 0)
      assert.strictEqual((yield* post).status, 200)
      const counters = yield* sim.counters
      assert.strictEqual(counters.createCalls, 3)
      assert.strictEqual(counters.failuresInjected, 2)
    }))

  it.scopedLive("injects 5xx for a time span, and latency", () =>
    Effect.gen(function*() {
      const sim = yield* ZenchefSimulator.start({ restaurants })
      yield* sim.setFaults({ failForMs: 300 })
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 503)
      yield* Effect.sleep("350 millis")
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)

      yield* sim.setFaults({ latencyMs: 150 })
      const before = yield* Clock.currentTimeMillis
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)
      assert.isAtLeast((yield* Clock.currentTimeMillis) - before, 150)
      yield* sim.clearFaults
    }))

  it.scopedLive("a dropped response fails the call, but the created booking is stored and found by its external reference", () =>
    Effect.gen(function*() {
      const sim = yield* ZenchefSimulator.start({ restaurants })
      yield* sim.setFaults({ dropNext: 1 })
      const dropped = yield* Effect.either(
        call(sim.url, "POST", `/${RESTAURANT}/booking`, {
          apiKey: KEY,
          body: newBooking({ externalReferenceId: "resa-9" })
        })
      )
      assert.isTrue(Either.isLeft(dropped))
      const found = yield* call(sim.url, "GET", `/${RESTAURANT}/booking/2030-06-07/1`, { apiKey: KEY })
      assert.strictEqual(found.status, 200)
      const ours = items(found).filter((b) => b["externalReferenceId"] === "resa-9")
      assert.deepStrictEqual(ours.map((b) => b["firstName"]), ["Ana"])
      const counters = yield* sim.counters
      assert.strictEqual(counters.responsesDropped, 1)
      assert.strictEqual(counters.bookingsByRestaurant[RESTAURANT], 1)
    }))

  it.scopedLive("exposes the same controls as JSON routes under /_sim", () =>
    Effect.gen(function*() {
      const sim = yield* ZenchefSimulator.start()
      const seeded = yield* call(sim.controlUrl, "POST", "/restaurants", {
        body: { uid: RESTAURANT, apiKeys: [KEY], capacity: 10 }
      })
      assert.strictEqual(seeded.status, 201)
      assert.strictEqual(fields(seeded)["capacity"], 10)
      assert.strictEqual((yield* call(sim.controlUrl, "POST", "/restaurants", { body: { apiKeys: [] } })).status, 400)

      assert.strictEqual((yield* call(sim.controlUrl, "PUT", "/faults", { body: { failNext: 1 } })).status, 204)
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 503)
      assert.strictEqual(
        (yield* call(sim.controlUrl, "PUT", "/rate-limit", { body: { limit: 1, windowMs: 60_000 } })).status,
        204
      )
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 200)
      assert.strictEqual((yield* call(sim.url, "GET", areas, { apiKey: KEY })).status, 429)
      yield* call(sim.controlUrl, "PUT", "/rate-limit", { body: null })

      const created = yield* call(sim.controlUrl, "POST", `/restaurants/${RESTAURANT}/bookings`, { body: newBooking() })
      assert.strictEqual(created.status, 201)
      const uid = String(fields(created)["uid"])
      const edited = yield* call(sim.controlUrl, "PUT", `/restaurants/${RESTAURANT}/bookings/${uid}`, {
        body: { numberOfPeople: 6 }
      })
      assert.strictEqual(fields(edited)["numberOfPeople"], 6)
      const cancelled = yield* call(sim.controlUrl, "POST", `/restaurants/${RESTAURANT}/bookings/${uid}/cancel`)
      assert.strictEqual(fields(cancelled)["status"], "CANCELLED")
      const mode = yield* call(sim.controlUrl, "PUT", "/mode", { body: { updateMode: "replace" } })
      assert.strictEqual(fields(mode)["updateMode"], "replace")

      const counters = fields(yield* call(sim.controlUrl, "GET", "/counters"))
      assert.strictEqual(counters["rateLimited"], 1)
      assert.deepStrictEqual(counters["bookingsByRestaurant"], { [RESTAURANT]: 1 })
      assert.strictEqual((yield* call(sim.controlUrl, "GET", "/no-such-control")).status, 404)
    }))
})
