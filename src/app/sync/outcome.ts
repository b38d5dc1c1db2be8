import { Clock, Data, Effect, Option } from "effect"
import { nextAttemptAt } from "../../domain/retry-policy.js"
import type { SyncAction, SyncLogStatus } from "../../domain/status.js"
import { isRetryable } from "../../ports/connector-errors.js"
import { MappingRepository, type MappingUpsert } from "../../ports/mapping-repository.js"
import { type PlatformConfig, PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { type SyncJob, SyncJobQueue } from "../../ports/sync-job-queue.js"
import { type SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { observedSyncLog } from "../observability/settlements.js"
import { ConfigCache } from "./config-cache.js"

/** What one attempt at a job produced, to be logged and turned into the job's next state. */
export interface Outcome {
  readonly status: Exclude<SyncLogStatus, "retry">
  readonly action: SyncAction
  readonly entityId: string | null
  readonly externalId: string | null
  readonly requestPayload?: unknown
  readonly responsePayload?: unknown
  readonly conflictResolution?: string | undefined
  readonly errorMessage?: string | undefined
  /** The mapping the attempt leaves, written with its audit line (a push's link to the platform's record). */
  readonly mapping?: MappingUpsert | undefined
}

export type Failure = { readonly _tag: string; readonly message: string }

/** What a push was doing when it failed: the call, the platform record it addressed, what it sent. */
export interface Attempt {
  readonly action: SyncAction
  readonly externalId: string | null
  readonly requestPayload?: unknown
}

/**
 * A failure with the attempt it ended: the audit line names that action and keeps what was sent
 * (a platform's 400 is read against it), instead of the job's general action and nothing.
 */
export class AttemptFailed extends Data.TaggedError("AttemptFailed")<Attempt & { readonly failure: Failure }> {
  override get message() {
    return this.failure.message
  }
}

/** `self`'s failures, as failures of `attempt`. */
export const attempting = (attempt: Attempt) => <A, E extends Failure, R>(self: Effect.Effect<A, E, R>) =>
  Effect.mapError(self, (failure) => new AttemptFailed({ ...attempt, failure }))

/**
 * This worker's claim on a job is stale: its lease ran out and another worker took the job. What
 * the attempt wrote in its transaction is rolled back (the new holder applies the event); the
 * job is left to that holder.
 */
export class StaleClaim extends Data.TaggedError("StaleClaim")<{ readonly jobIds: ReadonlyArray<number> }> {
  override get message() {
    return `job ${this.jobIds.join(", ")}: claim lost to another worker, settle ignored`
  }
}

/** Logs settles that changed nothing because their claims were stale. */
const logStale = (jobIds: ReadonlyArray<number>) =>
  jobIds.length === 0 ? Effect.void : Effect.logWarning(new StaleClaim({ jobIds }).message)

/** Failures that another attempt may cure: the connector's retryable errors. */
const shouldRetry = (error: Failure) =>
  error._tag === "PlatformRetryableError" || error._tag === "JobInterrupted" ||
  (("reason" in error) && isRetryable(error as never))

/** A config's last successful sync is refreshed at most this often under load. */
const LAST_SYNC_RESOLUTION_MS = 5_000

/**
 * Whether to write a config's last success now: the (cached) config shows none recent, and this
 * instance has not written one within the resolution either (a burst would otherwise write it
 * once per push, each write taking the config row's lock).
 */
const successDue = (config: PlatformConfig, now: number) =>
  config.lastError === null && config.lastSyncAt !== null &&
    now - Date.parse(config.lastSyncAt) < LAST_SYNC_RESOLUTION_MS
    ? Effect.succeed(false)
    : Effect.flatMap(
      ConfigCache,
      (cache) => cache.successDue(config.restaurantId, config.platform, now, LAST_SYNC_RESOLUTION_MS)
    )

/** A configuration's last success, when it is due (see `successDue`). */
const recordSuccess = (config: PlatformConfig, now: number) =>
  Effect.flatMap(successDue(config, now), (due) =>
    due
      ? Effect.flatMap(
        PlatformConfigRepository,
        (configs) =>
          configs.recordOutcome(config.restaurantId, config.platform, { ok: true, at: new Date(now).toISOString() })
      )
      : Effect.void)

/**
 * `settle` for many attempts that produced an outcome, in a few statements: their audit lines,
 * their jobs' completions, then each configuration's last success once. The caller observes them
 * after its commit.
 */
export const settleAll = (
  settled: ReadonlyArray<{ readonly job: SyncJob; readonly entry: SyncLogEntry; readonly config: PlatformConfig }>,
  onStale: "rollback" | "log"
) =>
  Effect.gen(function*() {
    yield* (yield* SyncLogRepository).appendMany(settled.map((s) => s.entry))
    const done = new Set(yield* (yield* SyncJobQueue).completeMany(settled.map((s) => s.job)))
    const stale = settled.filter((s) => !done.has(s.job.id)).map((s) => s.job.id)
    // An event applied under a lost claim is undone with its transaction; a push already reached
    // the platform, so only the settle is dropped.
    if (stale.length > 0 && onStale === "rollback") return yield* Effect.die(new StaleClaim({ jobIds: stale }))
    yield* logStale(stale)
    const now = yield* Clock.currentTimeMillis
    const succeeded = new Map(settled.filter((s) => s.entry.status === "success").map((s) => [s.config.id, s.config]))
    for (const config of succeeded.values()) yield* recordSuccess(config, now)
  })

/** The audit line of an attempt that produced an outcome. */
export const outcomeEntry = (
  job: SyncJob,
  startedAt: number,
  now: number,
  { mapping: _mapping, ...outcome }: Outcome
): SyncLogEntry => ({
  ...baseEntry(job, startedAt, now),
  ...outcome,
  retryCount: job.attempts
})

const baseEntry = (job: SyncJob, startedAt: number, now: number) =>
  ({
    restaurantId: job.restaurantId,
    entityType: job.entityType,
    platform: job.platform,
    direction: job.direction,
    durationMs: Math.max(0, now - startedAt),
    jobId: job.id
  }) satisfies Partial<SyncLogEntry>

/**
 * Issue 20, item 11: a push that ended without writing its mapping (skipped: nothing to send, or
 * the platform is master) leaves nothing queued: a mapping still pending is synced again.
 */
export const releasePending = (settled: ReadonlyArray<{ readonly job: SyncJob; readonly outcome: Outcome }>) =>
  Effect.flatMap(MappingRepository, (mappings) =>
    Effect.forEach(
      settled.filter(({ job, outcome }) =>
        job.direction === "outbound" && job.entityId !== null && outcome.mapping === undefined &&
        outcome.status === "skipped"
      ),
      ({ job }) =>
        mappings.setStatus(
          { entityType: job.entityType, entityId: job.entityId! },
          [job.platform],
          "synced",
          "pending"
        ),
      { discard: true }
    ))

/**
 * Writes the audit line of an attempt and settles its job: done, retried later on the
 * schedule, or dead-lettered.
 */
export const settle = (
  job: SyncJob,
  startedAt: number,
  result: { readonly outcome: Outcome } | (Attempt & { readonly failure: Failure }),
  config?: PlatformConfig
) =>
  Effect.gen(function*() {
    const logs = observedSyncLog(job, yield* SyncLogRepository)
    const queue = yield* SyncJobQueue
    const configs = yield* PlatformConfigRepository
    const now = yield* Clock.currentTimeMillis
    if ("outcome" in result) {
      const { mapping, status } = result.outcome
      if (mapping !== undefined) yield* (yield* MappingRepository).upsert(mapping)
      else yield* releasePending([{ job, outcome: result.outcome }])
      yield* logs.append(outcomeEntry(job, startedAt, now, result.outcome))
      if (!(yield* queue.complete(job))) {
        if (job.direction === "inbound") return yield* Effect.die(new StaleClaim({ jobIds: [job.id] }))
        return yield* logStale([job.id])
      }
      if (status === "success" && config !== undefined) yield* recordSuccess(config, now)
      return
    }
    const { action, externalId, failure, requestPayload } = result
    const retryAt = shouldRetry(failure) ? nextAttemptAt(job.attempts, new Date(now)) : Option.none()
    const entry = {
      ...baseEntry(job, startedAt, now),
      action,
      entityId: job.entityId,
      externalId,
      requestPayload,
      errorMessage: failure.message,
      retryCount: job.attempts + 1
    }
    if (Option.isSome(retryAt)) {
      const at = retryAt.value.toISOString()
      if (!(yield* queue.retryLater(job, at, failure.message))) return yield* logStale([job.id])
      yield* logs.append({ ...entry, status: "retry", nextRetryAt: at })
    } else {
      if (!(yield* queue.bury(job, failure.message))) return yield* logStale([job.id])
      yield* logs.append({ ...entry, status: "failed" })
    }
    yield* configs.recordOutcome(job.restaurantId, job.platform, { ok: false, error: failure.message })
    yield* Effect.flatMap(ConfigCache, (cache) => cache.successOverdue(job.restaurantId, job.platform))
  })
