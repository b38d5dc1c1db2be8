import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 22: an inbound job keeps the W3C `traceparent` of the delivery that stored it, so the
 * attempts that apply it join the delivery's trace, whichever instance or thread claims it.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE sync_jobs ADD COLUMN trace_parent text`
})
