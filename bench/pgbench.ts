import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { promisify } from "node:util"
import { exec } from "./lib/postgres.js"
import { bookingEnvelope } from "./lib/webhooks.js"

const run = promisify(execFile)

export interface PgbenchResult {
  readonly clients: number
  readonly seconds: number
  readonly tps: number
  readonly latencyMs: number
  readonly failed: number
}

const candidates = [
  "/usr/lib/postgresql/15/bin/pgbench",
  "/usr/lib/postgresql/16/bin/pgbench",
  "/usr/lib/postgresql/17/bin/pgbench"
]

const firstExisting = async () => {
  for (const file of candidates) if (await fs.access(file).then(() => true, () => false)) return file
  return undefined
}

/** Debian's pgbench, installed from postgresql-15 when a fresh machine lacks it. */
export const findPgbench = async (log: (line: string) => void) => {
  const found = await firstExisting()
  if (found !== undefined) return found
  log("pgbench missing: apt-get install postgresql-15")
  try {
    await run("apt-get", ["update"], { maxBuffer: 1 << 26 })
    await run("apt-get", ["install", "-y", "--no-install-recommends", "postgresql-15"], {
      maxBuffer: 1 << 26,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
    })
  } catch (error) {
    log(`could not install pgbench: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`)
  }
  return firstExisting()
}

const SEEDED = 10_000
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * The statements one inbound webhook costs the service, copied from src/adapters/sql (sync-job-queue
 * enqueueEvent, mapping-repository findByExternal and upsert, entity-repository create/update,
 * sync-log-repository append), in one transaction: half new bookings, half changes of seeded ones.
 */
export const eventScript = () => {
  // pgbench would read the JSON's ":" as variables: the body comes from an immutable function, folded
  // into the plan like a literal.
  const payload = "bench_payload()"
  const ext = `'pg-' || :client_id || '-' || :ev`
  const newId = `md5('r-' || :client_id || '-' || :ev)::uuid`
  const seedId = `md5('seed-' || :seed)::uuid`
  return `\\set ev random(1, 1000000000000)
\\set seed random(1, ${SEEDED})
\\set upd random(0, 1)
BEGIN;
INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, entity_id, event_key, payload, next_attempt_at, created_at, updated_at)
  VALUES ('inbound', 'resto-pgbench', 'zenchef', 'reservation', NULL, ${ext}, ${payload}, now(), now(), now())
  ON CONFLICT (restaurant_id, platform, event_key) WHERE direction = 'inbound' DO NOTHING RETURNING id;
\\if :upd
SELECT * FROM sync_external_mappings WHERE restaurant_id = 'resto-pgbench' AND platform = 'zenchef' AND entity_type = 'reservation' AND external_id = 'seed-' || :seed;
UPDATE reservations SET party_size = 5, notes = 'Allergies: gluten, peanuts', allergies = '["gluten","peanuts"]', updated_at = clock_timestamp(), version = version + 1
  WHERE id = ${seedId} RETURNING *;
INSERT INTO sync_external_mappings (id, restaurant_id, entity_type, entity_id, platform, external_id, external_secondary_id, external_raw_data, sync_status, synced_at, created_at, updated_at)
  VALUES (gen_random_uuid(), 'resto-pgbench', 'reservation', ${seedId}::text, 'zenchef', 'seed-' || :seed, NULL, '{"lastEventAt":"2030-01-01T00:00:00.000Z","lastEventId":"x"}', 'synced', now(), now(), now())
  ON CONFLICT (entity_type, entity_id, platform) DO UPDATE SET external_id = EXCLUDED.external_id, external_secondary_id = EXCLUDED.external_secondary_id,
    external_raw_data = EXCLUDED.external_raw_data, sync_status = EXCLUDED.sync_status, synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at RETURNING *;
\\else
SELECT * FROM sync_external_mappings WHERE restaurant_id = 'resto-pgbench' AND platform = 'zenchef' AND entity_type = 'reservation' AND external_id = ${ext};
INSERT INTO reservations (id, restaurant_id, customer_name, customer_phone, customer_email, party_size, reservation_time, duration_min, status, source, notes, allergies, dietary_restrictions, table_ids)
  VALUES (${newId}, 'resto-pgbench', 'Guest Benchmark', '+33600000000', 'guest@example.com', 4, '2030-06-07T17:30:00Z', 120, 'confirmed', 'zenchef', 'Allergies: gluten', '["gluten"]', '[]', '["t1","t2"]') RETURNING *;
INSERT INTO sync_external_mappings (id, restaurant_id, entity_type, entity_id, platform, external_id, external_secondary_id, external_raw_data, sync_status, synced_at, created_at, updated_at)
  VALUES (gen_random_uuid(), 'resto-pgbench', 'reservation', ${newId}::text, 'zenchef', ${ext}, NULL, '{"lastEventAt":"2030-01-01T00:00:00.000Z","lastEventId":"x"}', 'synced', now(), now(), now())
  ON CONFLICT (entity_type, entity_id, platform) DO UPDATE SET external_id = EXCLUDED.external_id, external_secondary_id = EXCLUDED.external_secondary_id,
    external_raw_data = EXCLUDED.external_raw_data, sync_status = EXCLUDED.sync_status, synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at RETURNING *;
\\endif
INSERT INTO sync_logs (id, restaurant_id, entity_type, entity_id, platform, external_id, direction, action, status, request_payload, response_payload, error_message, conflict_resolution, retry_count, next_retry_at, duration_ms, job_id, created_at)
  VALUES (gen_random_uuid(), 'resto-pgbench', 'reservation', NULL, 'zenchef', ${ext}, 'inbound', 'create', 'success', ${payload}, NULL, NULL, NULL, 0, NULL, 3, NULL, now()) RETURNING *;
COMMIT;
`
}

/** Existing bookings for the "changed" half (reservations and mappings keyed seed-1..N), and the body. */
export const seedPgbenchDatabase = async (url: string) => {
  const body = bookingEnvelope({
    restaurantUid: "10000001",
    uid: "pgbench",
    eventId: "pgbench",
    event: "booking.created",
    guest: 1,
    tables: 2,
    revision: 0
  })
  await exec(
    url,
    `CREATE FUNCTION bench_payload() RETURNS jsonb IMMUTABLE LANGUAGE sql AS $$ SELECT ${quote(body)}::jsonb $$`
  )
  await exec(
    url,
    `
    WITH r AS (
      INSERT INTO reservations (id, restaurant_id, customer_name, customer_phone, party_size, reservation_time, status, source, allergies, dietary_restrictions, table_ids)
      SELECT md5('seed-' || i)::uuid, 'resto-pgbench', 'Seeded guest', '+33600000000', 2, '2030-06-07T17:30:00Z', 'confirmed', 'zenchef', '[]', '[]', '[]'
      FROM generate_series(1, ${SEEDED}) AS i RETURNING id)
    INSERT INTO sync_external_mappings (id, restaurant_id, entity_type, entity_id, platform, external_id, sync_status)
    SELECT gen_random_uuid(), 'resto-pgbench', 'reservation', md5('seed-' || i)::uuid::text, 'zenchef', 'seed-' || i, 'synced'
    FROM generate_series(1, ${SEEDED}) AS i`
  )
}

/** pgbench -M prepared against `url` with the event script: the database's own ceiling for this work. */
export const runPgbench = async (
  options: {
    readonly binary: string
    readonly url: string
    readonly workDir: string
    readonly clients: number
    readonly seconds: number
  }
): Promise<PgbenchResult> => {
  const script = path.join(options.workDir, "inbound-event.sql")
  await fs.writeFile(script, eventScript())
  const u = new URL(options.url)
  const { stdout } = await run(options.binary, [
    "-n",
    "-M",
    "prepared",
    "-c",
    String(options.clients),
    "-j",
    "2",
    "-T",
    String(options.seconds),
    "-f",
    script,
    "-h",
    u.hostname,
    "-p",
    u.port,
    "-U",
    decodeURIComponent(u.username),
    u.pathname.slice(1)
  ], { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, maxBuffer: 1 << 24 })
  const number = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? "NaN")
  return {
    clients: options.clients,
    seconds: options.seconds,
    tps: number(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyMs: number(/latency average = ([\d.]+) ms/),
    failed: number(/number of failed transactions: (\d+)/) || 0
  }
}
