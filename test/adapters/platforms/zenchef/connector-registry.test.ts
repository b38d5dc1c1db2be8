import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer, Option, Ref, Schema } from "effect"
import { ConnectorRegistryLive } from "../../../../src/adapters/platforms/registry.js"
import { zenchef } from "../../../../src/adapters/platforms/zenchef/index.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import { ConnectorRegistry } from "../../../../src/ports/connector-registry.js"
import type { PlatformModule } from "../../../../src/ports/platform-module.js"
import { zenchefConfig } from "../conformance/zenchef-harness.js"

const config = zenchefConfig("http://127.0.0.1:9/api/v1.2", "whsec_AAAA")
const withHttp = Layer.provide(NodeHttpClient.layerUndici)
// The test configs name a loopback host, as PLATFORM_URL_ALLOWLIST allows for tests (issue 18).
const loopback = { allowedHosts: ["127.0.0.1", "localhost"] }

const builds = Ref.unsafeMake(0)
// A pause inside the build lets concurrent callers overlap, as a slow build would.
const countingModule: PlatformModule = {
  ...zenchef,
  makeConnector: (c) =>
    Ref.update(builds, (n) => n + 1).pipe(
      Effect.zipRight(Effect.sleep("5 millis")),
      Effect.zipRight(zenchef.makeConnector(c))
    )
}

describe("connector registry", () => {
  layer(ConnectorRegistryLive({ modules: { zenchef }, egress: loopback }).pipe(withHttp))((it) => {
    it.effect("a platform without a module is unsupported, never a crash", () =>
      Effect.gen(function*() {
        const registry = yield* ConnectorRegistry
        assert.isTrue(Option.isNone(registry.moduleFor("thefork")))
        const e = yield* Effect.flip(registry.connectorFor({ ...config, platform: "thefork" }))
        assert.deepInclude(e, { _tag: "PlatformPermanentError", reason: "unsupported" })
      }))
  })

  layer(ConnectorRegistryLive({ egress: loopback }).pipe(withHttp))((it) => {
    it.effect("knows the Zenchef module", () =>
      Effect.gen(function*() {
        const registry = yield* ConnectorRegistry
        assert.strictEqual(Option.getOrThrow(registry.moduleFor("zenchef")).platform, "zenchef")
      }))

    it.effect("caches the connector per platform and restaurant, and rebuilds it when the config changes", () =>
      Effect.gen(function*() {
        const registry = yield* ConnectorRegistry
        const first = yield* registry.connectorFor(config)
        assert.strictEqual(yield* registry.connectorFor(config), first)
        const changed = yield* registry.connectorFor({ ...config, version: "2" })
        assert.notStrictEqual(changed, first)
        assert.strictEqual(yield* registry.connectorFor({ ...config, version: "2" }), changed)
        const other = yield* registry.connectorFor({ ...config, restaurantId: "resto-other" as RestaurantId })
        assert.notStrictEqual(other, changed)
      }))

    it.effect("refuses bad credentials as permanent, without echoing them", () =>
      Effect.gen(function*() {
        const registry = yield* ConnectorRegistry
        const bad = yield* Effect.flip(registry.connectorFor({
          ...config,
          version: "bad",
          credentials: { apiKey: "super-secret-key", restaurantUid: "not-hex!" }
        }))
        assert.strictEqual(bad._tag, "PlatformPermanentError")
        assert.include(bad.message, "restaurantUid")
        assert.notInclude(bad.message, "super-secret-key")
        const mismatch = yield* Effect.flip(
          registry.connectorFor({ ...config, version: "mismatch", externalRestaurantId: "ffffffff" })
        )
        assert.deepInclude(mismatch, { _tag: "PlatformPermanentError", reason: "validation" })
      }))
  })

  layer(ConnectorRegistryLive({ modules: { zenchef: countingModule }, egress: loopback }).pipe(withHttp), {
    excludeTestServices: true
  })((it) => {
    it.effect("builds a connector once even when many callers ask at the same time", () =>
      Effect.gen(function*() {
        const registry = yield* ConnectorRegistry
        yield* Effect.forEach(Array.from({ length: 20 }), () => registry.connectorFor(config), {
          concurrency: "unbounded"
        })
        assert.strictEqual(yield* Ref.get(builds), 1)
      }))
  })
})

describe("zenchef credentials schema", () => {
  const decode = Schema.decodeUnknownEither(zenchef.credentialsSchema)
  it("fills the defaults and checks each field", () => {
    const ok = decode({ apiKey: "k", restaurantUid: "a1b2c3d4" })
    assert.deepStrictEqual(ok._tag === "Right" ? ok.right : undefined, {
      apiKey: "k",
      restaurantUid: "a1b2c3d4",
      timezone: "Europe/Paris",
      baseUrl: "https://api.formitable.com/api/v1.2",
      webhookSigning: "standard",
      culture: "fr"
    })
    assert.strictEqual(decode({ apiKey: "", restaurantUid: "a1b2c3d4" })._tag, "Left")
    assert.strictEqual(decode({ apiKey: "k", restaurantUid: "a1b2c3d" })._tag, "Left")
    assert.strictEqual(decode({ apiKey: "k", restaurantUid: "a1b2c3d4", timezone: "Mars/Olympus" })._tag, "Left")
    assert.strictEqual(decode({ apiKey: "k", restaurantUid: "a1b2c3d4", webhookSigning: "hmac" })._tag, "Left")
    assert.strictEqual(zenchef.externalRestaurantIdOf?.({ apiKey: "k", restaurantUid: "a1b2c3d4" }), "a1b2c3d4")
  })
})
