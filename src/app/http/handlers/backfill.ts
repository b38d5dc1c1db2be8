import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { Unavailable } from "../../errors.js"
import { Backfill } from "../../services/backfill.js"
import { SyncApi } from "../api.js"

export const BackfillLive = HttpApiBuilder.group(SyncApi, "backfill", (handlers) =>
  Effect.gen(function*() {
    const backfill = yield* Backfill
    return handlers.handle("run", ({ payload }) =>
      backfill.run(payload.restaurantId, payload.platform, payload.dryRun).pipe(
        // Nothing was written: a platform that cannot be read leaves the mappings as they were.
        Effect.catchTags({
          PlatformRetryableError: (e) =>
            Effect.fail(new Unavailable({ message: `${e.platform}: ${e.message}` })),
          PlatformPermanentError: (e) => Effect.fail(new Unavailable({ message: `${e.platform}: ${e.message}` }))
        })
      ))
  }))
