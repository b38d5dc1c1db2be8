import { Context, Duration, Layer } from "effect"
import type { WorkerOptions } from "./worker.js"

/** How the sync workers run; read from config in production, shortened in tests. */
export class SyncSettings extends Context.Tag("SyncSettings")<SyncSettings, WorkerOptions & {
  /** The internal timer that makes retries run without a cron. */
  readonly retryTimerInterval: Duration.DurationInput
}>() {}

export const defaultSyncSettings = {
  batchSize: 50,
  concurrency: 16,
  pollInterval: Duration.millis(200),
  leaseMs: 120_000,
  retryTimerInterval: Duration.seconds(30)
}

export const SyncSettingsTest = Layer.succeed(SyncSettings, { ...defaultSyncSettings, pollInterval: Duration.millis(20) })
