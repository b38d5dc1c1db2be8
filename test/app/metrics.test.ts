import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeTestApp } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request, TestHttpLive } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"
import { parsePrometheus, valueOf } from "./metrics-parser.js"

// One failed platform call makes one failed attempt: the connector does not retry by itself here.
const ServiceLive = TestHttpLive.pipe(
  Layer.provideMerge(makeTestApp({ http: { transientRetries: 0, maxRateLimitWaits: 0 } }))
)

const scrape = Effect.gen(function*() {
  const response = yield* request("GET", "/metrics", undefined, { expectText: true })
  assert.strictEqual(response.status, 200)
  assert.match(String(response.headers["content-type"]), /^text\/plain; version=0\.0\.4/)
  return parsePrometheus(response.text)
})

const outbound = (status: string) => ({ platform: "zenchef", direction: "outbound", entity: "reservation", status })
const zenchefOut = { platform: "zenchef", direction: "outbound" }

const createReservation = (restaurantId: string) =>
  request("POST", "/api/reservations", {
    ...samples.reservation(restaurantId),
    reservationTime: "2030-06-07T17:30:00.000Z"
  })

describe("GET /metrics: Prometheus text whose counters move with the syncs (R-12.1)", () => {
  layer(ServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a push to the Zenchef simulator counts one successful outbound reservation sync and times it", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const before = yield* scrape
        yield* createReservation(w.restaurantId)
        assert.strictEqual(yield* drainAll, 1)
        const after = yield* scrape

        const delta = (family: string, labels: Record<string, string>, sample?: string) =>
          valueOf(after, family, labels, sample) - valueOf(before, family, labels, sample)
        assert.strictEqual(after.get("alloresto_syncs_total")?.type, "counter")
        assert.strictEqual(delta("alloresto_syncs_total", outbound("success")), 1)
        assert.strictEqual(after.get("alloresto_sync_duration_seconds")?.type, "histogram")
        assert.strictEqual(
          delta("alloresto_sync_duration_seconds", zenchefOut, "alloresto_sync_duration_seconds_count"),
          1
        )
        assert.isAbove(delta("alloresto_sync_duration_seconds", zenchefOut, "alloresto_sync_duration_seconds_sum"), 0)
        for (const gauge of ["alloresto_retry_queue_depth", "alloresto_dead_letters", "alloresto_sync_jobs_pending"]) {
          assert.strictEqual(after.get(gauge)?.type, "gauge", gauge)
        }
        assert.strictEqual(valueOf(after, "alloresto_sync_jobs_pending", {}), 0)
        assert.notInclude([...after.keys()].join(" "), "effect_fiber_")
      }))

    it.scoped("failed attempts count as retry, then failed; the queue gauges follow the retry queue and the dead letters", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const before = yield* scrape
        // Six failed attempts: the first try and the five retries of.
        yield* w.sim.setFaults({ failNext: 6, failStatus: 503 })
        yield* createReservation(w.restaurantId)
        yield* drainAll
        const waiting = yield* scrape
        assert.strictEqual(
          valueOf(waiting, "alloresto_syncs_total", outbound("retry")) -
            valueOf(before, "alloresto_syncs_total", outbound("retry")),
          1
        )
        assert.strictEqual(valueOf(waiting, "alloresto_retry_queue_depth", {}), 1)
        for (let i = 0; i < 5; i++) yield* request("POST", "/api/sync/retry?force=true")
        const dead = yield* scrape
        assert.strictEqual(
          valueOf(dead, "alloresto_syncs_total", outbound("retry")) -
            valueOf(before, "alloresto_syncs_total", outbound("retry")),
          5
        )
        assert.strictEqual(
          valueOf(dead, "alloresto_syncs_total", outbound("failed")) -
            valueOf(before, "alloresto_syncs_total", outbound("failed")),
          1
        )
        assert.strictEqual(valueOf(dead, "alloresto_retry_queue_depth", {}), 0)
        assert.strictEqual(valueOf(dead, "alloresto_dead_letters", {}), 1)
      }))

    it.scoped("rejected webhook deliveries are counted by platform and reason", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const rejected = (families: Awaited<ReturnType<typeof parsePrometheus>>, platform: string, reason: string) =>
          valueOf(families, "alloresto_webhook_deliveries_rejected_total", { platform, reason })
        const before = yield* scrape
        const forged = JSON.stringify({ event: "booking.created", restaurantUid: w.restaurantUid, booking: {} })
        const headers = {
          "webhook-id": "msg_1",
          "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          "webhook-signature": "v1,AAAA"
        }
        assert.strictEqual(
          (yield* request("POST", "/api/webhooks/zenchef", undefined, { rawBody: forged, headers })).status,
          401
        )
        assert.strictEqual((yield* request("POST", "/api/webhooks/zenchef", undefined, { rawBody: "{}" })).status, 400)
        assert.strictEqual(
          (yield* request("POST", "/api/webhooks/not-a-platform", undefined, { rawBody: "{}" })).status,
          400
        )
        const after = yield* scrape
        assert.strictEqual(after.get("alloresto_webhook_deliveries_rejected_total")?.type, "counter")
        assert.strictEqual(
          rejected(after, "zenchef", "unauthenticated") - rejected(before, "zenchef", "unauthenticated"),
          1
        )
        assert.strictEqual(rejected(after, "zenchef", "malformed") - rejected(before, "zenchef", "malformed"), 1)
        assert.strictEqual(rejected(after, "unknown", "malformed") - rejected(before, "unknown", "malformed"), 1)
      }))
  })
})
