import { Context, Effect, Metric, MetricBoundaries, MetricLabel, Schema } from "effect"
import { Platform } from "../../domain/ids.js"
import type { SyncJobQueue } from "../../ports/sync-job-queue.js"
import type { SyncLogEntry } from "../../ports/sync-log-repository.js"

/**
 * The service's metrics, kept in effect's global registry and rendered at GET /metrics.
 * Labels only take values from closed sets (platforms, directions, entity types, statuses), so a
 * caller can never grow the number of series.
 */
const syncsTotal = Metric.counter("alloresto_syncs_total", {
  description: "Sync attempts settled, by platform, direction, entity type and outcome status.",
  incremental: true
})

// Seconds, as Prometheus expects; platform calls range from a few ms to the 10 s timeout.
const syncDurationSeconds = Metric.histogram(
  "alloresto_sync_duration_seconds",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
  "Time from claiming a sync job to settling it, by platform and direction."
)

const syncJobsPending = Metric.gauge("alloresto_sync_jobs_pending", {
  description: "Jobs waiting in the queue (first attempts and retries), read when /metrics is scraped."
})

const retryQueueDepth = Metric.gauge("alloresto_retry_queue_depth", {
  description: "Jobs that failed at least once and wait for their next attempt, read when /metrics is scraped."
})

export const deadLetters = Metric.gauge("alloresto_dead_letters", {
  description: "Jobs that exhausted their retries and wait for an operator's replay, read when /metrics is scraped."
})

const webhookDeliveriesRejected = Metric.counter("alloresto_webhook_deliveries_rejected_total", {
  description: "Webhook deliveries answered with a 4xx, by platform and reason.",
  incremental: true
})

/** What the metrics keep of a settled attempt (a plain object: it may cross to another thread). */
export type SettledAttempt = Pick<SyncLogEntry, "platform" | "direction" | "entityType" | "status" | "durationMs">

// Tagging a metric builds a new key, hashed again on every update: one per label set is kept (a
// few dozen: platforms × directions × entities × statuses), not one per settled event.
const perLabelSet = <M>(make: (record: Record<string, string>) => M) => {
  const made = new Map<string, M>()
  return (record: Record<string, string>) => {
    const key = Object.values(record).join("\u0000")
    let metric = made.get(key)
    if (metric === undefined) {
      metric = make(record)
      made.set(key, metric)
    }
    return metric
  }
}
const syncCounter = perLabelSet((record) => Metric.taggedWithLabels(syncsTotal, labels(record)))
const syncTimer = perLabelSet((record) => Metric.taggedWithLabels(syncDurationSeconds, labels(record)))

/** Counts one settled attempt and times it, in this thread's registry. */
export const countSettlement = (entry: SettledAttempt) =>
  Effect.gen(function*() {
    yield* Metric.increment(
      syncCounter({
        platform: entry.platform,
        direction: entry.direction,
        entity: entry.entityType,
        status: entry.status
      })
    )
    if (typeof entry.durationMs === "number") {
      yield* Metric.update(syncTimer({ platform: entry.platform, direction: entry.direction }), entry.durationMs / 1000)
    }
  })

/**
 * Where settled attempts are counted: here by default; a sync thread sends them to the thread
 * that serves /metrics.
 */
export class SettlementMetrics extends Context.Reference<SettlementMetrics>()("SettlementMetrics", {
  defaultValue: () => ({ record: countSettlement })
}) {}

/** Counts one settled attempt: called with each audit line a job writes. */
export const recordSettlement = (entry: SyncLogEntry) =>
  Effect.flatMap(SettlementMetrics, (metrics) =>
    metrics.record({
      platform: entry.platform,
      direction: entry.direction,
      entityType: entry.entityType,
      status: entry.status,
      durationMs: entry.durationMs
    }))

type RejectionReason = "malformed" | "unauthenticated" | "unknown_platform" | "too_large" | "other"

// answers one 401 for every authentication failure, so the status is all the reason there is.
const reasonOf = (status: number): RejectionReason =>
  status === 400
    ? "malformed"
    : status === 401
    ? "unauthenticated"
    : status === 404
    ? "unknown_platform"
    : status === 413
    ? "too_large"
    : "other"

/** The path names the platform; anything but a known one is "unknown", so labels stay bounded. */
export const recordWebhookRejection = (platform: string, status: number) =>
  Metric.increment(Metric.taggedWithLabels(
    webhookDeliveriesRejected,
    labels({
      platform: Schema.is(Platform)(platform) ? platform : "unknown",
      reason: reasonOf(status)
    })
  ))

/** Gauges are read from the queue on each scrape, so every instance reports the shared database. */
export const refreshQueueGauges = (queue: SyncJobQueue["Type"]) =>
  Effect.flatMap(queue.counts(), (counts) =>
    Effect.all([
      Metric.set(syncJobsPending, counts.pending),
      Metric.set(retryQueueDepth, counts.retrying),
      Metric.set(deadLetters, counts.dead)
    ], { discard: true }))

const labels = (record: Record<string, string>) =>
  Object.entries(record).map(([key, value]) => MetricLabel.make(key, value))
