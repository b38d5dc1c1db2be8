import { assert, describe, layer } from "@effect/vitest"
import { Clock, Effect, Layer, TestClock } from "effect"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { makeTestApp } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request, TestHttpLive } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, any>

// Under TestClock nothing sleeps by itself, so the connector must not wait between its own tries.
const ServiceLive = TestHttpLive.pipe(
  Layer.provideMerge(makeTestApp({ http: { transientRetries: 0, maxRateLimitWaits: 0 } }))
)

const list = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { items: Array<Body> }).items)

const createReservation = (restaurantId: string) =>
  Effect.map(
    request("POST", "/api/reservations", {
      ...samples.reservation(restaurantId),
      reservationTime: "2030-06-07T17:30:00.000Z"
    }),
    (r) => r.body as Body
  )

const at = (t0: number, minutes: number) => new Date(t0 + minutes * 60_000).toISOString()

const retryLogs = (restaurantId: string) =>
  Effect.map(
    list(`/api/sync/logs?restaurantId=${restaurantId}&status=retry`),
    (logs) => logs.map((l) => [l.retryCount, l.nextRetryAt]).sort((a, b) => a[0] - b[0])
  )

describe("durable retries (R-8), the clock driven by the test", () => {
  layer(ServiceLive)((it) => {
    it.scoped("a failing push is retried at +1 min, +5 min, ... and succeeds once the platform recovers", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        // Each attempt's first call fails: two attempts fail, the third goes through.
        yield* w.sim.setFaults({ failNext: 2, failStatus: 503 })
        const t0 = yield* Clock.currentTimeMillis
        yield* createReservation(w.restaurantId)
        yield* drainAll
        yield* TestClock.adjust("59 seconds")
        yield* drainAll
        assert.deepStrictEqual(yield* retryLogs(w.restaurantId), [[1, at(t0, 1)]], "not retried before its time")
        yield* TestClock.adjust("1 second")
        yield* drainAll
        assert.deepStrictEqual(yield* retryLogs(w.restaurantId), [[1, at(t0, 1)], [2, at(t0, 6)]])
        yield* TestClock.adjust("5 minutes")
        yield* drainAll
        assert.strictEqual((yield* w.sim.bookings(w.restaurantUid)).length, 1)
        const success = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=success`)
        assert.strictEqual(success.length, 1)
        assert.strictEqual(success[0]!.retryCount, 2)
        const counts = (yield* request("GET", "/api/sync/retry")).body as Body
        assert.strictEqual(counts.retrying, 0)
      }))

    it.scoped("after five failed retries the push is a dead letter; an operator's replay then succeeds (R-8.1)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        yield* w.sim.setFaults({ failNext: 1_000, failStatus: 500 })
        const t0 = yield* Clock.currentTimeMillis
        yield* createReservation(w.restaurantId)
        yield* drainAll
        for (const delay of ["1 minute", "5 minutes", "30 minutes", "2 hours", "8 hours"] as const) {
          assert.strictEqual(((yield* request("GET", "/api/sync/retry")).body as Body).dead, 0)
          yield* TestClock.adjust(delay)
          yield* drainAll
        }
        const retries = yield* retryLogs(w.restaurantId)
        assert.deepStrictEqual(retries.map((r) => r[1]), [1, 6, 36, 156, 636].map((m) => at(t0, m)))
        const failed = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=failed`)
        assert.strictEqual(failed.length, 1)
        const dead = yield* list(`/api/sync/jobs?status=dead&restaurantId=${w.restaurantId}`)
        assert.strictEqual(dead.length, 1)
        assert.strictEqual(((yield* request("GET", "/api/sync/retry")).body as Body).dead, 1)

        yield* w.sim.clearFaults
        const replayed = yield* request("POST", `/api/sync/jobs/${dead[0]!.id}/replay`)
        assert.strictEqual(replayed.status, 200)
        const run = (yield* request("POST", "/api/sync/retry")).body as Body
        assert(run.processed >= 1)
        assert.strictEqual((yield* w.sim.bookings(w.restaurantUid)).length, 1)
        assert.strictEqual(((yield* request("GET", "/api/sync/retry")).body as Body).dead, 0)
        assert.strictEqual(
          (yield* request("POST", `/api/sync/jobs/${dead[0]!.id}/replay`)).status,
          404,
          "only dead letters replay"
        )
      }))

    it.scoped("a worker that dies after the commit, even after its push went out, loses nothing and duplicates nothing (R-5.7, R-5.8)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const queue = yield* SyncJobQueue
        const created = yield* createReservation(w.restaurantId)
        // The worker takes the job, its create reaches Zenchef, and it dies before recording it.
        const [job] = yield* queue.claim({ limit: 10, leaseMs: 30_000 })
        assert.strictEqual(job?.entityId, created.id)
        const { apiKey, restaurantUid } = w
        const response = yield* Effect.promise(() =>
          fetch(`${w.sim.url}/${restaurantUid}/booking`, {
            method: "POST",
            headers: { "content-type": "application/json", ApiKey: apiKey },
            body: JSON.stringify({
              bookingDateTime: "2030-06-07T19:30:00",
              bookingDuration: 120,
              numberOfPeople: 4,
              culture: "fr",
              company: false,
              externalReferenceId: created.id
            })
          })
        )
        assert.strictEqual(response.status, 200)
        yield* drainAll
        assert.strictEqual(
          (yield* w.sim.bookings(restaurantUid)).length,
          1,
          "nothing runs while the dead worker's lease holds"
        )
        yield* TestClock.adjust("31 seconds")
        yield* drainAll
        const bookings = yield* w.sim.bookings(restaurantUid)
        assert.strictEqual(bookings.length, 1, "exactly once")
        const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=reservation`)
        assert.deepStrictEqual(mappings.map((m) => m.externalId), [bookings[0]!.uid])
      }))
  })
})
