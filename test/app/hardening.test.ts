import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { createHmac, randomBytes } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { bookingEnvelope, sign } from "../../bench/lib/webhooks.js"
import { verifyStandardWebhook } from "../../src/adapters/platforms/shared/standard-webhooks.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../src/ports/sync-log-repository.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { request } from "../support/service.js"

// Issue 18 through the HTTP API. Loopback only: the capture server on 127.0.0.2 stands for an
// internal host, left out of the tests' allowlist (127.0.0.1, localhost).

const captureServer = Effect.acquireRelease(
  Effect.async<{ readonly server: Server; readonly port: number; readonly received: Array<string> }>((resume) => {
    const received: Array<string> = []
    const server = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`)
      res.writeHead(500).end()
    })
    server.listen(
      0,
      "127.0.0.2",
      () => resume(Effect.succeed({ server, port: (server.address() as AddressInfo).port, received }))
    )
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

const whsec = (bytes: number) => `whsec_${randomBytes(bytes).toString("base64")}`

/** A Zenchef config on an unreachable loopback port: deliveries are stored, nothing is pushed. */
const zenchefConfig = (restaurantUid: string, webhookSecret: string) => ({
  restaurantId: `resto-${restaurantUid}`,
  platform: "zenchef",
  credentials: { apiKey: "key", restaurantUid, timezone: "Europe/Paris", baseUrl: "http://127.0.0.1:9" },
  webhookSecret
})

const delivery = (restaurantUid: string, secret: string, webhookId: string) => {
  const body = bookingEnvelope({
    restaurantUid,
    uid: `b-${randomBytes(4).toString("hex")}`,
    eventId: webhookId,
    event: "booking.created",
    guest: 1,
    tables: 1,
    revision: 0
  })
  return { body, headers: sign(secret, webhookId, body) }
}

const deliver = (d: { readonly body: string; readonly headers: Record<string, string> }) =>
  request("POST", "/api/webhooks/zenchef", undefined, { rawBody: d.body, headers: d.headers })

describe("Standard Webhooks secrets", () => {
  it.effect("an empty-key forgery and a 7-byte key are refused", () =>
    Effect.gen(function*() {
      const body = "{}"
      const forgedWith = (key: Buffer) => {
        const signature = createHmac("sha256", key).update(`msg_1.${Math.floor(Date.now() / 1000)}.${body}`).digest(
          "base64"
        )
        return {
          headers: {
            "webhook-id": "msg_1",
            "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
            "webhook-signature": `v1,${signature}`
          },
          query: {},
          rawBody: body
        }
      }
      // 32 `*` decode (leniently) to an empty key: no longer a secret at all.
      const empty = yield* Effect.flip(
        verifyStandardWebhook(forgedWith(Buffer.alloc(0)), Redacted.make(`whsec_${"*".repeat(32)}`), new Date())
      )
      assert.strictEqual(empty.reason, "unauthenticated")
      const sevenBytes = Buffer.from("1234567")
      const short = yield* Effect.flip(
        verifyStandardWebhook(
          forgedWith(sevenBytes),
          Redacted.make(`whsec_${sevenBytes.toString("base64")}`),
          new Date()
        )
      )
      assert.strictEqual(short.reason, "unauthenticated")
    }))
})

layer(TestServiceLive, { excludeTestServices: true })("issue 18 through the API", (it) => {
  it.scoped("a config naming a refused host is a 400 naming the field; the capture server receives nothing", () =>
    Effect.gen(function*() {
      const capture = yield* captureServer
      const at = `http://127.0.0.2:${capture.port}`
      const refused = [
        { platform: "zenchef", field: "baseUrl", credentials: { apiKey: "k", restaurantUid: "a1b2c3d4", baseUrl: at } },
        {
          platform: "thefork",
          field: "authUrl",
          credentials: {
            clientId: "c",
            clientSecret: "s",
            restaurantUuid: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
            authUrl: `${at}/oauth/token`
          }
        },
        {
          platform: "ubereats",
          field: "tokenUrl",
          credentials: { clientId: "c", clientSecret: "s", storeId: "store-1", tokenUrl: `${at}/token` }
        },
        {
          platform: "zenchef",
          field: "baseUrl",
          credentials: { apiKey: "k", restaurantUid: "a1b2c3d5", baseUrl: "http://169.254.169.254/latest" }
        }
      ]
      for (const { credentials, field, platform } of refused) {
        const response = yield* request("POST", "/api/platform-configs", {
          restaurantId: `resto-${randomBytes(4).toString("hex")}`,
          platform,
          credentials
        })
        assert.strictEqual(response.status, 400, `${platform} ${field}: ${response.text}`)
        assert.include(response.text, `credentials.${field}`)
        assert.notInclude(response.text, "127.0.0.2")
      }
      assert.deepStrictEqual(capture.received, [])
    }))

  it.effect("webhook secrets: a 7-byte key and a URL token under 32 characters are refused with 400 naming the field", () =>
    Effect.gen(function*() {
      const uid = randomBytes(4).toString("hex")
      const weak = yield* request("POST", "/api/platform-configs", zenchefConfig(uid, whsec(7)))
      assert.strictEqual(weak.status, 400)
      assert.include(weak.text, "webhookSecret")
      const empty = yield* request("POST", "/api/platform-configs", zenchefConfig(uid, `whsec_${"*".repeat(32)}`))
      assert.strictEqual(empty.status, 400)
      const shortToken = yield* request("POST", "/api/platform-configs", {
        ...zenchefConfig(uid, "short-url-token-0123"),
        credentials: { ...zenchefConfig(uid, "").credentials, webhookSigning: "url-token" }
      })
      assert.strictEqual(shortToken.status, 400)
      assert.include(shortToken.text, "webhookSecret")
    }))

  it.effect("a rotated secret accepts both signatures during the overlap, only the new one after", () =>
    Effect.gen(function*() {
      const uid = randomBytes(4).toString("hex")
      const first = whsec(32)
      const created = yield* request("POST", "/api/platform-configs", zenchefConfig(uid, first))
      assert.strictEqual(created.status, 201, created.text)
      const id = (created.body as { id: string }).id
      const rotated = yield* request("POST", `/api/platform-configs/${id}/webhook-secret`, { overlapSeconds: 2 })
      assert.strictEqual(rotated.status, 200, rotated.text)
      const second = (rotated.body as { webhookSecret: string }).webhookSecret
      assert.match(second, /^whsec_/)
      assert.notStrictEqual(second, first)
      assert.strictEqual((yield* deliver(delivery(uid, first, `msg_${uid}_old`))).status, 200)
      assert.strictEqual((yield* deliver(delivery(uid, second, `msg_${uid}_new`))).status, 200)
      assert.notInclude((yield* request("GET", `/api/platform-configs/${id}`)).text, second, "shown once")
      yield* Effect.sleep("3200 millis")
      assert.strictEqual((yield* deliver(delivery(uid, first, `msg_${uid}_old_late`))).status, 401)
      assert.strictEqual((yield* deliver(delivery(uid, second, `msg_${uid}_new_late`))).status, 200)
    }))

  it.effect("two restaurants sending the same webhook-id both get their event stored and applied", () =>
    Effect.gen(function*() {
      const [h, b] = [randomBytes(4).toString("hex"), randomBytes(4).toString("hex")]
      const [secretH, secretB] = [whsec(32), whsec(32)]
      assert.strictEqual((yield* request("POST", "/api/platform-configs", zenchefConfig(h, secretH))).status, 201)
      assert.strictEqual((yield* request("POST", "/api/platform-configs", zenchefConfig(b, secretB))).status, 201)
      const queue = yield* SyncJobQueue
      const before = (yield* queue.counts()).pending
      const fromH = yield* deliver(delivery(h, secretH, "msg_shared"))
      const fromB = yield* deliver(delivery(b, secretB, "msg_shared"))
      assert.deepStrictEqual([fromH.body, fromB.body], [{ received: 1, duplicates: 0 }, { received: 1, duplicates: 0 }])
      assert.strictEqual((yield* queue.counts()).pending - before, 2)
      yield* drainAll
      for (const uid of [h, b]) {
        const stored = (yield* request("GET", `/api/reservations?restaurantId=resto-${uid}`)).body as {
          readonly items: ReadonlyArray<{ readonly source: string }>
        }
        assert.deepStrictEqual(stored.items.map((r) => r.source), ["zenchef"], `resto-${uid}`)
      }
    }))

  it.effect("500 forged deliveries add at most a handful of log rows, none counted as a failed attempt", () =>
    Effect.gen(function*() {
      const uid = randomBytes(4).toString("hex")
      const secret = whsec(32)
      assert.strictEqual((yield* request("POST", "/api/platform-configs", zenchefConfig(uid, secret))).status, 201)
      const statuses = yield* Effect.forEach(
        Array.from({ length: 500 }, (_, i) => i),
        (i) => Effect.map(deliver(delivery(uid, whsec(32), `msg_forged_${i}`)), (r) => r.status),
        { concurrency: 20 }
      )
      assert.isTrue(statuses.every((s) => s === 401))
      const logs = yield* (yield* SyncLogRepository).list({
        restaurantId: `resto-${uid}` as never,
        limit: 100,
        offset: 0
      })
      assert.isAtMost(logs.total, 3, "one summary line per restaurant and minute")
      assert.isTrue(logs.items.every((l) => l.status === "skipped"))
    }))
})
