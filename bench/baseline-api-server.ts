/**
 * The API writes baseline: what a user could write by hand instead of the service's reservation
 * routes. node:http + pg, no framework, plain parameterised queries. It does the work the service
 * does for POST /api/reservations and PATCH /api/reservations/:id, statement for statement:
 * the bearer key looked up by its SHA-256 (issue 17) and the restaurant checked against it, the
 * referenced room and tables checked to be the restaurant's, then one transaction of the
 * reservation insert or update, its change-log entry (issue 21) and one outbox job per active
 * platform config that syncs reservations, coalesced like the service's. Run as a child
 * process by bench/run.ts, on a database holding the same keys, floor plans and configs.
 */
import { createHash, randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import pg from "pg"
// The service's own default: both sides of a comparison take as many connections.
import { defaultPoolSize } from "../src/adapters/sql/pool-size.js"

const port = Number(process.env["PORT"] ?? "3200")
const pool = new pg.Pool({
  connectionString: process.env["DATABASE_URL"],
  max: Number(process.env["DATABASE_POOL_SIZE"] ?? defaultPoolSize)
})

type Row = Record<string, unknown>

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
const toEntity = (row: Row) => {
  const entity: Row = {}
  for (const [key, value] of Object.entries(row)) {
    entity[camel(key)] = value instanceof Date
      ? value.toISOString()
      : value
  }
  return entity
}

const reply = (res: ServerResponse, status: number, value: unknown) => {
  const text = JSON.stringify(value)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

class Refused {
  constructor(readonly status: number, readonly message: string) {}
}

/** The caller's restaurants (null: all of them), from its bearer key; refused when unknown or revoked. */
const authenticate = async (req: IncomingMessage) => {
  const header = req.headers["authorization"] ?? ""
  const key = header.startsWith("Bearer ") ? header.slice(7).trim() : ""
  if (!key.startsWith("ars_")) throw new Refused(401, "unauthenticated")
  const hash = createHash("sha256").update(key, "utf8").digest("hex")
  const { rows } = await pool.query<{ restaurants: Array<string> | null; revoked_at: Date | null }>(
    "SELECT restaurants, revoked_at FROM sync_api_keys WHERE key_hash = $1",
    [hash]
  )
  const found = rows[0]
  if (found === undefined || found.revoked_at !== null) throw new Refused(401, "unauthenticated")
  return found.restaurants
}

const allowed = (restaurants: Array<string> | null, restaurantId: string) =>
  restaurants === null || restaurants.includes(restaurantId)

/** The room and tables a reservation names must be its restaurant's. */
const checkReferences = async (restaurantId: string, body: Row) => {
  const room = typeof body["diningRoomId"] === "string" ? [body["diningRoomId"]] : []
  const tables = Array.isArray(body["tableIds"])
    ? body["tableIds"].filter((t): t is string => typeof t === "string")
    : []
  for (const [table, ids] of [["dining_rooms", room], ["dining_tables", tables]] as const) {
    if (ids.length === 0) continue
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE id = ANY($1::uuid[]) AND restaurant_id = $2`,
      [ids, restaurantId]
    )
    if (rows.length !== new Set(ids).size) throw new Refused(400, `unknown ${table}`)
  }
}

/** The reservation write, its change-log entry and its outbox jobs, in one transaction. */
const inTransaction = async (write: (client: pg.PoolClient) => Promise<Row | undefined>, action: string) => {
  const client = await pool.connect()
  try {
    await client.query("BEGIN")
    const row = await write(client)
    if (row === undefined) {
      await client.query("ROLLBACK")
      return undefined
    }
    const entity = toEntity(row)
    await client.query(
      `INSERT INTO change_log (restaurant_id, entity_type, entity_id, action, version, origin, occurred_at, record)
       VALUES ($1, 'reservation', $2, $3, $4, 'api', $5, $6)`,
      [row["restaurant_id"], row["id"], action, row["version"], entity["updatedAt"], JSON.stringify(entity)]
    )
    await client.query(
      `INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, entity_id, next_attempt_at, created_at, updated_at)
       SELECT 'outbound', restaurant_id, platform, 'reservation', $2, now(), now(), now()
       FROM sync_platform_configs WHERE restaurant_id = $1 AND is_active AND sync_entities ? 'reservation'
       ON CONFLICT (platform, entity_type, entity_id) WHERE status = 'pending' AND direction = 'outbound'
       DO UPDATE SET next_attempt_at = LEAST(sync_jobs.next_attempt_at, EXCLUDED.next_attempt_at), updated_at = EXCLUDED.updated_at`,
      [row["restaurant_id"], row["id"]]
    )
    await client.query("COMMIT")
    return entity
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

const create = async (restaurants: Array<string> | null, body: Row) => {
  const restaurantId = body["restaurantId"]
  if (
    typeof restaurantId !== "string" || typeof body["customerName"] !== "string" ||
    typeof body["customerPhone"] !== "string" ||
    typeof body["partySize"] !== "number" || typeof body["reservationTime"] !== "string"
  ) throw new Refused(400, "invalid reservation")
  if (!allowed(restaurants, restaurantId)) throw new Refused(403, "not your restaurant")
  await checkReferences(restaurantId, body)
  return inTransaction((client) =>
    client.query(
      `INSERT INTO reservations (id, restaurant_id, customer_name, customer_phone, party_size, reservation_time, status, source,
         allergies, dietary_restrictions, dining_room_id, table_ids)
       VALUES ($1, $2, $3, $4, $5, $6, 'confirmed', 'phone', $7, '[]', $8, $9) RETURNING *`,
      [
        randomUUID(),
        restaurantId,
        body["customerName"],
        body["customerPhone"],
        body["partySize"],
        body["reservationTime"],
        JSON.stringify(body["allergies"] ?? []),
        body["diningRoomId"] ?? null,
        JSON.stringify(body["tableIds"] ?? [])
      ]
    ).then((r) => r.rows[0]), "create")
}

// The fields the bench patches, and their columns: a hand-written server lists what it accepts.
const patchable: Record<string, string> = {
  partySize: "party_size",
  notes: "notes",
  customerName: "customer_name",
  reservationTime: "reservation_time"
}

const update = async (restaurants: Array<string> | null, id: string, body: Row) => {
  const current = await pool.query<{ restaurant_id: string }>("SELECT * FROM reservations WHERE id = $1", [id])
  const restaurantId = current.rows[0]?.restaurant_id
  if (restaurantId === undefined || !allowed(restaurants, restaurantId)) throw new Refused(404, "not found")
  const fields = Object.keys(body).filter((k) => patchable[k] !== undefined)
  if (fields.length === 0) return toEntity(current.rows[0]!)
  const set = fields.map((f, i) => `${patchable[f]} = $${i + 2}`).join(", ")
  return inTransaction(
    (client) =>
      client.query(
        `UPDATE reservations SET ${set}, updated_at = clock_timestamp(), version = version + 1 WHERE id = $1 RETURNING *`,
        [
          id,
          ...fields.map((f) => body[f])
        ]
      ).then((r) => r.rows[0]),
    "update"
  )
}

const readJson = async (req: IncomingMessage): Promise<Row> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"))
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Row
  } catch {
    // answered below
  }
  throw new Refused(400, "malformed")
}

const handle = async (req: IncomingMessage, res: ServerResponse) => {
  if (req.method === "GET" && req.url === "/health") return reply(res, 200, { status: "ok" })
  const patch = /^\/api\/reservations\/([0-9a-f-]{36})$/.exec(req.url ?? "")
  if (!(req.method === "POST" && req.url === "/api/reservations") && !(req.method === "PATCH" && patch !== null)) {
    return reply(res, 404, { error: "not found" })
  }
  const restaurants = await authenticate(req)
  const body = await readJson(req)
  const entity = patch === null ? await create(restaurants, body) : await update(restaurants, patch[1]!, body)
  if (entity === undefined) return reply(res, 404, { error: "not found" })
  reply(res, patch === null ? 201 : 200, entity)
}

createServer((req, res) => {
  handle(req, res).catch((error: unknown) =>
    error instanceof Refused
      ? reply(res, error.status, { error: error.message })
      : reply(res, 503, { error: "unavailable" })
  )
}).listen(port, "127.0.0.1")
