import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Fiber, Logger, TestClock } from "effect"
import { afterPass, failingPasses } from "../../../src/app/workers/failing-passes.js"

const capturing = (lines: Array<string>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => {
      lines.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
    })
  )

const down = Cause.fail(new Error("connect ECONNREFUSED 127.0.0.1:5432"))

// A database down for minutes used to draw an error line from every loop every 200 ms, and a
// pass every 200 ms from each.
describe("passes failing in a row", () => {
  it.effect("wait twice as long each time up to the cap, are reported once, reminded, and their end said", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const failures = failingPasses("sync worker pass (outbound)", "200 millis", {
        maxWait: "10 seconds",
        remindEvery: "1 minute"
      })
      const waits: Array<number> = []
      // 20 failed passes, time moving on by each wait, as the loop does.
      for (let i = 0; i < 20; i++) {
        const wait = yield* failures.failed(down)
        waits.push(Duration.toMillis(wait))
        yield* TestClock.adjust(wait)
      }
      assert.deepStrictEqual(waits.slice(0, 8), [200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000])
      assert.isTrue(waits.every((ms) => ms <= 10_000))
      // 20 passes over 2 min 12.6 s: the first reported, then a reminder at 62.6 s and at 122.6 s.
      const failed = "Error: connect ECONNREFUSED 127.0.0.1:5432"
      assert.deepStrictEqual(lines, [
        `ERROR sync worker pass (outbound) failed: ${failed}`,
        `ERROR sync worker pass (outbound) still failing (11 more failed passes since the last report): ${failed}`,
        `ERROR sync worker pass (outbound) still failing (6 more failed passes since the last report): ${failed}`
      ])

      yield* failures.succeeded
      yield* failures.succeeded
      assert.strictEqual(lines.at(-1), "INFO sync worker pass (outbound) works again, after 20 failed passes")
      assert.strictEqual(lines.length, 4)
      // Afresh after the recovery.
      assert.strictEqual(Duration.toMillis(yield* failures.failed(down)), 200)
      assert.strictEqual(lines.length, 5)
    }).pipe(Effect.provide(capturing(lines)))
  })

  it.effect("the loop's next pass: at once after work, the poll interval when idle, the back-off after a failure", () =>
    Effect.gen(function*() {
      const failures = failingPasses("pass", "200 millis")
      const elapsed = (pass: Effect.Effect<number, Error>) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(afterPass(failures, "200 millis")(pass))
          yield* Effect.yieldNow()
          let ms = 0
          while (fiber.unsafePoll() === null) {
            yield* TestClock.adjust("100 millis")
            ms += 100
          }
          yield* Fiber.join(fiber)
          return ms
        })
      assert.strictEqual(yield* elapsed(Effect.succeed(5)), 0)
      assert.strictEqual(yield* elapsed(Effect.succeed(0)), 200)
      assert.strictEqual(yield* elapsed(Effect.fail(new Error("down"))), 200)
      assert.strictEqual(yield* elapsed(Effect.fail(new Error("down"))), 400)
      assert.strictEqual(yield* elapsed(Effect.fail(new Error("down"))), 800)
      assert.strictEqual(yield* elapsed(Effect.succeed(0)), 200)
      assert.strictEqual(yield* elapsed(Effect.fail(new Error("down"))), 200)
    }).pipe(Effect.provide(Logger.remove(Logger.defaultLogger))))
})
