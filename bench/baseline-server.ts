/**
 * The baseline: what a user could write by hand instead of the service. node:http + pg, no
 * framework; it verifies the Standard Webhooks signature and applies the event inside the request,
 * in one transaction of the same five statements the service runs (inbox insert, mapping lookup,
 * reservation insert or update, mapping upsert, log insert). Plain parameterised queries, as
 * such a server would be written. Run as a child process by bench/run.ts.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import pg from "pg"
// The service's own default: both sides of a comparison take as many connections.
import { defaultPoolSize } from "../src/adapters/sql/pool-size.js"

const port = Number(process.env["PORT"] ?? "3100")
// restaurantUid -> whsec_ secret, handed over by the bench.
const secrets = new Map(Object.entries(JSON.parse(process.env["BASELINE_SECRETS"] ?? "{}") as Record<string, string>))
const pool = new pg.Pool({
  connectionString: process.env["DATABASE_URL"],
  max: Number(process.env["DATABASE_POOL_SIZE"] ?? defaultPoolSize)
})

interface Booking {
  readonly uid: string
  readonly bookingDateTime: string
  readonly bookingDuration?: number
  readonly numberOfPeople: number
  readonly firstName?: string | null
  readonly lastName?: string | null
  readonly telephone?: string | null
  readonly email?: string | null
  readonly comments?: string | null
}

interface Envelope {
  readonly event: string
  readonly restaurantUid: string
  readonly booking: Booking
}

const verified = (headers: IncomingMessage["headers"], body: string, secret: string) => {
  const id = headers["webhook-id"]
  const timestamp = headers["webhook-timestamp"]
  const signature = headers["webhook-signature"]
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signature !== "string") return false
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64")
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest()
  return signature.split(" ").some((s) => {
    const given = Buffer.from(s.split(",")[1] ?? "", "base64")
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

const apply = async (eventId: string, envelope: Envelope, body: string) => {
  const restaurantId = `resto-${envelope.restaurantUid}`
  const b = envelope.booking
  const client = await pool.connect()
  try {
    await client.query("BEGIN")
    const inbox = await client.query(
      `INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, event_key, payload, status)
       VALUES ('inbound', $1, 'zenchef', 'reservation', $2, $3, 'done')
       ON CONFLICT (restaurant_id, platform, event_key) WHERE direction = 'inbound' DO NOTHING RETURNING id`,
      [restaurantId, eventId, body]
    )
    if (inbox.rowCount === 0) {
      await client.query("COMMIT")
      return { received: 1, duplicates: 1 }
    }
    const mapping = await client.query<{ entity_id: string }>(
      `SELECT * FROM sync_external_mappings WHERE restaurant_id = $1 AND platform = 'zenchef' AND entity_type = 'reservation' AND external_id = $2`,
      [restaurantId, b.uid]
    )
    const name = [b.firstName, b.lastName].filter(Boolean).join(" ") || "Guest"
    const existing = mapping.rows[0]?.entity_id
    const reservationId = existing ?? randomUUID()
    if (existing === undefined) {
      await client.query(
        `INSERT INTO reservations (id, restaurant_id, customer_name, customer_phone, customer_email, party_size, reservation_time, duration_min, status, source, notes, allergies, dietary_restrictions, table_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamp AT TIME ZONE 'Europe/Paris', $8, 'confirmed', 'zenchef', $9, '[]', '[]', '[]') RETURNING *`,
        [
          reservationId,
          restaurantId,
          name,
          b.telephone ?? "",
          b.email ?? null,
          b.numberOfPeople,
          b.bookingDateTime,
          b.bookingDuration ?? null,
          b.comments ?? null
        ]
      )
    } else {
      await client.query(
        `UPDATE reservations SET customer_name = $2, party_size = $3, reservation_time = $4::timestamp AT TIME ZONE 'Europe/Paris', notes = $5,
           updated_at = clock_timestamp(), version = version + 1 WHERE id = $1 RETURNING *`,
        [reservationId, name, b.numberOfPeople, b.bookingDateTime, b.comments ?? null]
      )
    }
    await client.query(
      `INSERT INTO sync_external_mappings (id, restaurant_id, entity_type, entity_id, platform, external_id, external_raw_data, sync_status, synced_at)
       VALUES ($1, $2, 'reservation', $3, 'zenchef', $4, $5, 'synced', now())
       ON CONFLICT (entity_type, entity_id, platform) DO UPDATE SET external_id = EXCLUDED.external_id,
         external_raw_data = EXCLUDED.external_raw_data, sync_status = EXCLUDED.sync_status, synced_at = EXCLUDED.synced_at, updated_at = now()
       RETURNING *`,
      [randomUUID(), restaurantId, reservationId, b.uid, JSON.stringify({ lastEventId: eventId })]
    )
    await client.query(
      `INSERT INTO sync_logs (id, restaurant_id, entity_type, entity_id, platform, external_id, direction, action, status, request_payload)
       VALUES ($1, $2, 'reservation', $3, 'zenchef', $4, 'inbound', $5, 'success', $6) RETURNING *`,
      [randomUUID(), restaurantId, reservationId, b.uid, existing === undefined ? "create" : "update", body]
    )
    await client.query("COMMIT")
    return { received: 1, duplicates: 0 }
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

const reply = (res: ServerResponse, status: number, value: unknown) => {
  const text = JSON.stringify(value)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

const handle = async (req: IncomingMessage, res: ServerResponse) => {
  if (req.method === "GET" && req.url === "/health") return reply(res, 200, { status: "ok" })
  if (req.method !== "POST" || req.url !== "/api/webhooks/zenchef") return reply(res, 404, { error: "not found" })
  const chunks: Array<Buffer> = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString("utf8")
  let envelope: Envelope
  try {
    envelope = JSON.parse(body) as Envelope
  } catch {
    return reply(res, 400, { error: "malformed" })
  }
  const secret = secrets.get(envelope.restaurantUid)
  if (secret === undefined || !verified(req.headers, body, secret)) return reply(res, 401, { error: "unauthenticated" })
  reply(res, 200, await apply(String(req.headers["webhook-id"]), envelope, body))
}

createServer((req, res) => {
  handle(req, res).catch(() => reply(res, 503, { error: "unavailable" }))
}).listen(port, "127.0.0.1")
