import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ServiceProcess, startService } from "../../bench/lib/service.js"
import {
  answersHealth,
  createReservations,
  outboundTally,
  report,
  settledBy,
  startWorld,
  waitForEveryPush,
  type World
} from "./support/world.js"

// Issue 18: a second process on the same database with the same credentials key serves and
// shares the work (one with another key refuses to start: test/app/credentials-key-process.test.ts).
describe("fault: two service processes on one database, with the same key", () => {
  let world: World
  let second: ServiceProcess
  beforeAll(async () => {
    world = await startWorld({ restaurants: 4 })
    // Same database, same CREDENTIALS_KEY (the bench's), its own port and data folder.
    second = await startService({
      databaseUrl: world.databaseUrl,
      dataDir: path.join(world.workDir, "data-second"),
      logFile: path.join(world.workDir, "service-second.log"),
      env: {
        WORKER_POLL_INTERVAL: "20 millis",
        PLATFORM_TIMEOUT: "2 seconds",
        PLATFORM_RATE_LIMIT: "100000",
        PLATFORM_RATE_WINDOW: "1 seconds"
      }
    })
  }, 120_000)
  afterAll(async () => {
    await second?.stop("SIGKILL")
    await world?.close()
  })

  it("both take changes, each change reaches Zenchef exactly once, and both push", async () => {
    const viaFirst = await createReservations(world, 200)
    const viaSecond = await createReservations({ ...world, service: second }, 200)
    expect([viaFirst.failures, viaSecond.failures]).toEqual([[], []])
    const ids = [...viaFirst.ids, ...viaSecond.ids]
    await waitForEveryPush(world, ids)
    const tally = await outboundTally(world, ids)
    const [first, other] = [await settledBy(world.service), await settledBy(second)]
    report("two processes, same key", {
      ...tally,
      kept_answering: (await answersHealth(world.service.url)) && (await answersHealth(second.url)),
      settledByFirst: first,
      settledBySecond: other
    })
    expect(tally).toMatchObject({ applied: 400, duplicated: 0, lost: 0 })
    expect(first).toBeGreaterThan(0)
    expect(other).toBeGreaterThan(0)
  }, 180_000)
})
