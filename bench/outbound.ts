import type { ZenchefSimulatorHandle } from "../src/simulators/zenchef/index.js"
import type { CpuProbe } from "./lib/cpu.js"
import { callJson, forEachConcurrent } from "./lib/http.js"
import { sleep } from "./lib/service.js"
import { apiRequests, run, totalBookings } from "./lib/simulator.js"
import type { ConnectedRestaurant } from "./lib/world.js"

export interface OutboundResult {
  readonly restaurants: number
  readonly changes: number
  readonly limitPerWindow: number
  readonly windowSeconds: number
  readonly postSeconds: number
  readonly seconds: number
  readonly onSimulator: number
  /** Bookings on the simulator when the last API write was answered: pushed while writes went on. */
  readonly onSimulatorAfterWrites: number
  readonly requestsServed: number
  /** requests served ÷ (restaurants × limit per window) × window: what the rate limits allow at best. */
  readonly idealSeconds: number
  readonly ofIdeal: number
  readonly rateLimited: number
  readonly complete: boolean
  /** Cores busy while the API writes ran and after them, until the last push (null off Linux). */
  readonly cpu: { readonly writes: CoresBusy; readonly pushesAfter: CoresBusy } | null
}

/**
 * Cores each side kept busy over a phase: the service (all threads), PostgreSQL, and this bench
 * process, which runs both the load generator and the simulator. Their sum against the machine's
 * cores tells whether a phase was bound by CPU or by waiting.
 */
export interface CoresBusy {
  readonly seconds: number
  readonly service: number
  readonly database: number
  readonly bench: number
}

const phaseText = (c: CoresBusy) =>
  `service ${c.service.toFixed(2)}, PostgreSQL ${c.database.toFixed(2)}, bench ${c.bench.toFixed(2)} (sum ${
    (c.service + c.database + c.bench).toFixed(2)
  })`

/** The cores each side kept busy, during the writes and after them. */
export const coresBusyText = (cpu: NonNullable<OutboundResult["cpu"]>) =>
  `during the writes (${cpu.writes.seconds} s) ${phaseText(cpu.writes)}; after them (${cpu.pushesAfter.seconds} s) ${
    phaseText(cpu.pushesAfter)
  }`

interface CpuReading {
  readonly at: number
  readonly server: number | undefined
  readonly database: number | undefined
  readonly bench: number
}

const readCpu = (probe: CpuProbe): CpuReading => {
  const { system, user } = process.cpuUsage()
  return { at: Date.now(), ...probe.read(), bench: (system + user) / 1e6 }
}

const coresBusy = (from: CpuReading, to: CpuReading): CoresBusy | null => {
  const seconds = (to.at - from.at) / 1000
  if (
    seconds <= 0 || from.server === undefined || to.server === undefined || from.database === undefined ||
    to.database === undefined
  ) return null
  const cores = (a: number, b: number) => Math.round(((b - a) / seconds) * 100) / 100
  return {
    seconds: Math.round(seconds * 10) / 10,
    service: cores(from.server, to.server),
    database: cores(from.database, to.database),
    bench: cores(from.bench, to.bench)
  }
}

/** A local reservation as the API takes it, on `tables` of the restaurant's mapped tables. */
export const reservationPayload = (r: ConnectedRestaurant, n: number, tables: number) => ({
  restaurantId: r.restaurantId,
  customerName: `Guest ${n}`,
  customerPhone: `+3361${String(n).padStart(7, "0")}`,
  partySize: 2 + (n % 4),
  reservationTime: new Date(Date.UTC(2030, 5, 1 + (n % 28), 17 + (n % 4), 30)).toISOString(),
  diningRoomId: r.roomId,
  tableIds: r.tableIds.slice(0, tables),
  allergies: []
})

/**
 * `perRestaurant` reservations created through the API for each restaurant (interleaved, as a
 * dinner rush would), then the simulator watched until every one is a booking there.
 */
export const outboundRun = async (options: {
  readonly serviceUrl: string
  readonly sim: ZenchefSimulatorHandle
  readonly restaurants: ReadonlyArray<ConnectedRestaurant>
  readonly perRestaurant: number
  readonly limitPerWindow: number
  readonly windowMs: number
  readonly timeoutMs: number
  readonly tables?: number
  readonly cpu: CpuProbe
}): Promise<OutboundResult> => {
  await run(options.sim.resetCounters)
  const uids = options.restaurants.map((r) => r.restaurantUid)
  const before = await totalBookings(options.sim, uids)
  const changes = options.restaurants.length * options.perRestaurant
  const jobs = Array.from({ length: changes }, (_, i) => i)
  // The main app's own kind of key (issue 17): role app, limited to the bench's restaurants.
  const { key } = await callJson<{ readonly key: string }>("POST", `${options.serviceUrl}/api/admin/api-keys`, {
    name: "bench outbound",
    role: "app",
    restaurants: options.restaurants.map((r) => r.restaurantId)
  })
  const started = Date.now()
  const atStart = readCpu(options.cpu)
  await forEachConcurrent(jobs, 16, async (i) => {
    const restaurant = options.restaurants[i % options.restaurants.length]!
    await callJson(
      "POST",
      `${options.serviceUrl}/api/reservations`,
      reservationPayload(restaurant, i, options.tables ?? 1),
      key
    )
  })
  const postSeconds = (Date.now() - started) / 1000
  const afterWrites = readCpu(options.cpu)
  const onSimulatorAfterWrites = (await totalBookings(options.sim, uids)) - before
  let onSimulator = 0
  while (Date.now() - started < options.timeoutMs) {
    onSimulator = (await totalBookings(options.sim, uids)) - before
    if (onSimulator >= changes) break
    await sleep(100)
  }
  const seconds = (Date.now() - started) / 1000
  const atEnd = readCpu(options.cpu)
  const writes = coresBusy(atStart, afterWrites)
  const pushesAfter = coresBusy(afterWrites, atEnd)
  const requests = await apiRequests(options.sim)
  const requestsServed = requests.total - requests.rateLimited
  const windowSeconds = options.windowMs / 1000
  const idealSeconds = (requestsServed / (options.restaurants.length * options.limitPerWindow)) * windowSeconds
  return {
    restaurants: options.restaurants.length,
    changes,
    limitPerWindow: options.limitPerWindow,
    windowSeconds,
    postSeconds,
    seconds,
    onSimulator,
    onSimulatorAfterWrites,
    requestsServed,
    idealSeconds,
    ofIdeal: idealSeconds / seconds,
    rateLimited: requests.rateLimited,
    complete: onSimulator >= changes,
    cpu: writes === null || pushesAfter === null ? null : { writes, pushesAfter }
  }
}
