import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { callJson } from "../../bench/lib/http.js"
import { sleep, waitFor } from "../../bench/lib/service.js"
import { run } from "../../bench/lib/simulator.js"
import type { FaultSettings } from "../../src/simulators/kit/faults.js"
import type { SimulatorCounters } from "../../src/simulators/zenchef/index.js"
import {
  answersHealth,
  createReservations,
  jobCounts,
  outboundTally,
  report,
  startWorld,
  type World
} from "./support/world.js"

interface RetryAnswer {
  readonly processed: number
  readonly remaining: { readonly pending: number; readonly retrying: number; readonly dead: number }
}

describe("fault: Zenchef answers 5xx, then nothing, then recovers", () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ restaurants: 4 })
  })
  afterAll(() => world?.close())

  it("every push arrives once the platform is back, none twice", async () => {
    // 503 to every call, then calls handled but answered with a closed socket: those creates exist
    // on Zenchef although the service never heard so. Each phase lasts until the
    // simulator has served it and at least 3 s: a loaded machine may take longer to push at all.
    const phase = async (settings: FaultSettings, served: (c: SimulatorCounters) => number) => {
      const startedAt = Date.now()
      await run(world.sim.setFaults(settings))
      const created = await createReservations(world, 100, 4)
      await waitFor(
        "the fault served",
        async () => (served(await run(world.sim.counters)) > 0 ? true : undefined),
        60_000,
        100
      )
      await sleep(Math.max(0, 3_000 - (Date.now() - startedAt)))
      return created
    }
    const first = await phase({ failForMs: 600_000, failStatus: 503 }, (c) => c.failuresInjected)
    const second = await phase({ dropForMs: 600_000 }, (c) => c.responsesDropped)
    await run(world.sim.clearFaults)
    const ids = [...first.ids, ...second.ids]
    const during = await run(world.sim.counters)
    // The schedule would wait a minute or more: an operator's forced retry makes them due now.
    let answer: RetryAnswer | undefined
    await waitFor(
      "every push",
      async () => {
        answer = await callJson<RetryAnswer>("POST", `${world.service.url}/api/sync/retry?force=true`)
        const tally = await outboundTally(world, ids)
        const jobs = await jobCounts(world.databaseUrl)
        return tally.lost === 0 && (jobs["outbound:pending"] ?? 0) + (jobs["outbound:running"] ?? 0) === 0
          ? true
          : undefined
      },
      90_000,
      500
    )
    const tally = await outboundTally(world, ids)
    const outcome = report("platform 5xx then dropped answers, then recovery", {
      ...tally,
      kept_answering: await answersHealth(world.service.url),
      failuresInjected: during.failuresInjected,
      responsesDropped: during.responsesDropped,
      createCalls: (await run(world.sim.counters)).createCalls,
      deadLetters: answer?.remaining.dead ?? null
    })
    expect(during.failuresInjected).toBeGreaterThan(0)
    expect(during.responsesDropped).toBeGreaterThan(0)
    expect(outcome.lost).toBe(0)
    expect(outcome.duplicated).toBe(0)
    expect(outcome.deadLetters).toBe(0)
    expect(outcome.kept_answering).toBe(true)
  })
})
