import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { exec } from "../../bench/lib/postgres.js"
import { type ServiceProcess, sleep, startService, waitFor } from "../../bench/lib/service.js"
import { apiRequests, run } from "../../bench/lib/simulator.js"
import { makeWebhookStream } from "../../bench/lib/webhooks.js"
import { deliver, inboundTally } from "./support/inbound.js"
import {
  answersHealth,
  createReservations,
  outboundTally,
  report,
  startWorld,
  waitForEveryPush,
  waitForQueueToSettle,
  type World
} from "./support/world.js"

// Short leases, so the survivor takes over a dead process's claims in seconds (in production: 2 minutes).
const workers = {
  WORKER_POLL_INTERVAL: "20 millis",
  WORKER_LEASE: "3 seconds",
  PLATFORM_TIMEOUT: "2 seconds",
  PLATFORM_RATE_LIMIT: "100000",
  PLATFORM_RATE_WINDOW: "1 seconds"
}

const claimed = async (databaseUrl: string, direction: "inbound" | "outbound") =>
  (await exec<{ id: string; claims: number }>(
    databaseUrl,
    "SELECT id::text AS id, claims FROM sync_jobs WHERE direction = $1 AND status = 'running'",
    [direction]
  )).rows

/**
 * SIGKILLs `victim` while jobs of `direction` are claimed. Two seconds later the survivor has
 * settled its own claims of that moment (they take milliseconds, and a loaded machine's second was
 * seen not to be enough) and the dead process's 3-second leases have not run out: those still
 * running, never claimed again, were the dead process's. When it held none, it is started again
 * and killed again.
 */
const killHoldingClaims = async (
  world: World,
  victim: ServiceProcess,
  direction: "inbound" | "outbound",
  atLeast = 1
) => {
  for (let kills = 1; kills <= 5; kills++) {
    await waitFor(
      `${direction} jobs claimed`,
      async () => ((await claimed(world.databaseUrl, direction)).length >= atLeast ? true : undefined),
      60_000,
      2
    )
    await victim.stop("SIGKILL")
    const atKill = new Map((await claimed(world.databaseUrl, direction)).map((j) => [j.id, j.claims]))
    await sleep(2_000)
    const orphaned = (await claimed(world.databaseUrl, direction)).filter((j) => atKill.get(j.id) === j.claims).length
    if (orphaned > 0) return { kills, orphaned }
    await victim.start()
  }
  throw new Error(`no kill of five landed while the process held ${direction} claims`)
}

/** Jobs claimed more than once: in these runs nothing fails, so only an abandoned claim is taken again. */
const retaken = async (databaseUrl: string, direction: "inbound" | "outbound") =>
  Number(
    (await exec<{ n: string }>(
      databaseUrl,
      "SELECT count(*) AS n FROM sync_jobs WHERE direction = $1 AND claims > 1",
      [direction]
    )).rows[0]!.n
  )

const startSecond = (world: World) =>
  startService({
    databaseUrl: world.databaseUrl,
    dataDir: path.join(world.workDir, "data-second"),
    logFile: path.join(world.workDir, "service-second.log"),
    env: workers
  })

// Issue 19: two service processes (separate PIDs, one database, one key); one dies mid-work.
describe("fault: one of two service processes is SIGKILLed while it holds claims", () => {
  let world: World | undefined
  let second: ServiceProcess | undefined
  afterEach(async () => {
    await second?.stop("SIGKILL")
    await world?.close()
  })

  it("in the middle of an outbound drain: the survivor pushes the rest, each change once", async () => {
    // Written with nobody pushing, so that the kill lands mid-drain rather than mid-write.
    world = await startWorld({ restaurants: 10, serviceEnv: { ...workers, WORKERS_ENABLED: "false" } })
    const { ids } = await createReservations(world, 800)
    expect(ids).toHaveLength(800)
    await run(world.sim.setFaults({ latencyMs: 10 }))
    await world.service.stop("SIGTERM")
    // The survivor takes batches of 5: when 20 jobs or more are claimed, the second holds some.
    await world.service.start({ WORKERS_ENABLED: "true", WORKER_BATCH_SIZE: "5" })
    second = await startSecond(world)
    const { kills, orphaned } = await killHoldingClaims(world, second, "outbound", 20)
    await waitForEveryPush(world!, ids)
    await waitForQueueToSettle(world, ["inbound", "outbound"])
    const tally = await outboundTally(world, ids)
    const outcome = report("two processes, one SIGKILLed mid outbound drain", {
      ...tally,
      kept_answering: await answersHealth(world.service.url),
      kills,
      claimsHeldByKilledProcess: orphaned,
      retakenBySurvivor: await retaken(world.databaseUrl, "outbound"),
      createCalls: (await run(world.sim.counters)).createCalls
    })
    expect(outcome).toMatchObject({ applied: 800, duplicated: 0, lost: 0, unacknowledgedButStored: 0 })
    expect(outcome.kept_answering).toBe(true)
    expect(outcome.retakenBySurvivor).toBeGreaterThanOrEqual(orphaned)
  }, 300_000)

  it("in the middle of an inbound batch: deliveries fail over to the survivor, each booking applied once", async () => {
    // A batch takes milliseconds: the survivor takes small ones, so that one of 50 claims or more,
    // long enough for the kill to land in, can only be the second's.
    world = await startWorld({ restaurants: 4, serviceEnv: { ...workers, WORKER_INBOUND_BATCH_SIZE: "5" } })
    second = await startSecond(world)
    const stream = makeWebhookStream({
      restaurants: world.restaurants,
      tag: "kill-one",
      tables: () => 1,
      changeable: [],
      mix: "creates"
    })
    // As a platform behind a load balancer: every other delivery goes to the second process; one
    // it does not acknowledge is delivered again, to the first, until acknowledged. Deliveries go
    // on until the kill has landed and at least 1,500 were sent.
    let killed = false
    let sent = 0
    const failedOver: Array<number | "network"> = []
    const neverAcknowledged: Array<string> = []
    const sender = async () => {
      while (!(killed && sent >= 1_500) && sent < 10_000 && neverAcknowledged.length === 0) {
        const i = sent++
        const webhook = stream.next()
        if (i % 2 === 1 && second!.alive()) {
          const first = await deliver(second!.url, webhook)
          if (first.acknowledged) continue
          failedOver.push(...first.statuses)
        }
        const delivered = await deliver(world!.service.url, webhook, 40, 250)
        if (!delivered.acknowledged) neverAcknowledged.push(webhook.id)
      }
    }
    const sending = Promise.all(Array.from({ length: 16 }, sender))
    const { kills, orphaned } = await killHoldingClaims(world, second, "inbound", 50).finally(() => {
      killed = true
      return sending
    })
    await sending
    expect(neverAcknowledged).toEqual([])
    const uids = stream.created.map((c) => c.uid)
    await waitFor(
      "every booking applied",
      async () => ((await inboundTally(world!.databaseUrl, uids)).lost === 0 ? true : undefined),
      120_000,
      200
    )
    await waitForQueueToSettle(world, ["inbound", "outbound"])
    const tally = await inboundTally(world.databaseUrl, uids)
    const outcome = report("two processes, one SIGKILLed mid inbound batch", {
      ...tally,
      kept_answering: await answersHealth(world.service.url),
      kills,
      claimsHeldByKilledProcess: orphaned,
      retakenBySurvivor: await retaken(world.databaseUrl, "inbound"),
      deliveriesFailedOver: failedOver.length
    })
    expect(outcome).toMatchObject({ sent, applied: sent, duplicated: 0, lost: 0 })
    expect(outcome.kept_answering).toBe(true)
    expect(outcome.retakenBySurvivor).toBeGreaterThanOrEqual(orphaned)
  }, 300_000)
})

// Issue 19: each API key's bucket is shared through PostgreSQL, so two processes pushing for the
// same restaurants stay under the platform's limit together.
describe("fault: two service processes push for the same restaurants under one per-key limit", () => {
  let world: World | undefined
  let second: ServiceProcess | undefined
  afterEach(async () => {
    await second?.stop("SIGKILL")
    await world?.close()
  })

  it("no 429, and the run takes about what the limits require", async () => {
    // 24 per 32 s: the 10% the service keeps in reserve (3 requests) is four seconds' worth, what
    // a request may be held up between its token and the simulator (whose process also runs the
    // 600 creates): requests that arrive late meet the paced requests behind them. With 20 per 2 s
    // (a fifth of a second) such delays met 429s; with 24 per 8 s (one second), two 429s in one of
    // four CI runs; with 24 per 16 s (two seconds), two 429s in one CI run, beside another fault
    // test on the same two cores. Each key still gets 60 pushes, more than twice the limit.
    const perKey = { limit: 24, windowMs: 32_000 }
    const limit = { PLATFORM_RATE_LIMIT: String(perKey.limit), PLATFORM_RATE_WINDOW: `${perKey.windowMs} millis` }
    world = await startWorld({
      restaurants: 10,
      serviceEnv: { ...workers, ...limit },
      simulator: { rateLimit: perKey }
    })
    second = await startService({
      databaseUrl: world.databaseUrl,
      dataDir: path.join(world.workDir, "data-second"),
      logFile: path.join(world.workDir, "service-second.log"),
      env: { ...workers, ...limit }
    })
    const started = Date.now()
    const [viaFirst, viaSecond] = await Promise.all([
      createReservations(world, 300),
      createReservations({ ...world, service: second }, 300)
    ])
    const ids = [...viaFirst.ids, ...viaSecond.ids]
    expect(ids).toHaveLength(600)
    // About 80 s at these limits.
    await waitForEveryPush(world!, ids, 240_000)
    const seconds = (Date.now() - started) / 1000
    const requests = await apiRequests(world.sim)
    // As the bench counts it: the requests served, at the limit for each of the 10 keys.
    const idealSeconds = ((requests.total - requests.rateLimited) / (10 * perKey.limit)) * (perKey.windowMs / 1000)
    const tally = await outboundTally(world, ids)
    const outcome = report("two processes under one per-key rate limit", {
      ...tally,
      kept_answering: (await answersHealth(world.service.url)) && (await answersHealth(second.url)),
      rateLimited429: requests.rateLimited,
      seconds: Math.round(seconds * 10) / 10,
      idealSeconds: Math.round(idealSeconds * 10) / 10,
      ofIdeal: Math.round((idealSeconds / seconds) * 100) / 100
    })
    expect(outcome).toMatchObject({ applied: 600, duplicated: 0, lost: 0, rateLimited429: 0 })
    // Buckets kept per process would let through twice the limit (and meet 429s); a shared bucket
    // that over-throttled would take far longer than the limits require.
    expect(seconds).toBeLessThan(idealSeconds * 3)
  }, 420_000)
})
