import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 19: several instances share the platforms' per-key rate limits. One token bucket per
 * platform and (hashed) API key, refilled on PostgreSQL's clock; a request takes a token in one
 * statement and, when the bucket is in debt, waits its turn. (Job fencing itself needs no new
 * column: a job's claim count is its fencing token.)
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE platform_rate_buckets (
      key text PRIMARY KEY,
      tokens double precision NOT NULL,
      refilled_at timestamptz NOT NULL
    )`
})
