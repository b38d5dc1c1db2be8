import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Pool, type PoolClient } from "pg"
import { cacheStatements, plannedEachRun } from "../../../src/adapters/sql/statement-cache.js"
import { appSettingFrom } from "../../support/app-config.js"
import { freshDatabaseUrl } from "../../support/database.js"

/** One connection, so every statement below meets the same prepared statements. */
const onePool = (capacity: number) =>
  Effect.gen(function*() {
    const url = yield* freshDatabaseUrl
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const pool = new Pool({ connectionString: url, max: 1 })
        // The database is dropped with its connections when the test ends.
        pool.on("error", () => {})
        cacheStatements(pool, capacity)
        return pool
      }),
      (pool) => Effect.promise(() => pool.end())
    )
    const client = yield* Effect.acquireRelease(
      Effect.promise(() => pool.connect()),
      (client) => Effect.sync(() => client.release())
    )
    return client
  })

/** The way @effect/sql-pg calls the driver: text, values, callback. */
const run = (client: PoolClient, text: string, values: ReadonlyArray<unknown>) =>
  Effect.async<ReadonlyArray<Record<string, unknown>>, Error>((resume) => {
    ;(client.query as unknown as (
      t: string,
      v: ReadonlyArray<unknown>,
      cb: (e: Error | null, r?: any) => void
    ) => void)(
      text,
      values,
      (error, result) => resume(error === null ? Effect.succeed(result.rows) : Effect.fail(error))
    )
  })

const prepared = (client: PoolClient) =>
  Effect.map(
    run(client, "SELECT statement FROM pg_prepared_statements WHERE $1::int = 1 ORDER BY prepare_time", [1]),
    (rows) => rows.map((row) => String(row["statement"]))
  )

describe("statement cache", () => {
  it.scoped("prepares a parameterised statement once per connection and runs it by name after", () =>
    Effect.gen(function*() {
      const client = yield* onePool(10)
      const text = "SELECT $1::int + 1 AS n"
      assert.deepStrictEqual(yield* run(client, text, [1]), [{ n: 2 }])
      assert.deepStrictEqual(yield* run(client, text, [41]), [{ n: 42 }])
      const statements = yield* prepared(client)
      // Once, not once per run; the probe's own statement is prepared as well.
      assert.strictEqual(statements.filter((s) => s === text).length, 1)
    }))

  it.scoped("sends a statement without parameters unnamed, as before", () =>
    Effect.gen(function*() {
      const client = yield* onePool(10)
      yield* run(client, "SELECT 1 AS one", [])
      const statements = yield* prepared(client)
      assert.isFalse(statements.some((s) => s.includes("SELECT 1 AS one")))
    }))

  it.scoped("sends a statement that begins with plannedEachRun unnamed, planned again on each run", () =>
    Effect.gen(function*() {
      const client = yield* onePool(10)
      const text = `${plannedEachRun} SELECT $1::int AS replanned`
      assert.deepStrictEqual(yield* run(client, text, [3]), [{ replanned: 3 }])
      assert.deepStrictEqual(yield* run(client, text, [4]), [{ replanned: 4 }])
      const statements = yield* prepared(client)
      assert.isFalse(statements.some((s) => s.includes("replanned")))
    }))

  it.scoped("keeps the most recently used statements and deallocates the one it drops", () =>
    Effect.gen(function*() {
      const client = yield* onePool(2)
      const a = "SELECT $1::int AS a"
      const b = "SELECT $1::int AS b"
      const c = "SELECT $1::int AS c"
      yield* run(client, a, [1])
      yield* run(client, b, [1])
      yield* run(client, a, [2]) // a is now the more recent of the two
      yield* run(client, c, [1]) // b goes
      const statements = yield* prepared(client) // the probe makes a third: a goes
      assert.deepStrictEqual(statements.filter((s) => [a, b, c].includes(s)).sort(), [c])
      // A dropped text is prepared again under a new name and still answers.
      assert.deepStrictEqual(yield* run(client, b, [7]), [{ b: 7 }])
    }))

  it.scoped("with capacity 0, prepares nothing", () =>
    Effect.gen(function*() {
      const client = yield* onePool(0)
      yield* run(client, "SELECT $1::int AS a", [1])
      assert.deepStrictEqual(yield* prepared(client), [])
    }))

  it.scoped("after a migration changes a table's columns, the statement fails once and is prepared again", () =>
    Effect.gen(function*() {
      const client = yield* onePool(10)
      yield* run(client, "CREATE TABLE t (id int, a text)", [])
      yield* run(client, "INSERT INTO t VALUES (1, 'x')", [])
      const text = "SELECT * FROM t WHERE id = $1"
      assert.deepStrictEqual(yield* run(client, text, [1]), [{ id: 1, a: "x" }])
      yield* run(client, "ALTER TABLE t ADD COLUMN b text", [])
      const stale = yield* Effect.flip(run(client, text, [1]))
      assert.include(stale.message, "cached plan must not change result type")
      assert.deepStrictEqual(yield* run(client, text, [1]), [{ id: 1, a: "x", b: null }])
    }))

  it.effect("DATABASE_STATEMENT_CACHE: 100 by default, 0 turns it off, a negative size is refused", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) => appSettingFrom(env, (config) => config.databaseStatementCache)
      assert.deepStrictEqual(read({}), Exit.succeed(100))
      assert.deepStrictEqual(read({ DATABASE_STATEMENT_CACHE: "0" }), Exit.succeed(0))
      assert.isTrue(Exit.isFailure(read({ DATABASE_STATEMENT_CACHE: "-1" })))
    }))
})
