import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/** platform configs, id mappings, the audit log, and the durable job queue (outbox + inbox). */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`
CREATE TABLE sync_platform_configs (
  id uuid PRIMARY KEY,
  restaurant_id text NOT NULL,
  platform text NOT NULL,
  -- The platform's own id of the restaurant (not secret): webhooks are routed by it.
  external_restaurant_id text NOT NULL,
  credentials text NOT NULL,
  master_for jsonb NOT NULL,
  sync_entities jsonb NOT NULL,
  supports_webhook boolean NOT NULL,
  webhook_url text,
  webhook_secret text,
  poll_interval_sec integer NOT NULL DEFAULT 300,
  is_active boolean NOT NULL DEFAULT true,
  last_sync_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (restaurant_id, platform),
  UNIQUE (platform, external_restaurant_id)
);

CREATE TABLE sync_external_mappings (
  id uuid PRIMARY KEY,
  restaurant_id text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  platform text NOT NULL,
  external_id text NOT NULL,
  external_secondary_id text,
  external_raw_data jsonb,
  sync_status text NOT NULL,
  synced_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entity_type, entity_id, platform),
  -- Platform ids such as Formitable's table and area numbers are only unique within a
  -- restaurant, so the external side is unique per restaurant (R-3.2, scoped).
  UNIQUE (restaurant_id, platform, entity_type, external_id)
);

CREATE TABLE sync_logs (
  id uuid PRIMARY KEY,
  restaurant_id text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  platform text NOT NULL,
  external_id text,
  direction text NOT NULL,
  action text NOT NULL,
  status text NOT NULL,
  request_payload jsonb,
  response_payload jsonb,
  error_message text,
  conflict_resolution text,
  retry_count integer NOT NULL DEFAULT 0,
  next_retry_at timestamptz,
  duration_ms integer,
  job_id bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_logs_restaurant_time ON sync_logs (restaurant_id, created_at DESC);
CREATE INDEX sync_logs_platform_status_time ON sync_logs (platform, status, created_at DESC);
CREATE INDEX sync_logs_entity ON sync_logs (entity_type, entity_id);
CREATE INDEX sync_logs_time ON sync_logs (created_at DESC);

-- One queue for both directions. Outbound rows are written in the same transaction as the local
-- change (R-5.7); inbound rows are the stored webhook deliveries (R-6.8).
CREATE TABLE sync_jobs (
  id bigserial PRIMARY KEY,
  direction text NOT NULL,
  restaurant_id text NOT NULL,
  platform text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  event_key text,
  payload jsonb,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Claiming: due pending rows in order, and running rows whose worker vanished.
CREATE INDEX sync_jobs_due ON sync_jobs (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX sync_jobs_running ON sync_jobs (locked_until) WHERE status = 'running';
CREATE INDEX sync_jobs_dead ON sync_jobs (updated_at DESC) WHERE status = 'dead';
-- Several local changes waiting for the same push collapse into one job (the push reloads the entity).
CREATE UNIQUE INDEX sync_jobs_one_pending_push ON sync_jobs (platform, entity_type, entity_id)
  WHERE status = 'pending' AND direction = 'outbound';
-- A redelivered webhook is acknowledged and stored once.
CREATE UNIQUE INDEX sync_jobs_event_once ON sync_jobs (platform, event_key) WHERE direction = 'inbound';
`)
})
