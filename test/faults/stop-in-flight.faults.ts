import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sleep, waitFor } from "../../bench/lib/service.js"
import { apiRequests, run } from "../../bench/lib/simulator.js"
import { defaultSyncSettings } from "../../src/app/workers/settings.js"
import {
  answersHealth,
  createReservations,
  expireLeases,
  jobCounts,
  outboundTally,
  report,
  startWorld,
  waitForEveryPush,
  waitForQueueToSettle,
  type World
} from "./support/world.js"

const GRACE_MS = 3_000
/** The platform answers each push after this: far longer than the grace, shorter than the timeout. */
const PLATFORM_LATENCY_MS = 15_000

// Issue 19: a stop waits for the attempts in flight at most SHUTDOWN_GRACE, even when the platform
// would keep them a minute; what it leaves is taken again by the next run, once.
describe("fault: SIGTERM while pushes wait on a slow platform", () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({
      restaurants: 4,
      serviceEnv: { WORKERS_ENABLED: "false", PLATFORM_TIMEOUT: "120 seconds", SHUTDOWN_GRACE: `${GRACE_MS} millis` }
    })
  }, 120_000)
  afterAll(() => world?.close())

  it("stops within the grace, and the next run pushes each change exactly once", async () => {
    const { ids } = await createReservations(world, 200)
    expect(ids).toHaveLength(200)
    await world.service.stop("SIGTERM")
    await run(world.sim.setFaults({ latencyMs: PLATFORM_LATENCY_MS }))
    const createsBefore = (await apiRequests(world.sim)).createCalls
    await world.service.start({ WORKERS_ENABLED: "true" })
    // In flight means the platform holds the request: a claimed job may still be in its pass's
    // reads, where a stop rightly interrupts it at once and gives it back to the queue.
    const inFlight = await waitFor(
      "pushes in flight",
      async () => {
        const running = (await jobCounts(world.databaseUrl))["outbound:running"] ?? 0
        // Creates, not any request: the poller's reads are held by the platform too.
        const held = (await apiRequests(world.sim)).createCalls > createsBefore
        return running > 0 && held ? running : undefined
      },
      30_000,
      20
    )

    const stoppedAt = Date.now()
    await world.service.stop("SIGTERM")
    const stopMs = Date.now() - stoppedAt
    const jobsAfterStop = await jobCounts(world.databaseUrl)
    // What the platform received before the stop, it finishes (the claims' leases outlast that).
    await sleep(PLATFORM_LATENCY_MS + 1_000)
    const leftToLeases = await expireLeases(world.databaseUrl)
    await run(world.sim.setFaults({ latencyMs: 0 }))
    await world.service.start()
    await waitForEveryPush(world, ids)
    await waitForQueueToSettle(world, ["outbound"])
    const outcome = report("SIGTERM with pushes in flight", {
      ...(await outboundTally(world, ids)),
      kept_answering: await answersHealth(world.service.url),
      claimsInFlightAtStop: inFlight,
      claimsLeftToLeases: leftToLeases,
      jobsAfterStop,
      stopMs,
      graceMs: GRACE_MS
    })
    // The fault happened: the stop found a pass of claims (WORKER_BATCH_SIZE), pushes of it held
    // by the platform. At most the attempts under way (WORKER_CONCURRENCY) are left to their leases
    // (those cut at the grace are mostly settled as failed tries first): the pass's other claims,
    // whose turn had not come, were given back to the queue at the stop.
    const { batchSize, concurrency } = defaultSyncSettings
    expect(batchSize).toBeGreaterThan(concurrency)
    expect(outcome.claimsInFlightAtStop).toBeGreaterThan(concurrency)
    expect(outcome.claimsLeftToLeases).toBeLessThanOrEqual(concurrency)
    // Bounded by the grace plus the closing of the pool and server, not by the platform.
    expect(stopMs).toBeGreaterThanOrEqual(GRACE_MS)
    expect(stopMs).toBeLessThan(GRACE_MS + 7_000)
    expect(outcome).toMatchObject({ lost: 0, duplicated: 0, unacknowledgedButStored: 0, kept_answering: true })
  }, 240_000)
})
