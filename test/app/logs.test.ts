import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { toJsonLine } from "../../src/app/observability/logger.js"
import { OtlpExport } from "../../src/app/observability/telemetry.js"
import { makeTestApp } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request, TestHttpLive } from "../support/service.js"
import { guestBooking, zenchefWorld } from "../support/zenchef-world.js"

// Every line the service logs, in the production JSON format, to grep for secrets.
const lines: Array<string> = []
// Debug too: routine syncs and accepted deliveries are logged at that level.
const CaptureJsonLogs = Layer.merge(
  Logger.replace(Logger.defaultLogger, Logger.make((options) => lines.push(toJsonLine(options)))),
  Logger.minimumLogLevel(LogLevel.Debug)
)
// Spans (and so trace ids on log lines) exist only with OTLP export on (telemetry.ts): on here,
// without an exporter, as a service with OTEL_EXPORTER_OTLP_ENDPOINT set would run.
const TracingOn = Layer.succeed(OtlpExport, true)
const ServiceLive = TestHttpLive.pipe(
  Layer.provideMerge(makeTestApp({ http: { transientRetries: 0, maxRateLimitWaits: 0 } })),
  Layer.provide(CaptureJsonLogs),
  Layer.provideMerge(TracingOn)
)

type Line = Record<string, unknown>
const parsed = () => lines.map((l) => JSON.parse(l) as Line)

// Seeded secrets: each world adds its API key and webhook secret; the URL-token config adds its token.
const secrets: Array<string> = []
const URL_TOKEN = `tok-${crypto.randomUUID()}`
const FORGED_SIGNATURE = "v1,Rk9SR0VELXNpZ25hdHVyZS1mb3JnZWQtZm9yZ2VkLWZvcmdlZA=="
const API_KEY = `sk-live-${crypto.randomUUID()}`

const envelope = (restaurantUid: string) =>
  JSON.stringify({
    event: "booking.created",
    eventId: crypto.randomUUID(),
    occurredAt: new Date().toISOString(),
    restaurantUid,
    booking: {
      uid: `b-${crypto.randomUUID().slice(0, 8)}`,
      status: "ACCEPTED",
      bookingDateTime: "2030-06-07T19:30:00",
      bookingDuration: 120,
      numberOfPeople: 2,
      firstName: "Léa",
      lastName: "Martin",
      tables: [],
      tickets: []
    }
  })

describe("structured JSON logs: correlated, and no secret in any line (R-12.1)", () => {
  layer(ServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("configs, signed and forged webhooks, URL-token deliveries and pushes log no credential or secret", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        secrets.push(w.apiKey, w.secret, URL_TOKEN, API_KEY, FORGED_SIGNATURE)
        // A second restaurant whose deliveries carry the secret in the query string.
        const uid = crypto.randomUUID().replaceAll("-", "").slice(0, 8)
        const tokenConfig = {
          restaurantId: `resto-${uid}`,
          platform: "zenchef",
          credentials: { apiKey: API_KEY, restaurantUid: uid, timezone: "Europe/Paris", webhookSigning: "url-token" },
          webhookSecret: URL_TOKEN,
          syncEntities: ["reservation"]
        }
        assert.strictEqual((yield* request("POST", "/api/platform-configs", tokenConfig)).status, 201)
        assert.strictEqual(
          (yield* request("POST", "/api/platform-configs", {
            ...tokenConfig,
            credentials: { apiKey: API_KEY, restaurantUid: "not-hex" }
          })).status,
          400
        )
        assert.strictEqual(
          (yield* request("POST", `/api/webhooks/zenchef?token=${URL_TOKEN}`, undefined, { rawBody: envelope(uid) }))
            .status,
          200
        )
        assert.strictEqual(
          (yield* request("POST", `/api/webhooks/zenchef?token=${URL_TOKEN}x`, undefined, { rawBody: envelope(uid) }))
            .status,
          401
        )
        const signature = {
          "webhook-id": "msg_forged",
          "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          "webhook-signature": FORGED_SIGNATURE
        }
        assert.strictEqual(
          (yield* request("POST", "/api/webhooks/zenchef", undefined, {
            rawBody: envelope(w.restaurantUid),
            headers: signature
          })).status,
          401
        )

        // A signed delivery from the simulator, a push, and a push that fails once.
        yield* w.sim.platform.create(w.restaurantUid, guestBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z"
        })
        yield* drainAll
        yield* w.sim.setFaults({ failNext: 1, failStatus: 503 })
        yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-09T17:30:00.000Z"
        })
        yield* drainAll
        yield* w.sim.webhooks.awaitIdle

        // What an operator reads must be as clean as the logs.
        const pages = yield* Effect.forEach([
          "/ops",
          "/api/ops/summary",
          "/api/sync/logs?limit=500",
          "/api/sync/jobs?status=retrying",
          "/metrics"
        ], (path) => Effect.map(request("GET", path, undefined, { expectText: true }), (r) => r.text))
        const everything = [...lines, ...pages].join("\n")
        for (const secret of secrets) assert.notInclude(everything, secret)
        assert.include(
          lines.join("\n"),
          "token=<redacted>",
          "the URL-token deliveries were logged, without their token"
        )
      }))

    it.scoped("every line is one JSON object; requests carry their id (echoed back), sync jobs their job, platform and direction", () =>
      Effect.gen(function*() {
        const response = yield* request("GET", "/api/sync/retry", undefined, {
          headers: { "x-request-id": "ops-check-42" }
        })
        assert.strictEqual(response.headers["x-request-id"], "ops-check-42")
        const generated = yield* request("GET", "/api/sync/retry")
        assert.match(String(generated.headers["x-request-id"]), /^[0-9a-f-]{36}$/)
        const all = parsed()
        assert(all.every((l) => typeof l.timestamp === "string" && typeof l.level === "string" && "message" in l))
        const access = all.find((l) => l.requestId === "ops-check-42")
        assert.deepInclude(access, { message: "http request", method: "GET", url: "/api/sync/retry", status: 200 })
        const settled = all.filter((l) => l.message === "sync settled")
        assert(settled.some((l) => l.direction === "outbound" && l.status === "success"), JSON.stringify(settled))
        assert(settled.some((l) => l.direction === "inbound"), "the signed delivery was applied by a job")
        const retry = settled.find((l) => l.status === "retry")
        assert.strictEqual(retry?.level, "WARN")
        for (const l of settled) {
          assert.isNumber(l.jobId)
          assert.strictEqual(l.platform, "zenchef")
          assert.isString(l.traceId, "the job's span ties its lines together")
        }
        const tracesOfJob = new Map<unknown, Set<unknown>>()
        for (const l of all.filter((l) => typeof l.jobId === "number")) {
          tracesOfJob.set(l.jobId, (tracesOfJob.get(l.jobId) ?? new Set()).add(l.traceId))
        }
        for (const [jobId, traces] of tracesOfJob) {
          assert.strictEqual(traces.size, 1, `the lines of job ${String(jobId)} share one trace id`)
        }
      }))
  })
})
