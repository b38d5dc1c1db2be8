import { Cause, FiberId, FiberRefs, HashMap, List, LogLevel } from "effect"
import { assert, describe, it } from "vitest"
import { toJsonLine } from "../../../src/app/observability/logger.js"

const lineOf = (message: unknown, annotations: Record<string, unknown>) =>
  JSON.parse(toJsonLine({
    fiberId: FiberId.none,
    logLevel: LogLevel.Info,
    message,
    cause: Cause.empty,
    context: FiberRefs.empty(),
    spans: List.empty(),
    annotations: HashMap.fromIterable(Object.entries(annotations)),
    date: new Date("2030-06-07T19:30:00.000Z")
  })) as Record<string, unknown>

// A line of plain values takes a faster way to its text: what it hides must stay hidden.
describe("a JSON log line hides secrets whichever way it is serialized", () => {
  it("keeps a plain line's values and fields", () => {
    const line = lineOf("http request", { method: "PATCH", status: 200, durationMs: 11, ok: true })
    assert.deepInclude(line, { message: "http request", method: "PATCH", status: 200, durationMs: 11, ok: true })
    assert.strictEqual(line["level"], "INFO")
    assert.strictEqual(line["timestamp"], "2030-06-07T19:30:00.000Z")
  })

  it("redacts a plain string under a sensitive key, and an object's", () => {
    const plain = lineOf("config", { apiKey: "sk-live-1", status: 200 })
    assert.strictEqual(plain["apiKey"], "<redacted>")
    const nested = lineOf("config", { credentials: { token: "t-1", uid: "r1" }, settings: { password: "p" } })
    assert.strictEqual(nested["credentials"], "<redacted>")
    assert.deepStrictEqual(nested["settings"], { password: "<redacted>" })
  })

  it("scrubs query tokens and URL passwords from free text, and leaves other text alone", () => {
    const line = lineOf("calling https://bot:hunter2@platform.test/a?token=abc&x=1", { url: "/api/webhooks/z?sig=s3" })
    assert.strictEqual(line["message"], "calling https://bot:<redacted>@platform.test/a?token=<redacted>&x=1")
    assert.strictEqual(line["url"], "/api/webhooks/z?sig=<redacted>")
    assert.strictEqual(lineOf("a = b, see http://host/path", {})["message"], "a = b, see http://host/path")
  })
})
