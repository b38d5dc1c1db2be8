import { Effect, LogLevel } from "effect"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import type { SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { recordSettlement } from "./metrics.js"

/** The annotations every log line about a job carries, so one job's story can be grepped. */
const jobLogAnnotations = (job: SyncJob) => ({
  jobId: job.id,
  platform: job.platform,
  direction: job.direction,
  entityType: job.entityType,
  restaurantId: job.restaurantId
})

// A dead letter needs an operator; a retry or a conflict is worth a look; the rest is routine and
// already in the audit log (sync_logs): at full load, one line per event is a cost worth avoiding.
const levelOf = (status: SyncLogEntry["status"]) =>
  status === "failed" ? LogLevel.Error : status === "retry" || status === "conflict" ? LogLevel.Warning : LogLevel.Debug

/**
 * The audit log as `settle` sees it: each line it appends is one settled attempt, so it is also
 * counted, timed and logged here. Wrapping the repository keeps the sync rules free of metrics.
 * Logged fields are the job's coordinates, the outcome and the error message, never payloads.
 */
export const observedSyncLog = (job: SyncJob, logs: SyncLogRepository["Type"]): SyncLogRepository["Type"] => ({
  ...logs,
  append: (entry) => Effect.tap(logs.append(entry), () => observeSettlement(job, entry))
})

/** Counts, times and logs one settled attempt (an audit line already written). */
export const observeSettlement = (job: SyncJob, entry: SyncLogEntry) => {
  const level = levelOf(entry.status)
  return Effect.zipRight(
    recordSettlement(entry),
    // The line is built only at a level that is logged: routine settlements come by the thousand.
    Effect.whenLogLevel(
      Effect.suspend(() =>
        Effect.logWithLevel(level, "sync settled").pipe(Effect.annotateLogs({
          ...jobLogAnnotations(job),
          status: entry.status,
          action: entry.action,
          attempt: job.attempts + 1,
          durationMs: entry.durationMs ?? null,
          ...(entry.errorMessage ? { error: entry.errorMessage } : {}),
          ...(entry.nextRetryAt ? { nextRetryAt: entry.nextRetryAt } : {}),
          ...(entry.conflictResolution ? { conflictResolution: entry.conflictResolution } : {})
        }))
      ),
      level
    )
  )
}
