import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../../src/adapters/memory/sync-job-queue.js"
import { PlatformConfigRepositorySql } from "../../../src/adapters/sql/platform-config-repository.js"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { TestDatabaseLive } from "../../support/database.js"
import { configInput, newRestaurant } from "./platform-config.contract.js"
import { syncJobQueueBatchContract } from "./sync-job-queue-batches.contract.js"
import { syncJobQueueContract } from "./sync-job-queue.contract.js"

const sqlQueue = Layer.mergeAll(SyncJobQueueSql, PlatformConfigRepositorySql).pipe(Layer.provideMerge(TestDatabaseLive))

const memoryQueue = SyncJobQueueMemory.pipe(Layer.provideMerge(PlatformConfigRepositoryMemory))

syncJobQueueContract("sql", sqlQueue)
syncJobQueueContract("memory", memoryQueue)
syncJobQueueBatchContract("sql", sqlQueue)
syncJobQueueBatchContract("memory", memoryQueue)

describe("sync job queue (sql only)", () => {
  layer(sqlQueue)((it) => {
    it.effect("a push is written with the caller's transaction (R-5.7)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* (yield* PlatformConfigRepository).create(configInput(restaurantId, "zenchef"))
        const before = (yield* queue.counts()).pending
        const rolledBack = yield* sql.withTransaction(
          Effect.zipRight(queue.enqueuePush(restaurantId, "reservation", "entity-1"), Effect.fail("local change rejected"))
        ).pipe(Effect.flip)
        assert.strictEqual(rolledBack, "local change rejected")
        assert.strictEqual((yield* queue.counts()).pending, before)
        yield* sql.withTransaction(queue.enqueuePush(restaurantId, "reservation", "entity-1"))
        assert.strictEqual((yield* queue.counts()).pending, before + 1)
      }))

    it.effect("a retry racing a new change of the same entity leaves one waiting push, never a defect", () =>
      Effect.gen(function* () {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* (yield* PlatformConfigRepository).create(configInput(restaurantId, "thefork"))
        const { pending } = yield* queue.counts()
        yield* Effect.forEach(Array.from({ length: 200 }, (_, i) => `entity-${i}`), (entityId) =>
          Effect.gen(function* () {
            yield* queue.enqueuePush(restaurantId, "reservation", entityId)
            const [job] = yield* queue.claim({ limit: 1, leaseMs: 60_000, direction: "outbound" })
            yield* Effect.all([
              queue.retryLater(job!.id, "2030-01-01T00:00:00.000Z", "503"),
              queue.enqueuePush(restaurantId, "reservation", entityId)
            ], { concurrency: 2 })
            // Whichever came first, the retried job carries the new change: nothing else waits.
            yield* queue.complete(job!.id)
            assert.strictEqual((yield* queue.counts()).pending, pending, entityId)
          }))
      }))
  })
})
