import { type Cause, Clock, Duration, Effect } from "effect"
import { causeLine } from "../observability/cause-line.js"

export interface FailingPasses {
  /** Reports a failed pass (or not, see `failingPasses`) and says how long to wait before the next. */
  readonly failed: (cause: Cause.Cause<unknown>) => Effect.Effect<Duration.Duration>
  /** A pass went through: the failures end, said once. */
  readonly succeeded: Effect.Effect<void>
}

export interface FailingPassesOptions {
  /** The longest wait between two failed passes. */
  readonly maxWait: Duration.DurationInput
  /** While passes keep failing, how often to say so again. */
  readonly remindEvery: Duration.DurationInput
}

const defaults: FailingPassesOptions = { maxWait: Duration.seconds(10), remindEvery: Duration.minutes(1) }

/**
 * How a loop of passes meets a failure that lasts (its database down, a failover): the first
 * failure is logged, then a reminder with the count at most every `remindEvery`, then the recovery,
 * instead of one error line per poll; and the waits between failed passes double from
 * `pollInterval` up to `maxWait`, so a database coming back is not met by every loop at once.
 * One per loop; loops with passes side by side share it.
 */
export const failingPasses = (
  what: string,
  pollInterval: Duration.DurationInput,
  options: FailingPassesOptions = defaults
): FailingPasses => {
  const remindMs = Duration.toMillis(options.remindEvery)
  let failures = 0
  let unreported = 0
  let reportedAt = 0
  return {
    failed: (cause) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        failures += 1
        if (failures === 1) {
          yield* Effect.logError(`${what} failed: ${causeLine(cause)}`)
          reportedAt = now
        } else if (now - reportedAt >= remindMs) {
          yield* Effect.logError(
            `${what} still failing (${unreported + 1} more failed passes since the last report): ${causeLine(cause)}`
          )
          reportedAt = now
          unreported = 0
        } else {
          unreported += 1
        }
        const doubled = Duration.times(pollInterval, 2 ** Math.min(failures - 1, 20))
        return Duration.min(doubled, options.maxWait)
      }),
    succeeded: Effect.suspend(() => {
      if (failures === 0) return Effect.void
      const failed = failures
      failures = 0
      unreported = 0
      return Effect.logInfo(`${what} works again, after ${failed} failed passes`)
    })
  }
}

/** After a pass: the next at once while there was work, after the poll interval when there was none, later on failure. */
export const afterPass =
  (failures: FailingPasses, pollInterval: Duration.DurationInput) => <E, R>(pass: Effect.Effect<number, E, R>) =>
    pass.pipe(
      Effect.matchCauseEffect({
        onFailure: (cause) => Effect.flatMap(failures.failed(cause), Effect.sleep),
        onSuccess: (claimed) =>
          Effect.zipRight(failures.succeeded, claimed === 0 ? Effect.sleep(pollInterval) : Effect.void)
      })
    )
