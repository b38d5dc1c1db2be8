import { Effect } from "effect"
import { SyncSettings } from "../../src/app/sync/settings.js"
import { drainOnce } from "../../src/app/sync/worker.js"

/** Runs the worker's passes until no job is due (bounded), as the background worker would. */
export const drainAll = Effect.gen(function* () {
  const settings = yield* SyncSettings
  let total = 0
  for (let pass = 0; pass < 50; pass++) {
    const claimed = yield* drainOnce(settings)
    total += claimed
    if (claimed === 0) break
  }
  return total
})
