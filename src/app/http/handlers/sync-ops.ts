import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { MappingRepository } from "../../../ports/mapping-repository.js"
import { SyncJobQueue } from "../../../ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../ports/sync-log-repository.js"
import { SyncSettings } from "../../workers/settings.js"
import { drainUntilIdle } from "../../workers/worker.js"
import { SyncApi } from "../api.js"
import { notFound } from "../../errors.js"

/** POST /api/sync/retry drains at most this many passes, so a cron call always returns. */
const MAX_PASSES = 20

export const SyncOpsLive = HttpApiBuilder.group(SyncApi, "sync", (handlers) =>
  Effect.gen(function* () {
    const logs = yield* SyncLogRepository
    const mappings = yield* MappingRepository
    const queue = yield* SyncJobQueue
    const settings = yield* SyncSettings
    const drain = drainUntilIdle(settings, MAX_PASSES)
    return handlers
      .handle("logs", ({ urlParams }) => logs.list(urlParams))
      .handle("mappings", ({ urlParams }) => mappings.list(urlParams))
      .handle("retryCount", () => queue.counts())
      .handle("runRetries", ({ urlParams }) =>
        Effect.gen(function* () {
          if (urlParams.force) yield* queue.makeRetriesDue()
          const processed = yield* drain
          return { processed, remaining: yield* queue.counts() }
        }))
      .handle("jobs", ({ urlParams }) => queue.list(urlParams))
      .handle("replay", ({ path }) =>
        Effect.flatMap(queue.replay(path.id), Option.match({
          onNone: () => Effect.fail(notFound("dead letter", String(path.id))),
          onSome: Effect.succeed
        })))
  }))
