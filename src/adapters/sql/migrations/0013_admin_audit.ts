import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 17: the admin audit (who changed configs, keys and the queue), and the operator page's
 * sessions, shared by every instance. A session is stored by the SHA-256 of its id, so reading the
 * table does not open one.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE sync_admin_audit (
      id uuid PRIMARY KEY,
      -- The order of the entries: several may share a millisecond.
      seq bigserial NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      key_id text NOT NULL,
      key_name text NOT NULL,
      action text NOT NULL,
      target text,
      restaurant_id text,
      detail text
    )`
  yield* sql`CREATE INDEX sync_admin_audit_seq ON sync_admin_audit (seq DESC)`
  yield* sql`
    CREATE TABLE sync_ops_sessions (
      id_hash text PRIMARY KEY,
      key_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX sync_ops_sessions_expiry ON sync_ops_sessions (expires_at)`
})
