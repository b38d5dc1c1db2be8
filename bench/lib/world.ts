import { randomBytes } from "node:crypto"
import { generateStandardSecret } from "../../src/simulators/kit/webhook-signing.js"
import { callJson } from "./http.js"
import { exec } from "./postgres.js"

/** One restaurant connected to Zenchef in the service, with a room and ten tables mapped to areas/tables 1-10. */
export interface ConnectedRestaurant {
  readonly restaurantId: string
  readonly restaurantUid: string
  readonly apiKey: string
  readonly secret: string
  readonly roomId: string
  readonly tableIds: ReadonlyArray<string>
}

export const TABLES = 10

interface Created {
  readonly id: string
}

/**
 * Connects a restaurant through the public API (as an operator would), then maps its floor plan
 * with one SQL insert: the API has no route for mappings, the floor-plan pull is not under test.
 */
export const connectRestaurant = async (options: {
  readonly serviceUrl: string
  readonly databaseUrl: string
  readonly simulatorUrl: string
  readonly restaurantUid: string
  readonly apiKey?: string
  readonly secret?: string
}): Promise<ConnectedRestaurant> => {
  const restaurantId = `resto-${options.restaurantUid}`
  const apiKey = options.apiKey ?? `key-${randomBytes(6).toString("hex")}`
  const secret = options.secret ?? generateStandardSecret()
  const api = (path: string, body: unknown) => callJson<Created>("POST", `${options.serviceUrl}${path}`, body)
  await api("/api/platform-configs", {
    restaurantId,
    platform: "zenchef",
    credentials: {
      apiKey,
      restaurantUid: options.restaurantUid,
      timezone: "Europe/Paris",
      baseUrl: options.simulatorUrl
    },
    webhookSecret: secret,
    syncEntities: ["reservation"]
  })
  const room = await api("/api/rooms", { restaurantId, name: "Salle", capacity: 60 })
  const tableIds: Array<string> = []
  for (let i = 1; i <= TABLES; i++) {
    tableIds.push((await api("/api/tables", { restaurantId, label: `T${i}`, seats: 4, diningRoomId: room.id })).id)
  }
  const links = [["dining_room", room.id, "1"], ...tableIds.map((id, i) => ["table", id, String(i + 1)])]
  await exec(
    options.databaseUrl,
    `INSERT INTO sync_external_mappings (id, restaurant_id, entity_type, entity_id, platform, external_id, sync_status)
     SELECT gen_random_uuid(), $1, t, e, 'zenchef', x, 'synced' FROM unnest($2::text[], $3::text[], $4::text[]) AS l(t, e, x)`,
    [restaurantId, links.map((l) => l[0]), links.map((l) => l[1]), links.map((l) => l[2])]
  )
  return { restaurantId, restaurantUid: options.restaurantUid, apiKey, secret, roomId: room.id, tableIds }
}

/** The simulator's floor plan for such a restaurant: area 1 with tables 1-10. */
export const simulatorFloorPlan = {
  areas: [{ id: 1, posId: null, name: "Main room", displayName: { en: "Main room", nl: "Grote zaal" }, priority: 1 }],
  tables: Array.from(
    { length: TABLES },
    (_, i) => ({ id: i + 1, posId: null, name: `T${i + 1}`, minPeople: 1, maxPeople: 4, areaId: 1, priority: i + 1 })
  )
}

export const restaurantUidOf = (n: number) => (0x10000000 + n).toString(16)
