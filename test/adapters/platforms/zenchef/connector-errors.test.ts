import { assert, describe, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import { classifyStatus, parseRetryAfter } from "../../../../src/adapters/platforms/shared/http-policy.js"
import { isRetryable } from "../../../../src/ports/connector-errors.js"

describe("connector error classification (R-4.3)", () => {
  it("4xx are permanent, named by their cause", () => {
    const reason = (status: number) => {
      const e = classifyStatus("zenchef", status, "GET /x")
      return [e._tag, e.reason]
    }
    assert.deepStrictEqual(reason(400), ["PlatformPermanentError", "validation"])
    assert.deepStrictEqual(reason(422), ["PlatformPermanentError", "validation"])
    assert.deepStrictEqual(reason(401), ["PlatformPermanentError", "auth"])
    assert.deepStrictEqual(reason(403), ["PlatformPermanentError", "auth"])
    assert.deepStrictEqual(reason(404), ["PlatformPermanentError", "not_found"])
    assert.deepStrictEqual(reason(409), ["PlatformPermanentError", "conflict"])
  })

  it("5xx, 408 and 429 are retryable; 429 keeps its Retry-After", () => {
    assert.deepInclude(classifyStatus("zenchef", 500, "GET /x"), {
      _tag: "PlatformRetryableError",
      reason: "server",
      status: 500
    })
    assert.deepInclude(classifyStatus("zenchef", 503, "GET /x"), { reason: "server" })
    assert.deepInclude(classifyStatus("zenchef", 408, "GET /x"), { reason: "timeout" })
    const limited = classifyStatus("zenchef", 429, "GET /x", Option.some(Duration.seconds(7)))
    assert.isTrue(isRetryable(limited))
    assert.deepInclude(limited, { reason: "rate_limited", retryAfter: Duration.seconds(7) })
    assert.isFalse(isRetryable(classifyStatus("zenchef", 400, "GET /x")))
  })

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-06-01T18:00:00Z")
    assert.deepStrictEqual(parseRetryAfter("120", now), Option.some(Duration.seconds(120)))
    assert.deepStrictEqual(parseRetryAfter("Sun, 01 Jun 2025 18:00:30 GMT", now), Option.some(Duration.millis(30_000)))
    assert.deepStrictEqual(parseRetryAfter("Sun, 01 Jun 2025 17:00:00 GMT", now), Option.some(Duration.millis(0)))
    assert.isTrue(Option.isNone(parseRetryAfter("soon", now)))
    assert.isTrue(Option.isNone(parseRetryAfter(undefined, now)))
  })
})
