import { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { ConnectorRegistryLive } from "../../../../src/adapters/platforms/registry.js"
import { boundedText } from "../../../../src/adapters/platforms/shared/bounded-body.js"
import { EgressHttpClientLive } from "../../../../src/adapters/platforms/shared/egress-client.js"
import { ConnectorRegistry } from "../../../../src/ports/connector-registry.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import { connectorConfig } from "./connector-config.js"

const kib = 1024
const cap = 64 * kib

/** What a platform host sends: declared lengths or chunks, small or past the cap. */
const answer = (req: IncomingMessage, res: ServerResponse, closed: Array<string>) => {
  const path = (req.url ?? "").split("?")[0] ?? ""
  // "é" is two bytes: the first chunk ends between them.
  if (path === "/small-chunked") {
    res.writeHead(200, { "content-type": "application/json" })
    res.write(Buffer.from("{\"name\":\"caf\xc3", "latin1"))
    return res.end(Buffer.from("\xa9\"}", "latin1"))
  }
  if (path === "/small-declared") return res.writeHead(200, { "content-length": "2" }).end("{}")
  // Past the cap: 64 chunks of 64 KB, one every 10 ms, so that a client reading on is seen to.
  const chunks = 64
  const declared = path === "/big-declared" || path === "/oauth/token"
  res.writeHead(200, {
    "content-type": "application/json",
    ...(declared ? { "content-length": String(chunks * 64 * kib) } : {})
  })
  let written = 0
  const timer = setInterval(() => {
    res.write(Buffer.alloc(64 * kib, "a"))
    if (++written === chunks) {
      clearInterval(timer)
      res.end()
    }
  }, 10)
  res.on("close", () => {
    clearInterval(timer)
    if (written < chunks) closed.push(path)
  })
}

const platformHost = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly closed: Array<string>; readonly close: () => void }>((resume) => {
    const closed: Array<string> = []
    const server = createServer((req, res) => answer(req, res, closed))
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        closed,
        close: () => server.closeAllConnections()
      })))
  }),
  ({ close }) => Effect.sync(close)
)

const read = (url: string) =>
  Effect.flatMap(HttpClient.get(url), (response) => boundedText(response, cap)).pipe(Effect.scoped)

describe("platform responses past the size cap", () => {
  it.scopedLive("a body within the cap is read whole, a character split between chunks included", () =>
    Effect.gen(function*() {
      const host = yield* platformHost
      assert.deepStrictEqual(yield* read(`${host.url}/small-chunked`), Option.some("{\"name\":\"café\"}"))
      assert.deepStrictEqual(yield* read(`${host.url}/small-declared`), Option.some("{}"))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a declared or a chunked body past the cap is refused, its connection closed before the end", () =>
    Effect.gen(function*() {
      const host = yield* platformHost
      assert.deepStrictEqual(yield* read(`${host.url}/big-declared`), Option.none())
      assert.deepStrictEqual(yield* read(`${host.url}/big-chunked`), Option.none())
      // The client (still open: its layer outlives the reads) hung up while the host was sending.
      yield* Effect.sleep("100 millis")
      assert.deepStrictEqual([...host.closed].sort(), ["/big-chunked", "/big-declared"])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a connector fails the call as permanent, naming the cap; a token endpoint too", () =>
    Effect.gen(function*() {
      const host = yield* platformHost
      const registry = yield* ConnectorRegistry
      const config = (platform: ConnectorConfig["platform"], credentials: Record<string, unknown>) =>
        connectorConfig(platform, credentials, "resto-big")
      const zenchef = yield* registry.connectorFor(
        config("zenchef", { apiKey: "k", restaurantUid: "a1b2c3d4", baseUrl: `${host.url}/big-chunked` })
      )
      const polled = yield* Effect.flip(zenchef.polling!.recentChanges(5))
      assert.strictEqual(polled._tag, "PlatformPermanentError")
      assert.match(polled.message, /^zenchef GET \/.*: response larger than 65536 bytes, not read$/)
      const thefork = yield* registry.connectorFor(config("thefork", {
        clientId: "c",
        clientSecret: "s",
        restaurantUuid: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
        baseUrl: host.url,
        authUrl: `${host.url}/oauth/token`
      }))
      const token = yield* Effect.flip(thefork.authenticate())
      assert.strictEqual(token._tag, "PlatformPermanentError")
      assert.strictEqual(token.message, "thefork token request: response larger than 65536 bytes, not read")
    }).pipe(
      Effect.provide(
        ConnectorRegistryLive({
          egress: { allowedHosts: ["127.0.0.1"] },
          http: { transientRetries: 0, maxResponseBytes: cap }
        }).pipe(Layer.provide(EgressHttpClientLive({ allowedHosts: ["127.0.0.1"] })))
      )
    ))
})
