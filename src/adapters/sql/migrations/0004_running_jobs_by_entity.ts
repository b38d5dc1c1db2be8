import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * A claim checks, for each due push, that no job of the same entity is running: looked up by
 * entity, that check no longer reads every running job once per candidate.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX sync_jobs_running_entity ON sync_jobs (platform, entity_type, entity_id) WHERE status = 'running'`
})
