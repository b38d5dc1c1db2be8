import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect, Fiber, Option } from "effect"
import { SyncRecords } from "../../services/sync-records.js"
import { SyncSettings } from "../../workers/settings.js"
import { drainUntilIdle } from "../../workers/worker.js"
import { SyncApi } from "../api.js"

/** POST /api/sync/retry drains at most this many passes, so a cron call always returns. */
const MAX_PASSES = 20
/** How long the call waits for its drain; a longer drain goes on after the answer (issue 18). */
const ANSWER_WITHIN = "2 seconds"

export const SyncOpsLive = HttpApiBuilder.group(SyncApi, "sync", (handlers) =>
  Effect.gen(function*() {
    const records = yield* SyncRecords
    const settings = yield* SyncSettings
    const drain = drainUntilIdle(settings, MAX_PASSES)
    // Issue 18: one drain at a time, however many operators or crons call; a call finding one
    // running only makes retries due (with force) and reports.
    const oneAtATime = yield* Effect.makeSemaphore(1)
    return handlers
      .handle("logs", ({ urlParams }) => records.logs(urlParams))
      .handle("mappings", ({ urlParams }) => records.mappings(urlParams))
      .handle("retryCount", () => records.counts())
      .handle("runRetries", ({ urlParams }) =>
        Effect.gen(function*() {
          // Issue 17: a key limited to some restaurants hurries only their retries.
          if (urlParams.force) yield* records.makeRetriesDue()
          const run = yield* Effect.forkDaemon(oneAtATime.withPermitsIfAvailable(1)(drain))
          const finished = yield* Fiber.join(run).pipe(Effect.timeoutOption(ANSWER_WITHIN))
          const processed = Option.getOrElse(Option.flatten(finished), () => 0)
          // Not finished in time, or not started because another caller's drain runs.
          const inProgress = Option.isNone(finished) || Option.isNone(finished.value)
          return { processed, remaining: yield* records.counts(), inProgress }
        }))
      .handle("jobs", ({ urlParams }) => records.jobs(urlParams))
      .handle("replay", ({ path }) => records.replay(path.id))
  }))
