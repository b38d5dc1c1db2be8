import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { forEachConcurrent } from "../../../bench/lib/http.js"
import { type Cluster, createMigratedDatabase, exec, startCluster } from "../../../bench/lib/postgres.js"
import { adminApiKey, type ServiceProcess, sleep, startService, waitFor } from "../../../bench/lib/service.js"
import { run, startSimulator } from "../../../bench/lib/simulator.js"
import {
  type ConnectedRestaurant,
  connectRestaurant,
  restaurantUidOf,
  simulatorFloorPlan
} from "../../../bench/lib/world.js"
import { reservationPayload } from "../../../bench/outbound.js"
import { generateStandardSecret } from "../../../src/simulators/kit/webhook-signing.js"
import type { ZenchefSimulatorHandle, ZenchefSimulatorOptions } from "../../../src/simulators/zenchef/index.js"

/**
 * One fault case's world: a PostgreSQL cluster of its own (so it can be stopped), the service as a
 * child process (so it can be killed), and the Zenchef simulator in the test process.
 */
export interface World {
  readonly cluster: Cluster
  readonly databaseUrl: string
  readonly service: ServiceProcess
  readonly sim: ZenchefSimulatorHandle
  readonly restaurants: ReadonlyArray<ConnectedRestaurant>
  readonly workDir: string
  readonly close: () => Promise<void>
}

export interface WorldOptions {
  readonly restaurants?: number
  readonly serviceEnv?: Readonly<Record<string, string>>
  readonly simulator?: ZenchefSimulatorOptions
  /** Gives each restaurant a webhook target on the service, signed with its secret. */
  readonly webhooks?: boolean
}

export const startWorld = async (options: WorldOptions = {}): Promise<World> => {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-faults-"))
  await fs.chmod(workDir, 0o755)
  const cluster = await startCluster({ rootDir: path.join(workDir, "pg"), statStatements: false })
  const closers: Array<() => Promise<unknown>> = [cluster.close]
  const close = async () => {
    for (const f of closers.reverse()) await f().catch(() => undefined)
    await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined)
  }
  try {
    const databaseUrl = await createMigratedDatabase(cluster.url, "faults")
    const sim = await startSimulator({ rateLimit: null, mode: { apiChangesEmitWebhooks: false }, ...options.simulator })
    closers.push(sim.close)
    const service = await startService({
      databaseUrl,
      dataDir: path.join(workDir, "data"),
      logFile: path.join(workDir, "service.log"),
      env: {
        // Short waits so a case takes seconds; the limits of the platform are not under test here.
        WORKER_POLL_INTERVAL: "20 millis",
        PLATFORM_TIMEOUT: "2 seconds",
        PLATFORM_RATE_LIMIT: "100000",
        PLATFORM_RATE_WINDOW: "1 seconds",
        ...options.serviceEnv
      }
    })
    closers.push(() => service.stop("SIGKILL"))
    const restaurants: Array<ConnectedRestaurant> = []
    for (let i = 0; i < (options.restaurants ?? 1); i++) {
      const uid = restaurantUidOf(i)
      const apiKey = `fault-key-${uid}`
      const secret = generateStandardSecret()
      const webhook = options.webhooks === true
        ? { url: `${service.url}/api/webhooks/zenchef`, secret, signing: "standard" as const }
        : null
      await run(
        sim.handle.seedRestaurant({ uid, apiKeys: [apiKey], timeZone: "Europe/Paris", webhook, ...simulatorFloorPlan })
      )
      restaurants.push(
        await connectRestaurant({
          serviceUrl: service.url,
          databaseUrl,
          simulatorUrl: sim.handle.url,
          restaurantUid: uid,
          apiKey,
          secret
        })
      )
    }
    return { cluster, databaseUrl, service, sim: sim.handle, restaurants, workDir, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** What one fault case did, printed as one line so a run's output reads as a table. */
export interface CaseReport {
  readonly sent: number
  readonly applied: number
  readonly duplicated: number
  readonly lost: number
  readonly kept_answering: boolean
  readonly [detail: string]: unknown
}

export const report = (name: string, outcome: CaseReport) => {
  process.stdout.write(`[fault] ${name}: ${JSON.stringify(outcome)}\n`)
  return outcome
}

export const answersHealth = async (url: string) => {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200
  } catch {
    return false
  }
}

/**
 * Local reservations created through the API. A failed call is tried again (`attempts`), as a
 * client would; returns the ids the service acknowledged and every non-2xx answer it gave.
 */
export const createReservations = async (
  world: World,
  count: number,
  concurrency = 8,
  retry = { attempts: 1, spacingMs: 250 }
) => {
  const ids: Array<string> = []
  const failures: Array<number | "network"> = []
  await forEachConcurrent(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const restaurant = world.restaurants[i % world.restaurants.length]!
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      const response = await fetch(`${world.service.url}/api/reservations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminApiKey}` },
        body: JSON.stringify(reservationPayload(restaurant, i, 1 + (i % 3))),
        signal: AbortSignal.timeout(10_000)
      }).catch(() => undefined)
      if (response?.ok === true) {
        ids.push(((await response.json()) as { id: string }).id)
        return
      }
      failures.push(response?.status ?? "network")
      if (attempt < retry.attempts) await sleep(retry.spacingMs)
    }
  })
  return { ids, failures }
}

/** Bookings on the simulator per AlloResto reservation id (their external reference). */
export const bookingsByReference = async (world: World) => {
  const counts = new Map<string, number>()
  for (const r of world.restaurants) {
    for (const booking of await run(world.sim.bookings(r.restaurantUid))) {
      const ref = booking.externalReferenceId ?? `(none:${booking.uid})`
      counts.set(ref, (counts.get(ref) ?? 0) + 1)
    }
  }
  return counts
}

/** Exactly-once accounting of pushed reservations: each acknowledged id must be one booking. */
export const outboundTally = async (world: World, ids: ReadonlyArray<string>) => {
  const counts = await bookingsByReference(world)
  const applied = ids.filter((id) => (counts.get(id) ?? 0) >= 1).length
  const duplicated = [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0)
  const unknown = [...counts.keys()].filter((ref) => !ids.includes(ref)).length
  return { sent: ids.length, applied, duplicated, lost: ids.length - applied, unacknowledgedButStored: unknown }
}

export const jobCounts = async (databaseUrl: string) => {
  const { rows } = await exec<{ status: string; direction: string; n: string }>(
    databaseUrl,
    "SELECT status, direction, count(*) AS n FROM sync_jobs GROUP BY status, direction"
  )
  return Object.fromEntries(rows.map((r) => [`${r.direction}:${r.status}`, Number(r.n)]))
}

/**
 * A killed worker's claims stay 'running' until their lease (2 minutes, not configurable) runs
 * out. The fault cases end the leases at once instead of waiting: the same state, sooner.
 */
export const expireLeases = async (databaseUrl: string) =>
  (await exec(databaseUrl, "UPDATE sync_jobs SET locked_until = now() - interval '1 second' WHERE status = 'running'"))
    .rowCount ?? 0

/** Sync attempts this process settled, from its own /metrics. */
export const settledBy = async (service: ServiceProcess) => {
  const text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${adminApiKey}` } }))
    .text()
  return text.split("\n")
    .filter((line) => line.startsWith("alloresto_syncs_total{") && line.includes("direction=\"outbound\""))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0)
}

/** Every push made once: waits (bounded) until each acknowledged id is a booking on the simulator. */
export const waitForEveryPush = (world: World, ids: ReadonlyArray<string>, timeoutMs = 120_000) =>
  waitFor(
    "every push",
    async () => ((await outboundTally(world, ids)).applied === ids.length ? true : undefined),
    timeoutMs,
    100
  )

/** Waits (bounded) until no job of these directions is pending or running. */
export const waitForQueueToSettle = (world: World, directions: ReadonlyArray<"inbound" | "outbound">) =>
  waitFor(
    "the queue to settle",
    async () => {
      const jobs = await jobCounts(world.databaseUrl)
      return directions.every((d) => (jobs[`${d}:pending`] ?? 0) + (jobs[`${d}:running`] ?? 0) === 0)
        ? true
        : undefined
    },
    60_000,
    100
  )
