import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 21, the change feed. `change_log` gets one row per write of an entity, in the write's
 * transaction; `xid` is that transaction's id, so a reader can leave out entries of transactions
 * still in flight (README, Following changes). `app_webhook_deliveries` queues entries for the
 * main app's webhook, and `change_feed_positions` holds how far that queue has read the feed.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE change_log (
      sequence bigserial PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      restaurant_id text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      action text NOT NULL CHECK (action IN ('create', 'update', 'cancel', 'delete')),
      version integer,
      origin text NOT NULL,
      occurred_at timestamptz NOT NULL,
      record jsonb NOT NULL
    )`
  yield* sql`CREATE INDEX change_log_position ON change_log (xid, sequence)`
  yield* sql`CREATE INDEX change_log_restaurant_position ON change_log (restaurant_id, xid, sequence)`
  yield* sql`
    CREATE TABLE change_feed_positions (
      name text PRIMARY KEY,
      after_xid xid8 NOT NULL,
      after_sequence bigint NOT NULL
    )`
  yield* sql`
    CREATE TABLE app_webhook_deliveries (
      change_sequence bigint PRIMARY KEY REFERENCES change_log (sequence) ON DELETE CASCADE,
      restaurant_id text NOT NULL,
      xid xid8 NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      claimed_until timestamptz,
      last_error text,
      delivered_at timestamptz
    )`
  yield* sql`
    CREATE INDEX app_webhook_deliveries_pending ON app_webhook_deliveries (restaurant_id, xid, change_sequence)
    WHERE status = 'pending'`
  yield* sql`CREATE INDEX app_webhook_deliveries_dead ON app_webhook_deliveries (change_sequence) WHERE status = 'dead'`
})
