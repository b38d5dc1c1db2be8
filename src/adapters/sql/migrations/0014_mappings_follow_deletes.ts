import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import { entityTables } from "../entity-tables.js"

/**
 * Issue 19: a local record deleted straight in the database (not through the API, which removes
 * its mappings itself) takes its mappings with it, so inbound resolution never links a platform
 * booking to a row that is gone (a foreign-key failure on every retry). Mappings already left
 * dangling by such deletes are removed here once.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE FUNCTION sync_forget_deleted_mappings() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM sync_external_mappings WHERE entity_type = TG_ARGV[0] AND entity_id = OLD.id::text;
      RETURN OLD;
    END
    $$`
  for (const { entityType, table } of Object.values(entityTables)) {
    yield* sql.unsafe(
      `CREATE TRIGGER ${table}_forget_mappings AFTER DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION sync_forget_deleted_mappings('${entityType}')`
    )
    yield* sql.unsafe(
      `DELETE FROM sync_external_mappings m WHERE m.entity_type = '${entityType}'
       AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id::text = m.entity_id)`
    )
  }
})
