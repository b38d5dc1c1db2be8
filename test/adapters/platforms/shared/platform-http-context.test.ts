import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { createServer } from "node:http"
import { inOwnContext } from "../../../../src/adapters/own-context.js"
import { staticKeyAuth } from "../../../../src/adapters/platforms/shared/auth.js"
import { ConnectorHttpPolicy } from "../../../../src/adapters/platforms/shared/http-policy.js"
import { arrayOf, jsonText, jsonTextDecoder } from "../../../../src/adapters/platforms/shared/json-body.js"
import { makePlatformHttp } from "../../../../src/adapters/platforms/shared/platform-http.js"
import { PlatformRateLimiterLive } from "../../../../src/adapters/platforms/shared/rate-limiter.js"
import { ZenchefBooking } from "../../../../src/adapters/platforms/zenchef/types.js"
import { publishedExample } from "../../../fixtures/published.js"
import { listening, loopbackUrl } from "../../../support/listening.js"

class CallerService extends Context.Tag("CallerService")<CallerService, string>() {}

describe("a platform call's context", () => {
  it.effect("holds the caller's span and none of the caller's services", () =>
    Effect.gen(function*() {
      const outer = yield* Effect.currentSpan
      const inner = yield* inOwnContext()(Effect.all([Effect.currentParentSpan, Effect.serviceOption(CallerService)]))
      assert.strictEqual(inner[0], outer)
      assert.isTrue(Option.isNone(inner[1]))
      // Without a span around it, there is none inside either.
      const none = yield* inOwnContext()(Effect.option(Effect.currentParentSpan)).pipe(
        Effect.mapInputContext((_: Context.Context<never>) => Context.empty())
      )
      assert.isTrue(Option.isNone(none))
    }).pipe(Effect.withSpan("caller"), Effect.provideService(CallerService, "the caller's")))

  it.scopedLive("a request the tracer follows carries the caller's trace to the platform", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const port = yield* listening(createServer((req, res) => {
        seen.push(String(req.headers["traceparent"]))
        res.writeHead(200, { "content-type": "application/json" }).end("{\"ok\":true}")
      }))
      const http = yield* makePlatformHttp({
        platform: "zenchef",
        baseUrl: loopbackUrl(port),
        auth: staticKeyAuth("ApiKey", "key"),
        rateLimitBy: "key"
      })
      const caller = yield* Effect.makeSpanScoped("sync attempt")
      yield* http.send({ method: "GET", path: "/fast", idempotent: true }).pipe(Effect.withParentSpan(caller))
      assert.strictEqual(seen.length, 1)
      assert.strictEqual(seen[0]!.split("-")[1], caller.traceId)
      assert.notInclude(seen[0]!, caller.spanId, "the platform sees the call's own span, a child of the caller's")
    }).pipe(Effect.provide(Layer.mergeAll(
      NodeHttpClient.layerUndici,
      PlatformRateLimiterLive({ limit: 1000, window: "1 second" }),
      Layer.succeed(ConnectorHttpPolicy, {
        timeout: "2 seconds",
        transientRetries: 0,
        retryBaseDelay: "10 millis",
        maxRateLimitWaits: 0,
        maxRetryAfter: "1 second",
        maxResponseBytes: 1024 * 1024
      })
    ))))
})

describe("jsonTextDecoder", () => {
  const booking = JSON.stringify(publishedExample("zenchef/booking.json"))
  const texts = {
    valid: booking,
    "a field of the wrong type": booking.replace(/"numberOfPeople":\s*\d+/, "\"numberOfPeople\":\"four\""),
    "not JSON": "{\"uid\":",
    "null": "null",
    "an array": "[]"
  }
  for (const [name, text] of Object.entries(texts)) {
    it.effect(`decodes ${name} as Schema.parseJson does, to the same value or the same error`, () =>
      Effect.gen(function*() {
        const expected = yield* Effect.exit(Schema.decodeUnknown(jsonText(ZenchefBooking))(text))
        const actual = yield* Effect.exit(jsonTextDecoder(ZenchefBooking)(text))
        assert.deepStrictEqual(actual, expected)
        assert.strictEqual(JSON.stringify(actual), JSON.stringify(expected))
      }))
  }
  it("a list of bookings has one schema and one decoder however often it is asked for", () => {
    // Schema.Array made on each call compiled the list's decoders on each call (a create's look-up).
    assert.strictEqual(arrayOf(ZenchefBooking), arrayOf(ZenchefBooking))
    assert.strictEqual(jsonTextDecoder(arrayOf(ZenchefBooking)), jsonTextDecoder(arrayOf(ZenchefBooking)))
    assert.notStrictEqual(jsonTextDecoder(Schema.Array(ZenchefBooking)), jsonTextDecoder(Schema.Array(ZenchefBooking)))
  })

  it("the changed answer differs from the valid one", () => {
    assert.notStrictEqual(texts["a field of the wrong type"], booking)
  })
})
