import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import { MappingRepositoryMemory } from "../../../src/adapters/memory/mapping-repository.js"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../../src/adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../../../src/adapters/memory/sync-log-repository.js"
import { MappingRepositorySql } from "../../../src/adapters/sql/mapping-repository.js"
import { PlatformConfigRepositorySql } from "../../../src/adapters/sql/platform-config-repository.js"
import { QueueTimeSource } from "../../../src/adapters/sql/push-jobs.js"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { SyncLogRepositorySql } from "../../../src/adapters/sql/sync-log-repository.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { configInput, newRestaurant } from "./platform-config.contract.js"
import { syncJobQueueBatchContract } from "./sync-job-queue-batches.contract.js"
import { syncJobQueueContract } from "./sync-job-queue.contract.js"
import { webhookEvent } from "./sync-job-queue.fixtures.js"

const sqlQueue = Layer.mergeAll(
  SyncJobQueueSql,
  PlatformConfigRepositorySql,
  MappingRepositorySql,
  SyncLogRepositorySql
).pipe(
  Layer.provideMerge(TestDatabaseLive)
)

const memoryQueue = SyncJobQueueMemory.pipe(
  Layer.provideMerge(Layer.mergeAll(PlatformConfigRepositoryMemory, MappingRepositoryMemory, SyncLogRepositoryMemory))
)

syncJobQueueContract("sql", sqlQueue)
syncJobQueueContract("memory", memoryQueue)
syncJobQueueBatchContract("sql", sqlQueue)
syncJobQueueBatchContract("memory", memoryQueue)

describe("sync job queue (sql only)", () => {
  layer(sqlQueue)((it) => {
    it.effect("a job whose stored event cannot be read is dead at claim, logged, listed; the others are claimed", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const queue = yield* SyncJobQueue
        const logs = yield* SyncLogRepository
        const restaurantId = newRestaurant()
        yield* sql`
          INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, event_key, payload, next_attempt_at,
            created_at, updated_at)
          VALUES ('inbound', ${restaurantId}, 'zenchef', 'reservation', ${`${restaurantId}-damaged`},
            '{"not":"an event"}', '1970-01-01', now(), now())`
        yield* queue.enqueueEvent(restaurantId, webhookEvent())
        const claimed = yield* queue.claim({ limit: 10, leaseMs: 60_000 })
        assert.deepStrictEqual(claimed.map((j) => j.restaurantId), [restaurantId])
        const dead = yield* queue.list({ status: "dead", restaurantId, limit: 10, offset: 0 })
        assert.strictEqual(dead.items.length, 1)
        assert.include(dead.items[0]!.lastError, "its stored event cannot be read")
        const failed = yield* logs.list({ restaurantId, status: "failed", limit: 10, offset: 0 })
        assert.strictEqual(failed.items.length, 1)
      }))

    it.effect("an event built wrong is stored with the others of its batch and dead at its claim, with the reason", () =>
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        const good = webhookEvent()
        const wrong = webhookEvent({ reservation: { ...good.reservation!, partySize: 2.5 } })
        const stored = yield* queue.enqueueEvents([{ restaurantId, event: wrong }, { restaurantId, event: good }])
        assert.deepStrictEqual(stored, [{ duplicate: false }, { duplicate: false }])
        const claimed = yield* queue.claim({ limit: 10, leaseMs: 60_000 })
        assert.deepStrictEqual(claimed.map((j) => j.event?.eventId), [good.eventId])
        const dead = yield* queue.list({ status: "dead", restaurantId, limit: 10, offset: 0 })
        assert.strictEqual(dead.items.length, 1)
        assert.include(dead.items[0]!.lastError, "its stored event cannot be read")
        assert.include(dead.items[0]!.lastError, "partySize")
      }))

    it.effect("a push is written with the caller's transaction (R-5.7)", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* (yield* PlatformConfigRepository).create(configInput(restaurantId, "zenchef"))
        const before = (yield* queue.counts()).pending
        const rolledBack = yield* sql.withTransaction(
          Effect.zipRight(
            queue.enqueuePush(restaurantId, "reservation", "entity-1"),
            Effect.fail("local change rejected")
          )
        ).pipe(Effect.flip)
        assert.strictEqual(rolledBack, "local change rejected")
        assert.strictEqual((yield* queue.counts()).pending, before)
        yield* sql.withTransaction(queue.enqueuePush(restaurantId, "reservation", "entity-1"))
        assert.strictEqual((yield* queue.counts()).pending, before + 1)
      }))

    it.effect("a retry racing a new change of the same entity leaves one waiting push, never a defect", () =>
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* (yield* PlatformConfigRepository).create(configInput(restaurantId, "thefork"))
        yield* Effect.forEach(
          Array.from({ length: 200 }, (_, i) => `entity-${i}`),
          (entityId) =>
            Effect.gen(function*() {
              const { pending } = yield* queue.counts()
              yield* queue.enqueuePush(restaurantId, "reservation", entityId)
              const [job] = yield* queue.claim({ limit: 1, leaseMs: 60_000, direction: "outbound" })
              yield* Effect.all([
                queue.retryLater(job!, "2030-01-01T00:00:00.000Z", "503"),
                queue.enqueuePush(restaurantId, "reservation", entityId)
              ], { concurrency: 2 })
              // Whichever came first, the retried job carries the new change: nothing else waits.
              assert.strictEqual((yield* queue.counts()).pending, pending + 1, entityId)
            })
        )
      }))
  })
})

// Issue 19: the service's queue times leases on PostgreSQL's clock, so an instance whose own clock
// runs five minutes ahead takes no job another instance holds, and its jobs are due at once.
describe("sync job queue on database time", () => {
  const databaseTime = Layer.mergeAll(SyncJobQueueSql, PlatformConfigRepositorySql).pipe(
    Layer.provide(Layer.succeed(QueueTimeSource, "database")),
    Layer.provideMerge(TestDatabaseLive)
  )
  layer(databaseTime)((it) => {
    it.effect("an instance whose clock runs 5 minutes ahead takes no live lease", () =>
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* (yield* PlatformConfigRepository).create(configInput(restaurantId, "zenchef"))
        yield* queue.enqueuePush(restaurantId, "reservation", "entity-1")
        const [held] = yield* queue.claim({ limit: 10, leaseMs: 60_000 })
        assert.strictEqual(held?.entityId, "entity-1")
        const ahead = Effect.provide(
          queue.claim({ limit: 10, leaseMs: 60_000 }),
          Layer.setClock(aheadClock(5 * 60_000))
        )
        assert.deepStrictEqual(yield* ahead, [], "the lease runs on the database's clock")
        // A push queued by the instance ahead is due now, not in five minutes.
        yield* Effect.provide(
          queue.enqueuePush(restaurantId, "reservation", "entity-2"),
          Layer.setClock(aheadClock(5 * 60_000))
        )
        assert.deepStrictEqual((yield* queue.claim({ limit: 10, leaseMs: 60_000 })).map((j) => j.entityId), [
          "entity-2"
        ])
        assert.isTrue(yield* queue.complete(held!))
      }))
  })
})

const aheadClock = (offsetMs: number): Clock.Clock => {
  const clock = Clock.make()
  return {
    ...clock,
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => Date.now() + offsetMs,
    currentTimeMillis: Effect.sync(() => Date.now() + offsetMs),
    unsafeCurrentTimeNanos: () => BigInt(Date.now() + offsetMs) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(Date.now() + offsetMs) * 1_000_000n),
    sleep: clock.sleep
  }
}
