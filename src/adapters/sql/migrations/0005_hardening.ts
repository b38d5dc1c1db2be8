import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 18. Existing rows are kept: the per-config dedupe index is looser than the one it
 * replaces, so every stored event still fits it.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`
-- Dedupe per config (a config is one restaurant on one platform): one restaurant's event id can
-- no longer silence another restaurant's delivery.
CREATE UNIQUE INDEX sync_jobs_event_once_per_config ON sync_jobs (restaurant_id, platform, event_key)
  WHERE direction = 'inbound';
DROP INDEX sync_jobs_event_once;

-- Retention: settled jobs are deleted oldest first, in small batches.
CREATE INDEX sync_jobs_settled ON sync_jobs (updated_at) WHERE status = 'done';

-- Webhook secret rotation: the previous secret is still accepted until the end of its overlap.
ALTER TABLE sync_platform_configs ADD COLUMN webhook_secret_previous text;
ALTER TABLE sync_platform_configs ADD COLUMN webhook_secret_previous_until timestamptz;

-- A value encrypted with the credentials key: decrypting it at start tells whether this instance
-- has the key the stored credentials were written with.
CREATE TABLE sync_credentials_canary (
  id smallint PRIMARY KEY CHECK (id = 1),
  ciphertext text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`)
})
