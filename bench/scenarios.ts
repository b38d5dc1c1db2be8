import type { ZenchefSimulatorHandle } from "../src/simulators/zenchef/index.js"
import { cpuProbe } from "./lib/cpu.js"
import { callJson, forEachConcurrent } from "./lib/http.js"
import { type ServiceProcess, sleep } from "./lib/service.js"
import { run, totalBookings } from "./lib/simulator.js"
import { makeWebhookStream } from "./lib/webhooks.js"
import { type ConnectedRestaurant, connectRestaurant, restaurantUidOf, simulatorFloorPlan } from "./lib/world.js"
import { coresBusyText, outboundRun, reservationPayload } from "./outbound.js"
import { countInbound, countOutbound, makeStatementCounter, type QueryCount } from "./queries.js"

/** Restaurants seeded on the simulator (own API key, ten tables) and connected in the service. */
export const connectSimulated = async (
  options: {
    readonly service: ServiceProcess
    readonly serviceDb: string
    readonly sim: ZenchefSimulatorHandle
    readonly from: number
    readonly count: number
  }
) => {
  const restaurants: Array<ConnectedRestaurant> = []
  for (let i = options.from; i < options.from + options.count; i++) {
    const uid = restaurantUidOf(i)
    const apiKey = `bench-key-${uid}`
    await run(options.sim.seedRestaurant({ uid, apiKeys: [apiKey], timeZone: "Europe/Paris", ...simulatorFloorPlan }))
    restaurants.push(
      await connectRestaurant({
        serviceUrl: options.service.url,
        databaseUrl: options.serviceDb,
        simulatorUrl: options.sim.url,
        restaurantUid: uid,
        apiKey
      })
    )
  }
  return restaurants
}

const PER_SCENARIO = 100

/**
 * The poller takes a new config within its 10 s tick, then every poll_interval_sec (300 s). Waiting
 * out that first poll keeps it (and the echoes of our own pushes it would bring back) out of the
 * measurement: what is measured is the steady state.
 */
const afterFirstPoll = () => sleep(12_000)

/**
 * Statements per synced reservation with 1 and with 10 tables: 100 new bookings by webhook, 100
 * changes of them, and 100 local reservations pushed, each counted alone.
 */
export const measureQueries = async (options: {
  readonly adminUrl: string
  readonly serviceDb: string
  readonly service: ServiceProcess
  readonly sim: ZenchefSimulatorHandle
  readonly inboundRestaurants: ReadonlyArray<ConnectedRestaurant>
  readonly log: (line: string) => void
}): Promise<Array<QueryCount>> => {
  const counter = await makeStatementCounter(options.adminUrl, new URL(options.serviceDb).pathname.slice(1)).catch(
    (error: unknown) => {
      options.log(`pg_stat_statements unavailable: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    }
  )
  if (counter === undefined || !(await counter.reset().then(() => true, () => false))) return []
  const results: Array<QueryCount> = []
  for (const tables of [1, 10]) {
    const creates = makeWebhookStream({
      restaurants: options.inboundRestaurants,
      tag: `q-create-${tables}`,
      tables: () => tables,
      changeable: [],
      mix: "creates"
    })
    const created = Array.from({ length: PER_SCENARIO }, creates.next)
    results.push(
      await countInbound({
        counter,
        serviceUrl: options.service.url,
        scenario: "inbound create",
        tables,
        webhooks: created
      })
    )
    const changes = makeWebhookStream({
      restaurants: options.inboundRestaurants,
      tag: `q-change-${tables}`,
      tables: () => tables,
      changeable: creates.created,
      mix: "changes"
    })
    results.push(
      await countInbound({
        counter,
        serviceUrl: options.service.url,
        scenario: "inbound change",
        tables,
        webhooks: Array.from({ length: PER_SCENARIO }, changes.next)
      })
    )
  }
  const restaurants = await connectSimulated({ ...options, from: 1000, count: 10 })
  await afterFirstPoll()
  const uids = restaurants.map((r) => r.restaurantUid)
  for (const tables of [1, 10]) {
    results.push(
      await countOutbound({
        counter,
        scenario: "outbound create",
        tables,
        count: PER_SCENARIO,
        push: () =>
          forEachConcurrent(Array.from({ length: PER_SCENARIO }, (_, i) => i), 4, async (i) => {
            await callJson(
              "POST",
              `${options.service.url}/api/reservations`,
              reservationPayload(restaurants[i % restaurants.length]!, i, tables)
            )
          }),
        arrived: () => totalBookings(options.sim, uids)
      })
    )
  }
  for (const q of results) {
    options.log(
      `  ${q.scenario}, ${q.tables} tables: ${q.queriesPerReservation} queries, ${q.roundTripsPerReservation} round trips`
    )
  }
  return results
}

/**
 * Before the measured writes, the same writes and pushes for restaurants of their own (their own
 * keys, so the measured ones start with full rate-limit buckets). A service just started runs its
 * write and push paths in V8's interpreter until they are compiled: in a cold raw outbound part,
 * the compiler threads spent about 5 s within its 17 s (60 to 120 functions optimised a second,
 * still about 45 a second at the last write). A service that has been up for a while has done
 * that; the inbound levels are measured after lower levels, the API writes after a warm-up of
 * their own (apiwrites.ts).
 */
const WARM_UP_RESTAURANTS = 20
const WARM_UP_FROM = 500

export const measureOutbound = async (options: {
  readonly settings: {
    readonly outboundRestaurants: number
    readonly outboundPerRestaurant: number
    readonly rateLimit: number
    readonly rateWindowMs: number
  }
  readonly service: ServiceProcess
  readonly serviceDb: string
  readonly sim: { readonly handle: ZenchefSimulatorHandle }
  readonly log: (line: string) => void
  /** PostgreSQL's postmaster, whose backends' CPU is counted (undefined with DATABASE_URL). */
  readonly databasePid: number | undefined
  /** Restaurants are numbered from here: a second run connects restaurants of its own. */
  readonly from?: number
  /** Runs once the restaurants are connected, before the measured writes (the databases settled). */
  readonly beforeRun: () => Promise<void>
}) => {
  const connect = (from: number, count: number) =>
    connectSimulated({ service: options.service, serviceDb: options.serviceDb, sim: options.sim.handle, from, count })
  const from = options.from ?? 2000
  const restaurants = await connect(from, options.settings.outboundRestaurants)
  const pushAll = (some: ReadonlyArray<ConnectedRestaurant>) =>
    outboundRun({
      serviceUrl: options.service.url,
      sim: options.sim.handle,
      restaurants: some,
      perRestaurant: options.settings.outboundPerRestaurant,
      limitPerWindow: options.settings.rateLimit,
      windowMs: options.settings.rateWindowMs,
      timeoutMs: 240_000,
      cpu: cpuProbe(options.service.pid, options.databasePid)
    })
  const warmUp = await pushAll(await connect(from + WARM_UP_FROM, WARM_UP_RESTAURANTS))
  // Pushes of the warm-up still waiting would run beside the measured ones.
  if (!warmUp.complete) throw new Error(`warm-up: ${warmUp.onSimulator} of ${warmUp.changes} pushed in time`)
  options.log(`  warm-up (not measured): ${warmUp.onSimulator} on the simulator in ${warmUp.seconds.toFixed(1)} s`)
  await afterFirstPoll()
  await options.beforeRun()
  const result = await pushAll(restaurants)
  options.log(
    `  ${result.onSimulator} on the simulator in ${result.seconds.toFixed(1)} s (ideal ${
      result.idealSeconds.toFixed(1)
    } s), ${result.rateLimited} × 429`
  )
  if (result.cpu !== null) options.log(`  cores busy: ${coresBusyText(result.cpu)}`)
  return result
}
