import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { MappingRepositoryMemory } from "../../../src/adapters/memory/mapping-repository.js"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../../src/adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../../../src/adapters/memory/sync-log-repository.js"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { SyncLogRepositorySql } from "../../../src/adapters/sql/sync-log-repository.js"
import { pruneOnce, type RetentionOptions } from "../../../src/app/workers/retention.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { TestDatabaseLive } from "../../support/database.js"

// Issue 18: retention driven by TestClock (every stored time comes from effect's Clock).

const options: RetentionOptions = {
  jobs: "30 days",
  logs: "90 days",
  deadLetters: "180 days",
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

const suite = (name: string, repositories: Layer.Layer<SyncJobQueue | SyncLogRepository>) =>
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

        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 0, logs: 0 })
        yield* TestClock.adjust("31 days")
        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 3, logs: 0 }, "three done jobs, in batches of two")
        assert.deepStrictEqual(
          yield* jobsLeft,
          { pending: 1, retrying: 0, dead: 1 },
          "the waiting job and the dead letter stay"
        )
        yield* TestClock.adjust("60 days")
        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 0, logs: 3 })
        assert.strictEqual(yield* logsLeft, 0)
        yield* TestClock.adjust("90 days")
        assert.deepStrictEqual(yield* pruneOnce(options), { jobs: 1, logs: 0 }, "the dead letter expires")
        assert.deepStrictEqual(yield* jobsLeft, { pending: 1, retrying: 0, dead: 0 })
      }))
  })

describe("retention", () => {
  suite(
    "in memory",
    Layer.mergeAll(SyncJobQueueMemory, SyncLogRepositoryMemory).pipe(
      Layer.provide(Layer.merge(PlatformConfigRepositoryMemory, MappingRepositoryMemory))
    )
  )
  suite("on PostgreSQL", Layer.mergeAll(SyncJobQueueSql, SyncLogRepositorySql).pipe(Layer.provide(TestDatabaseLive)))
})
