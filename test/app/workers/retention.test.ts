import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { ChangeFeedMemory } from "../../../src/adapters/memory/change-feed.js"
import { MappingRepositoryMemory } from "../../../src/adapters/memory/mapping-repository.js"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../../src/adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../../../src/adapters/memory/sync-log-repository.js"
import { ChangeFeedLiveSql } from "../../../src/adapters/sql/change-feed.js"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { SyncLogRepositorySql } from "../../../src/adapters/sql/sync-log-repository.js"
import { pruneOnce, type RetentionOptions } from "../../../src/app/workers/retention.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { ChangeFeed, ChangeLog, feedStart } from "../../../src/ports/change-feed.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { TestDatabaseLive } from "../../support/database.js"

// Issue 18: retention driven by TestClock (every stored time comes from effect's Clock).

const options: RetentionOptions = {
  jobs: "30 days",
  logs: "90 days",
  deadLetters: "180 days",
  changeLog: "30 days",
  batchSize: 2,
  interval: "1 hour"
}
const restaurantId = "resto-retention" as RestaurantId

const event = (eventId: string) => ({
  platform: "zenchef" as const,
  eventId,
  eventType: "reservation.created" as const,
  externalRestaurantId: "a1b2c3d4",
  externalId: eventId,
  rawPayload: {}
})

const suite = (name: string, repositories: Layer.Layer<SyncJobQueue | SyncLogRepository | ChangeLog | ChangeFeed>) =>
  layer(repositories)(name, (it) => {
    it.effect("settled jobs after 30 days and logs after 90, in small batches; dead letters stay until they expire", () =>
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const logs = yield* SyncLogRepository
        yield* Effect.forEach(
          ["done-1", "done-2", "done-3", "dead-1", "waiting-1"],
          (id) => queue.enqueueEvent(restaurantId, event(id))
        )
        const claimed = yield* queue.claim({ limit: 4, leaseMs: 60_000 })
        const byKey = (id: string) => claimed.find((j) => j.event?.eventId === id)!
        yield* queue.completeMany([byKey("done-1"), byKey("done-2"), byKey("done-3")])
        yield* queue.bury(byKey("dead-1"), "gave up")
        yield* Effect.forEach(
          [1, 2, 3],
          () =>
            logs.append({
              restaurantId,
              entityType: "reservation",
              entityId: null,
              platform: "zenchef",
              externalId: null,
              direction: "inbound",
              action: "create",
              status: "success"
            })
        )
        const jobsLeft = Effect.map(queue.counts(), (c) => c)
        const logsLeft = Effect.map(logs.list({ restaurantId, limit: 10, offset: 0 }), (page) => page.total)

        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 0, logs: 0, changes: 0 })
        yield* TestClock.adjust("31 days")
        assert.deepStrictEqual(
          yield* pruneOnce(options),
          { jobs: 3, logs: 0, changes: 0 },
          "three done jobs, in batches of two"
        )
        assert.deepStrictEqual(
          yield* jobsLeft,
          { pending: 1, retrying: 0, dead: 1 },
          "the waiting job and the dead letter stay"
        )
        yield* TestClock.adjust("60 days")
        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 0, logs: 3, changes: 0 })
        assert.strictEqual(yield* logsLeft, 0)
        yield* TestClock.adjust("90 days")
        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 1, logs: 0, changes: 0 }, "the dead letter expires")
        assert.deepStrictEqual(yield* jobsLeft, { pending: 1, retrying: 0, dead: 0 })
      }))

    it.effect("change-log entries after 30 days, and the feed's horizon moves past them", () =>
      Effect.gen(function*() {
        const log = yield* ChangeLog
        const feed = yield* ChangeFeed
        const at = new Date(yield* TestClock.currentTimeMillis).toISOString()
        yield* log.append(["c1", "c2", "c3"].map((entityId) => ({
          restaurantId,
          entityType: "reservation" as const,
          entityId,
          action: "create" as const,
          version: 1,
          origin: "api" as const,
          occurredAt: at,
          record: {}
        })))
        assert.strictEqual((yield* pruneOnce(options)).changes, 0)
        yield* TestClock.adjust("31 days")
        // The feed serves an entry once no older transaction of the cluster runs (other files share it).
        let pruned = 0
        for (let i = 0; i < 200 && pruned < 3; i++) {
          pruned += (yield* pruneOnce(options)).changes
          if (pruned < 3) yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
        }
        assert.strictEqual(pruned, 3)
        assert.deepStrictEqual(
          (yield* feed.read({ after: feedStart, restaurantIds: [restaurantId], limit: 10 })).entries,
          []
        )
        assert.notDeepEqual(yield* feed.retainedFrom, feedStart)
      }))
  })

describe("retention", () => {
  suite(
    "in memory",
    Layer.mergeAll(SyncJobQueueMemory, ChangeFeedMemory).pipe(
      Layer.provideMerge(
        Layer.mergeAll(PlatformConfigRepositoryMemory, MappingRepositoryMemory, SyncLogRepositoryMemory)
      )
    )
  )
  suite(
    "on PostgreSQL",
    Layer.mergeAll(SyncJobQueueSql, SyncLogRepositorySql, ChangeFeedLiveSql).pipe(Layer.provide(TestDatabaseLive))
  )
})
