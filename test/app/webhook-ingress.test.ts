import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { request as httpRequest } from "node:http"
import { bookingEnvelope, sign } from "../../bench/lib/webhooks.js"
import { IngressServer, makeWebhookIngress } from "../../src/app/http/webhook-ingress.js"
import { PlatformConfigCreate } from "../../src/app/services/platform-configs.js"
import { PlatformConfigs } from "../../src/app/services/platform-configs.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { makeTestApp } from "../support/app.js"
import { listening, loopbackUrl } from "../support/listening.js"
import { ServiceUrl, TestHttpLive } from "../support/service.js"

interface Sent {
  readonly status: number
  readonly body: string
  readonly requestId: string | undefined
}

/** One raw HTTP call: `chunked` sends the body without a length, in two pieces. */
const send = (
  base: string,
  options: { method?: string; path: string; body?: string; headers?: Record<string, string>; chunked?: boolean }
) =>
  Effect.async<Sent>((resume) => {
    const body = options.body ?? ""
    const headers = options.chunked
      ? options.headers ?? {}
      : { ...options.headers, "content-length": String(Buffer.byteLength(body)) }
    const req = httpRequest(`${base}${options.path}`, { method: options.method ?? "POST", headers }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => (text += chunk))
      res.on("end", () =>
        resume(
          Effect.succeed({
            status: res.statusCode ?? 0,
            body: text,
            requestId: res.headers["x-request-id"] as string | undefined
          })
        ))
    })
    req.on("error", (error) => resume(Effect.die(error)))
    if (options.chunked) {
      req.write(body.slice(0, 10))
      req.end(body.slice(10))
    } else req.end(body)
  })

/** A connected Zenchef restaurant and signed deliveries for it. */
const zenchefRestaurant = Effect.gen(function*() {
  const restaurantUid = randomBytes(4).toString("hex")
  const secret = `whsec_${randomBytes(24).toString("base64")}`
  yield* (yield* PlatformConfigs).create(
    Schema.decodeUnknownSync(PlatformConfigCreate)({
      restaurantId: `resto-${restaurantUid}`,
      platform: "zenchef",
      credentials: { apiKey: "key", restaurantUid, timezone: "Europe/Paris", baseUrl: "http://127.0.0.1:9" },
      webhookSecret: secret,
      isActive: true
    })
  )
  const delivery = (n: number) => {
    const body = bookingEnvelope({
      restaurantUid,
      uid: `booking-${restaurantUid}-${n}`,
      eventId: `evt-${restaurantUid}-${n}`,
      event: "booking.created",
      guest: n,
      tables: 1,
      revision: 0
    })
    return { body, headers: sign(secret, `msg_${restaurantUid}_${n}`, body) }
  }
  return { delivery }
})

/** Jobs waiting in the queue (no worker runs here): each stored event is one. */
const pendingJobs = Effect.flatMap(SyncJobQueue, (queue) => Effect.map(queue.counts(), (counts) => counts.pending))

describe("webhook ingress: deliveries answered below the HttpApi router", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.scoped("takes POSTs to a known platform's webhook route with a length within the limit, and leaves every other request to the framework", () =>
      Effect.gen(function*() {
        const server = new IngressServer(yield* makeWebhookIngress(10_000))
        server.on("request", (_req, res) => res.writeHead(299).end("framework"))
        const base = loopbackUrl(yield* listening(server))

        const ingress = yield* send(base, {
          path: "/api/webhooks/zenchef",
          body: "{}",
          headers: { "content-type": "application/json" }
        })
        assert.strictEqual(ingress.status, 400)
        assert.deepStrictEqual(JSON.parse(ingress.body), {
          _tag: "ValidationError",
          message: "body carries no restaurantUid",
          issues: []
        })
        assert.strictEqual((yield* send(base, { path: "/api/webhooks/zenchef?token=abc", body: "{}" })).status, 400)
        // A chunked delivery is read first, then taken as if its length had been announced.
        assert.strictEqual(
          (yield* send(base, { path: "/api/webhooks/zenchef", body: "{}", chunked: true })).status,
          400
        )

        const left = [
          yield* send(base, { path: "/api/reservations", body: "{}", chunked: true }),
          yield* send(base, { path: "/api/webhooks/nowhere", body: "{}" }),
          yield* send(base, { method: "GET", path: "/api/webhooks/zenchef" }),
          yield* send(base, { method: "PUT", path: "/api/webhooks/zenchef", body: "{}" }),
          yield* send(base, { path: "/api/webhooks/zenchef/extra", body: "{}" }),
          yield* send(base, {
            path: "/api/webhooks/zenchef",
            body: "--b--",
            headers: { "content-type": "multipart/form-data; boundary=b" }
          }),
          yield* send(base, { path: "/api/reservations", body: "{}" })
        ]
        for (const sent of left) assert.deepStrictEqual([sent.status, sent.body], [299, "framework"])
        // Issue 18: a body announced over the limit is answered 413 here, whatever the route.
        for (const path of ["/api/webhooks/zenchef", "/api/reservations"]) {
          assert.strictEqual((yield* send(base, { path, body: "x".repeat(10_001) })).status, 413)
          assert.strictEqual((yield* send(base, { path, body: "x".repeat(10_001), chunked: true })).status, 413)
        }
      }))

    it.scoped("stores a signed delivery once, answers as the API declares, and echoes the request id", () =>
      Effect.gen(function*() {
        const base = loopbackUrl(yield* listening(new IngressServer(yield* makeWebhookIngress(1_000_000))))
        const { delivery } = yield* zenchefRestaurant
        const before = yield* pendingJobs
        const first = delivery(1)

        const accepted = yield* send(base, {
          path: "/api/webhooks/zenchef",
          body: first.body,
          headers: { ...first.headers, "x-request-id": "req-42" }
        })
        assert.strictEqual(accepted.status, 200)
        assert.deepStrictEqual(JSON.parse(accepted.body), { received: 1, duplicates: 0 })
        assert.strictEqual(accepted.requestId, "req-42")
        const again = yield* send(base, { path: "/api/webhooks/zenchef", body: first.body, headers: first.headers })
        assert.deepStrictEqual(JSON.parse(again.body), { received: 1, duplicates: 1 })
        assert.match(again.requestId ?? "", /^[0-9a-f-]{36}$/)
        assert.strictEqual((yield* pendingJobs) - before, 1)

        const forged = { ...delivery(2).headers, "webhook-signature": "v1,AAAA" }
        const rejected = yield* send(base, { path: "/api/webhooks/zenchef", body: delivery(2).body, headers: forged })
        assert.strictEqual(rejected.status, 401)
        assert.strictEqual(JSON.parse(rejected.body)._tag, "Unauthorized")
        assert.notInclude(rejected.body, "whsec_")
        assert.strictEqual((yield* pendingJobs) - before, 1)
      }))
  })

  layer(TestHttpLive.pipe(Layer.provideMerge(makeTestApp())), { excludeTestServices: true })((it) => {
    it.scoped("a delivery without a length goes through the API route and is stored the same way", () =>
      Effect.gen(function*() {
        const base = yield* ServiceUrl
        const { delivery } = yield* zenchefRestaurant
        const before = yield* pendingJobs
        const first = delivery(1)
        const chunked = yield* send(base, {
          path: "/api/webhooks/zenchef",
          body: first.body,
          headers: first.headers,
          chunked: true
        })
        assert.strictEqual(chunked.status, 200)
        assert.deepStrictEqual(JSON.parse(chunked.body), { received: 1, duplicates: 0 })
        const withLength = yield* send(base, {
          path: "/api/webhooks/zenchef",
          body: first.body,
          headers: first.headers
        })
        assert.deepStrictEqual(JSON.parse(withLength.body), { received: 1, duplicates: 1 })
        assert.strictEqual((yield* pendingJobs) - before, 1)
      }))
  })
})
