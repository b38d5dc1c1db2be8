import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * How many times a worker took each job. A job taken once and never failed cannot have reached
 * the platform before, so its create may skip the look-up that guards against duplicates.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE sync_jobs ADD COLUMN claims integer NOT NULL DEFAULT 0`
})
