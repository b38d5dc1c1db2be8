import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { testDatabaseWith } from "../../support/database.js"
import { pagesReadBy } from "../../support/pages-read.js"

// One connection: every claim below meets the plans the ones before it left there.
const queueOnOneConnection = SyncJobQueueSql.pipe(Layer.provideMerge(testDatabaseWith(1)))

const backlog = 3_000

describe("job claims and the queue's size", () => {
  layer(queueOnOneConnection)((it) => {
    it.effect("a claim first run on an empty queue still reads a burst of jobs along its indexes", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const queue = yield* SyncJobQueue
        // An emptied queue, as autovacuum leaves it: PostgreSQL then plans for a table without rows.
        yield* sql`VACUUM ANALYZE sync_jobs`
        // More runs than PostgreSQL needs before it keeps one plan for all runs of a prepared statement.
        for (let run = 0; run < 10; run++) {
          assert.deepStrictEqual(yield* queue.claim({ limit: 150, leaseMs: 60_000, direction: "outbound" }), [])
        }
        // A dinner rush: thousands of pushes queued within a second, long before any autovacuum.
        yield* sql`
          INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, entity_id, next_attempt_at)
          SELECT 'outbound', 'restaurant-' || (n % 50), 'zenchef', 'reservation', 'reservation-' || n,
            '1969-12-31'::timestamptz + n * interval '1 millisecond'
          FROM generate_series(1, ${backlog}) AS n`
        const { pages: pagesRead, result: claimed } = yield* pagesReadBy(
          "sync_jobs",
          queue.claim({ limit: 150, leaseMs: 60_000, direction: "outbound" })
        )
        assert.strictEqual(claimed.length, 150)
        assert.deepStrictEqual(claimed.slice(0, 2).map((job) => job.entityId), ["reservation-1", "reservation-2"])
        // Planned for the rows there now: about ten pages per claimed job (1,524 in all). A plan
        // kept from the empty queue reads the whole table once per job it looks at (330,924).
        assert.isBelow(pagesRead, 20 * 150, `pages of sync_jobs read by one claim: ${pagesRead}`)
      }))
  })
})
