import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { waitFor } from "../../bench/lib/service.js"
import { run } from "../../bench/lib/simulator.js"
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

// Plain async vitest, not @effect/vitest: the case is process orchestration (kill, restart).
describe("fault: the service is killed with SIGKILL while draining, then restarted", () => {
  let world: World
  beforeAll(async () => {
    // Workers off while the 1,000 changes are written, so the kill lands mid-drain, not mid-write.
    world = await startWorld({ restaurants: 10, serviceEnv: { WORKERS_ENABLED: "false" } })
  })
  afterAll(() => world?.close())

  it("1,000 outbound changes: each reaches Zenchef exactly once", async () => {
    const { ids } = await createReservations(world, 1000)
    expect(ids).toHaveLength(1000)
    await world.service.stop("SIGTERM")
    // A little latency on the platform keeps many pushes in flight when the kill comes.
    await run(world.sim.setFaults({ latencyMs: 50 }))
    await world.service.start({ WORKERS_ENABLED: "true" })
    // Killed while pushes are claimed and in flight: the case where a create may reach Zenchef twice.
    // A pass can settle its last claim between the check and the kill: then it is started and
    // killed again, at most five times.
    let kills = 0
    let heldByTheDead = 0
    let onZenchefAtKill = 0
    while (heldByTheDead === 0 && kills < 5) {
      if (kills > 0) await world.service.start()
      kills++
      await waitFor(
        "a third of the pushes, with more in flight",
        async () => {
          // Claims are checked last, just before the kill: a pass can end between two queries.
          if ((await outboundTally(world, ids)).applied < 300) return undefined
          return ((await jobCounts(world.databaseUrl))["outbound:running"] ?? 0) > 0 ? true : undefined
        },
        120_000,
        10
      )
      await world.service.stop("SIGKILL")
      onZenchefAtKill = (await outboundTally(world, ids)).applied
      heldByTheDead = await expireLeases(world.databaseUrl)
    }
    await world.service.start()
    await waitForEveryPush(world, ids)
    await waitForQueueToSettle(world, ["outbound"])
    const tally = await outboundTally(world, ids)
    const counters = await run(world.sim.counters)
    const outcome = report("SIGKILL mid-drain + restart", {
      ...tally,
      kept_answering: await answersHealth(world.service.url),
      onZenchefAtKill,
      claimsHeldByKilledProcess: heldByTheDead,
      kills,
      createCalls: counters.createCalls,
      jobs: await jobCounts(world.databaseUrl)
    })
    // The kill landed while the process held claims: the case where a push may be made twice.
    expect(outcome.claimsHeldByKilledProcess).toBeGreaterThan(0)
    expect(outcome.lost).toBe(0)
    expect(outcome.duplicated).toBe(0)
    expect(outcome.unacknowledgedButStored).toBe(0)
    expect(outcome.kept_answering).toBe(true)
  })
})
