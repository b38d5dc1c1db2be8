import { Clock, Context, Duration, Effect } from "effect"
import { ChangeLog } from "../../ports/change-feed.js"
import { SyncJobQueue } from "../../ports/sync-job-queue.js"
import { SyncLogRepository } from "../../ports/sync-log-repository.js"
import { traced } from "../../ports/traced.js"

/**
 * Retention (issue 18): done jobs and sync logs are kept for a while (the operator's history),
 * then deleted; dead letters wait for an operator's replay, and expire only after a longer while;
 * change-log entries go once old and delivered to the main app (issue 21).
 * Nothing else grows without bound.
 */
export interface RetentionOptions {
  readonly jobs: Duration.DurationInput
  readonly logs: Duration.DurationInput
  readonly deadLetters: Duration.DurationInput
  /** Change-log entries (issue 21); a feed reader must come back within this time. */
  readonly changeLog: Duration.DurationInput
  /** Rows per statement: small, so a pass never holds many locks or a long transaction. */
  readonly batchSize: number
  readonly interval: Duration.DurationInput
}

export class RetentionSettings extends Context.Reference<RetentionSettings>()("RetentionSettings", {
  defaultValue: (): RetentionOptions => ({
    jobs: Duration.days(30),
    logs: Duration.days(90),
    deadLetters: Duration.days(180),
    changeLog: Duration.days(30),
    batchSize: 500,
    interval: Duration.hours(1)
  })
}) {}

/** Batches until nothing is left to delete, at most `maxBatches` each; returns how many rows went. */
export const pruneOnce = (options: RetentionOptions, maxBatches = 1_000) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    const logs = yield* SyncLogRepository
    const changeLog = yield* ChangeLog
    const now = yield* Clock.currentTimeMillis
    const before = (age: Duration.DurationInput) => new Date(now - Duration.toMillis(age)).toISOString()
    const drain = (batch: Effect.Effect<number>) =>
      Effect.iterate({ deleted: 0, last: options.batchSize, batches: 0 }, {
        while: (s) => s.last >= options.batchSize && s.batches < maxBatches,
        body: (s) => Effect.map(batch, (n) => ({ deleted: s.deleted + n, last: n, batches: s.batches + 1 }))
      })
    const jobs = yield* drain(
      queue.prune({
        doneBefore: before(options.jobs),
        deadBefore: before(options.deadLetters),
        limit: options.batchSize
      })
    )
    const lines = yield* drain(logs.prune(before(options.logs), options.batchSize))
    const changes = yield* drain(changeLog.prune(before(options.changeLog), options.batchSize))
    return { jobs: jobs.deleted, logs: lines.deleted, changes: changes.deleted }
  }).pipe(traced("Retention.prune"))

/** Every `interval`; every instance may run it, since a batch deletes whatever is there. */
export const runRetention = Effect.gen(function*() {
  const options = yield* RetentionSettings
  while (true) {
    yield* pruneOnce(options).pipe(
      Effect.tap((deleted) =>
        deleted.jobs + deleted.logs + deleted.changes === 0
          ? Effect.void
          : Effect.logInfo(
            `retention deleted ${deleted.jobs} settled jobs, ${deleted.logs} sync logs and ${deleted.changes} change-log entries`
          )
      ),
      Effect.catchAllCause((cause) => Effect.logError("retention pass failed", cause))
    )
    yield* Effect.sleep(options.interval)
  }
})
