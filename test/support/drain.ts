import { Effect } from "effect"
import { SyncSettings } from "../../src/app/workers/settings.js"
import { drainUntilIdle } from "../../src/app/workers/worker.js"

/** Runs the worker's passes until no job is due (bounded), as the background worker would. */
export const drainAll = Effect.flatMap(SyncSettings, (settings) => drainUntilIdle(settings, 50))
