import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Every platform request takes a token from `platform_rate_buckets` in a statement of its own, and
 * a logged table makes each of those commits wait for a WAL flush: one more disk write per push.
 * A bucket only paces the next few seconds of requests, so it is kept out of the WAL. After a
 * crash (or on a promoted standby) the buckets start full again: at worst one burst meets the
 * platform's own limit, whose 429s are retried after their Retry-After.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE platform_rate_buckets SET UNLOGGED`
})
