import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { staticKeyAuth } from "../../../../src/adapters/platforms/shared/auth.js"
import { ConnectorHttpPolicy } from "../../../../src/adapters/platforms/shared/http-policy.js"
import { makePlatformHttp } from "../../../../src/adapters/platforms/shared/platform-http.js"
import { PlatformRateLimiterLive } from "../../../../src/adapters/platforms/shared/rate-limiter.js"
import { listening, loopbackUrl } from "../../../support/listening.js"

/** A platform host that answers at once, or stalls before its headers or in the middle of its body. */
const answer = (req: IncomingMessage, res: ServerResponse, closed: Array<string>) => {
  const path = req.url ?? ""
  res.on("close", () => {
    if (!res.writableFinished) closed.push(path)
  })
  if (path === "/fast") return res.writeHead(200, { "content-type": "application/json" }).end("{\"ok\":true}")
  if (path === "/stall-headers") return
  if (path === "/stall-body-declared") {
    res.writeHead(200, { "content-type": "application/json", "content-length": "100" })
    return res.write("{\"ok\":")
  }
  res.writeHead(200, { "content-type": "application/json" })
  res.write("{\"ok\":")
}

const platformHost = Effect.gen(function*() {
  const closed: Array<string> = []
  const port = yield* listening(createServer((req, res) => answer(req, res, closed)))
  return { url: loopbackUrl(port), closed }
})

const policy = Layer.succeed(ConnectorHttpPolicy, {
  timeout: "300 millis",
  transientRetries: 0,
  retryBaseDelay: "10 millis",
  maxRateLimitWaits: 0,
  maxRetryAfter: "1 second",
  maxResponseBytes: 1024 * 1024
})

const environment = Layer.mergeAll(
  NodeHttpClient.layerUndici,
  PlatformRateLimiterLive({ limit: 1000, window: "1 second" }),
  policy
)

describe("a platform call's deadline", () => {
  it.scopedLive("a host silent before its headers, or in the middle of its body, is a timeout when it falls due", () =>
    Effect.gen(function*() {
      const host = yield* platformHost
      const http = yield* makePlatformHttp({
        platform: "zenchef",
        baseUrl: host.url,
        auth: staticKeyAuth("ApiKey", "key"),
        rateLimitBy: "key"
      })
      const get = (path: string) => http.send({ method: "GET", path, idempotent: true })
      assert.strictEqual(yield* get("/fast"), "{\"ok\":true}")
      for (const path of ["/stall-headers", "/stall-body-declared", "/stall-body-chunked"]) {
        const started = yield* Clock.currentTimeMillis
        const error = yield* Effect.flip(get(path))
        const waited = (yield* Clock.currentTimeMillis) - started
        assert.deepInclude(error, {
          _tag: "PlatformRetryableError",
          reason: "timeout",
          message: `zenchef GET ${path}: no answer within 300ms`
        }, path)
        assert.isAtLeast(waited, 290, path)
        assert.isBelow(waited, 2_000, path)
      }
      // Each stalled exchange was aborted: the client hung up on the host, nothing left open.
      yield* Effect.sleep("100 millis")
      assert.deepStrictEqual([...host.closed].sort(), ["/stall-body-chunked", "/stall-body-declared", "/stall-headers"])
      // An answer within the deadline is not cut short by a timer left behind.
      yield* Effect.sleep("400 millis")
      assert.strictEqual(yield* get("/fast"), "{\"ok\":true}")
    }).pipe(Effect.provide(environment)))
})
