import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Exit, Fiber, Option, Ref, TestClock } from "effect"
import { maxRetries, nextAttemptAt, retryDelay, retrySchedule } from "../../src/domain/retry-policy.js"

const minutes = (n: number) => Duration.minutes(n)

describe("retry policy (R-8.1)", () => {
  it("waits 1 m, 5 m, 30 m, 2 h, 8 h, then gives up after 5 retries", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map(retryDelay)
    expect(delays).toEqual([
      Option.some(minutes(1)),
      Option.some(minutes(5)),
      Option.some(minutes(30)),
      Option.some(Duration.hours(2)),
      Option.some(Duration.hours(8)),
      Option.none(),
      Option.none()
    ])
    expect(maxRetries).toBe(5)
    expect(retryDelay(-1)).toEqual(Option.none())
  })

  it("places the next attempt that long after now", () => {
    const now = new Date("2030-06-07T12:00:00.000Z")
    expect(nextAttemptAt(0, now)).toEqual(Option.some(new Date("2030-06-07T12:01:00.000Z")))
    expect(nextAttemptAt(3, now)).toEqual(Option.some(new Date("2030-06-07T14:00:00.000Z")))
    expect(nextAttemptAt(4, now)).toEqual(Option.some(new Date("2030-06-07T20:00:00.000Z")))
    expect(nextAttemptAt(5, now)).toEqual(Option.none())
  })

  it.effect("drives Effect.retry: 6 calls at 0, 1 m, 6 m, 36 m, 2 h 36 m, 10 h 36 m, then fails", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make<ReadonlyArray<number>>([])
      const failingTask = Clock.currentTimeMillis.pipe(
        Effect.flatMap((t) => Ref.update(calls, (ts) => [...ts, t])),
        Effect.zipRight(Effect.fail("platform down" as const))
      )
      const fiber = yield* Effect.fork(Effect.retry(failingTask, retrySchedule))
      yield* TestClock.adjust(Duration.hours(11))
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit)).toBe(true)
      expect((yield* Ref.get(calls)).map((t) => Duration.format(Duration.millis(t)))).toEqual([
        "0",
        "1m",
        "6m",
        "36m",
        "2h 36m",
        "10h 36m"
      ])
    }))
})
