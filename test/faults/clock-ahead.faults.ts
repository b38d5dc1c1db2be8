import * as fs from "node:fs/promises"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exec } from "../../bench/lib/postgres.js"
import { type ServiceProcess, startService } from "../../bench/lib/service.js"
import { run } from "../../bench/lib/simulator.js"
import {
  answersHealth,
  createReservations,
  outboundTally,
  report,
  settledBy,
  startWorld,
  waitForEveryPush,
  waitForQueueToSettle,
  type World
} from "./support/world.js"

const aheadMs = 5 * 60_000

// Issue 19: leases are timed on the database's clock, so an instance whose clock runs ahead never
// takes a job whose lease (2 minutes, the default) is still live on another instance.
describe("fault: one of two service processes has its clock 5 minutes ahead", () => {
  let world: World
  let ahead: ServiceProcess
  beforeAll(async () => {
    world = await startWorld({ restaurants: 4, serviceEnv: { WORKERS_ENABLED: "false", WORKER_LEASE: "2 minutes" } })
  }, 120_000)
  afterAll(async () => {
    await ahead?.stop("SIGKILL")
    await world?.close()
  })

  it("no live job is taken from the other: each push claimed once and made once", async () => {
    const { ids } = await createReservations(world, 200)
    expect(ids).toHaveLength(200)
    // Slow answers keep every claim live for a while, while the other process looks for work.
    await run(world.sim.setFaults({ latencyMs: 200 }))
    await world.service.stop("SIGTERM")
    // A few pushes at a time, so the on-time process still holds live claims, and has work left,
    // once the ahead one is up (a process start takes seconds; 48 pushes at once took all 200 first).
    await world.service.start({ WORKERS_ENABLED: "true", WORKER_BATCH_SIZE: "20", WORKER_CONCURRENCY: "4" })
    const logFile = path.join(world.workDir, "service-ahead.log")
    ahead = await startService({
      databaseUrl: world.databaseUrl,
      dataDir: path.join(world.workDir, "data-ahead"),
      logFile,
      preload: [path.join(import.meta.dirname, "support", "clock-ahead.mjs")],
      env: {
        CLOCK_AHEAD_MS: String(aheadMs),
        WORKER_POLL_INTERVAL: "20 millis",
        WORKER_LEASE: "2 minutes",
        PLATFORM_TIMEOUT: "2 seconds",
        PLATFORM_RATE_LIMIT: "100000",
        PLATFORM_RATE_WINDOW: "1 seconds"
      }
    })
    await waitForEveryPush(world, ids)
    await waitForQueueToSettle(world, ["outbound"])
    // Both of the ahead process's threads run on the shifted clock (its sync thread logs it too).
    const started = (await fs.readFile(logFile, "utf8")).split("\n")
      .filter((line) => line.includes("sync workers started"))
      .map((line) => Date.parse((JSON.parse(line) as { timestamp: string }).timestamp) - Date.now())
    const claimedTwice = Number(
      (await exec<{ n: string }>(
        world.databaseUrl,
        "SELECT count(*) AS n FROM sync_jobs WHERE direction = 'outbound' AND claims > 1"
      )).rows[0]!.n
    )
    const tally = await outboundTally(world, ids)
    const outcome = report("two processes, one with its clock 5 minutes ahead", {
      ...tally,
      kept_answering: (await answersHealth(world.service.url)) && (await answersHealth(ahead.url)),
      claimedTwice,
      settledByOnTime: await settledBy(world.service),
      settledByAhead: await settledBy(ahead)
    })
    expect(started).toHaveLength(1)
    expect(started[0]).toBeGreaterThan(aheadMs - 60_000)
    expect(outcome).toMatchObject({ applied: 200, duplicated: 0, lost: 0, claimedTwice: 0 })
    expect(outcome.settledByAhead).toBeGreaterThan(0)
    expect(outcome.settledByOnTime).toBeGreaterThan(0)
  }, 300_000)
})
