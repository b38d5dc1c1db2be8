import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Runs `work` in a transaction and counts the pages of `table` it read (heap pages, indexes
 * apart). The counter holds what the connection read since it last reported its statistics,
 * which it does between transactions only: the difference within one transaction is `work`'s alone.
 */
export const pagesReadBy = <A, E, R>(table: string, work: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const pagesRead = Effect.map(
      sql<{ readonly pages: number }>`SELECT pg_stat_get_xact_blocks_fetched(${table}::regclass) AS pages`,
      ([read]) => read!.pages
    )
    return yield* sql.withTransaction(Effect.gen(function*() {
      const before = yield* pagesRead
      const result = yield* work
      return { result, pages: (yield* pagesRead) - before }
    }))
  })
