import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { ConnectorRegistryLive } from "../../../../src/adapters/platforms/registry.js"
import { EgressHttpClientLive } from "../../../../src/adapters/platforms/shared/egress-client.js"
import {
  type EgressResolve,
  isAllowedAddress,
  refusedUrls,
  urlRefusal
} from "../../../../src/adapters/platforms/shared/egress.js"
import { ConnectorRegistry } from "../../../../src/ports/connector-registry.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import { connectorConfig } from "./connector-config.js"

// Issue 18. Loopback only: 127.0.0.2 stands for an internal host, left out of the allowlist; no
// test sends anything to a non-loopback address.

/** A server on 127.0.0.2 that counts whatever reaches it. */
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

const policy = { allowedHosts: ["127.0.0.1", "localhost", "capture.test"] }
/** The test's DNS: `capture.test` is allowed by name, and resolves to the internal 127.0.0.2. */
const resolve: EgressResolve = (hostname, callback) =>
  hostname === "capture.test"
    ? callback(null, [{ address: "127.0.0.2", family: 4 }])
    : callback(new Error(`no such host ${hostname}`), [])

describe("egress policy: URLs", () => {
  it("production origins over https and allowed hosts pass; anything else is refused, naming why", () => {
    const production = "https://api.formitable.com/api/v1.2"
    assert.isUndefined(urlRefusal(policy, production, production))
    assert.isUndefined(urlRefusal(policy, "http://127.0.0.1:4000/api", production))
    assert.isUndefined(urlRefusal({ allowedHosts: ["::1"] }, "http://[::1]:4000", production))
    assert.include(urlRefusal(policy, "http://127.0.0.2:4000", production), "PLATFORM_URL_ALLOWLIST")
    assert.include(urlRefusal(policy, "http://api.formitable.com/api/v1.2", production), "plain http")
    assert.include(urlRefusal(policy, "https://169.254.169.254/latest/meta-data", production), "PLATFORM_URL_ALLOWLIST")
    assert.include(urlRefusal(policy, "https://user:pw@api.formitable.com/", production), "user name")
    assert.isDefined(urlRefusal({ allowedHosts: [] }, "http://127.0.0.1:4000", production))
    assert.deepStrictEqual(
      refusedUrls(policy, { baseUrl: "https://a.example", tokenUrl: "https://b.example/token" }, {
        tokenUrl: "http://10.0.0.1/token"
      }).map((r) => r.field),
      ["tokenUrl"]
    )
  })

  it("internal addresses are refused unless named; an allowed name does not allow its internal address", () => {
    for (
      const internal of [
        "127.0.0.2",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.2",
        "::ffff:a00:1"
      ]
    ) {
      assert.isFalse(isAllowedAddress(policy, internal), internal)
    }
    assert.isTrue(isAllowedAddress(policy, "127.0.0.1"))
    assert.isTrue(isAllowedAddress(policy, "::1"), "localhost allows ::1")
    assert.isFalse(isAllowedAddress({ allowedHosts: ["127.0.0.1"] }, "::1"))
    assert.isTrue(isAllowedAddress(policy, "93.184.216.34"))
    assert.isFalse(isAllowedAddress({ allowedHosts: [] }, "127.0.0.1"))
  })
})

describe("egress policy: connections", () => {
  const client = EgressHttpClientLive(policy, resolve)

  it.scoped("a name allowed for the test but resolving to 127.0.0.2 is refused at connection; so is the address itself", () =>
    Effect.gen(function*() {
      const capture = yield* captureServer
      const http = yield* HttpClient.HttpClient
      for (const url of [`http://capture.test:${capture.port}/poll`, `http://127.0.0.2:${capture.port}/poll`]) {
        const error = yield* Effect.flip(http.execute(HttpClientRequest.get(url)))
        assert.strictEqual(error._tag, "RequestError", url)
        assert.include(String((error.cause as Error).message), "egress policy", url)
      }
      assert.deepStrictEqual(capture.received, [])
    }).pipe(Effect.provide(client)))

  it.scoped("connectors send no poll, token request or push to it: the capture server receives nothing", () =>
    Effect.gen(function*() {
      const capture = yield* captureServer
      const at = `http://capture.test:${capture.port}`
      const registry = yield* ConnectorRegistry
      const config = (platform: ConnectorConfig["platform"], credentials: Record<string, unknown>) =>
        connectorConfig(platform, credentials, "resto-egress")
      const zenchef = yield* registry.connectorFor(
        config("zenchef", { apiKey: "secret-api-key", restaurantUid: "a1b2c3d4", baseUrl: at })
      )
      const polled = yield* Effect.flip(zenchef.polling!.recentChanges(5))
      assert.include(polled.message, "egress policy")
      const thefork = yield* registry.connectorFor(config("thefork", {
        clientId: "c",
        clientSecret: "client-secret-never-sent",
        restaurantUuid: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
        baseUrl: at,
        authUrl: `${at}/oauth/token`
      }))
      const token = yield* Effect.flip(thefork.authenticate())
      assert.include(token.message, "egress policy")
      assert.notInclude(token.message, "HTTP")
      const pushed = yield* Effect.flip(zenchef.reservations!.cancel("booking-1"))
      assert.include(pushed.message, "egress policy")
      // A config naming the internal address directly gets no connector at all.
      const direct = yield* Effect.flip(
        registry.connectorFor(
          config("zenchef", { apiKey: "k", restaurantUid: "a1b2c3d4", baseUrl: `http://127.0.0.2:${capture.port}` })
        )
      )
      assert.include(direct.message, "baseUrl")
      assert.deepStrictEqual(capture.received, [])
    }).pipe(
      Effect.provide(
        ConnectorRegistryLive({ egress: policy, http: { transientRetries: 0 } }).pipe(Layer.provide(client))
      )
    ))
})
