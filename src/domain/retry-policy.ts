import { Duration, Effect, Option, Schedule, ScheduleDecision, ScheduleIntervals } from "effect"

/** the one statement of the backoff; the retry worker and the outbox both read it. */
export const retrySchedule = Schedule.fromDelays("1 minute", "5 minutes", "30 minutes", "2 hours", "8 hours")

/**
 * The delays a schedule yields, read by stepping it from t=0 instead of repeating the numbers.
 * `limit` guards against an endless schedule.
 */
const delaysOf = <Out>(schedule: Schedule.Schedule<Out, unknown>, limit: number) =>
  Effect.gen(function*() {
    const delays: Array<Duration.Duration> = []
    let state = schedule.initial
    while (delays.length < limit) {
      const [next, , decision] = yield* schedule.step(0, undefined, state)
      if (ScheduleDecision.isDone(decision)) break
      delays.push(Duration.millis(ScheduleIntervals.start(decision.intervals)))
      state = next
    }
    return delays
  })

// fromDelays steps synchronously and reads no clock (time is the `now` we pass), so this is pure.
const retryDelays: ReadonlyArray<Duration.Duration> = Effect.runSync(delaysOf(retrySchedule, 100))

/** after this many failed retries the job is dead-lettered. */
export const maxRetries: number = retryDelays.length

/**
 * How long to wait before the next retry, given how many retries were already used:
 * 0 → 1 minute (the first attempt just failed), …, 4 → 8 hours, 5 → None (dead letter).
 */
export const retryDelay = (retriesSoFar: number): Option.Option<Duration.Duration> =>
  Option.fromNullable(retryDelays[retriesSoFar])

export const nextAttemptAt = (retriesSoFar: number, now: Date): Option.Option<Date> =>
  Option.map(retryDelay(retriesSoFar), (delay) => new Date(now.getTime() + Duration.toMillis(delay)))
