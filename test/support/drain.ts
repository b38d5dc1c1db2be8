import { Effect } from "effect"
import { SyncSettings } from "../../src/app/workers/settings.js"
import { drainOnce, drainUntilIdle } from "../../src/app/workers/worker.js"

/** Runs the worker's passes until no job is due (bounded), as the background worker would. */
export const drainAll = Effect.flatMap(SyncSettings, (settings) => drainUntilIdle(settings, 50))

/** One pass of the inbound loop alone: what the platform sent is applied, the pushes it queued wait. */
export const drainInbound = Effect.scoped(Effect.flatMap(SyncSettings, (settings) => drainOnce(settings, "inbound")))
