import { Context, Duration, Layer } from "effect"
import type { WorkerOptions } from "./worker.js"

/** How the sync workers run; read from config in production, shortened in tests. */
/** Due retries are claimed like any due job, so the worker is the retry timer. */
export class SyncSettings extends Context.Tag("SyncSettings")<SyncSettings, WorkerOptions>() {}

/**
 * The defaults of the WORKER_* settings (config.ts reads them from here). A push mostly waits on
 * its platform: 48 at once over passes of 150 kept pushes coming about 35% faster than 16 over
 * 50 in the raw-speed bench, where more stopped paying (bench/HISTORY.md, the run of 12-05 09:05).
 */
export const defaultSyncSettings = {
  batchSize: 150,
  inboundBatchSize: 500,
  concurrency: 48,
  pollInterval: Duration.millis(200),
  leaseMs: 120_000,
  stopGrace: Duration.seconds(30)
}

export const SyncSettingsTest = Layer.succeed(SyncSettings, {
  ...defaultSyncSettings,
  pollInterval: Duration.millis(20)
})
