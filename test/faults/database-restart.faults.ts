import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { forEachConcurrent } from "../../bench/lib/http.js"
import { sleep, waitFor } from "../../bench/lib/service.js"
import { makeWebhookStream } from "../../bench/lib/webhooks.js"
import { deliver, inboundTally } from "./support/inbound.js"
import {
  answersHealth,
  createReservations,
  expireLeases,
  jobCounts,
  outboundTally,
  report,
  startWorld,
  type World
} from "./support/world.js"

const settled = async (world: World) => {
  const jobs = await jobCounts(world.databaseUrl)
  return (jobs["inbound:pending"] ?? 0) + (jobs["inbound:running"] ?? 0) + (jobs["outbound:pending"] ?? 0) +
      (jobs["outbound:running"] ?? 0) === 0
}

describe("fault: PostgreSQL is restarted under load", () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ restaurants: 4 })
  })
  afterAll(() => world?.close())

  it("webhooks redelivered until acknowledged and acknowledged local changes: nothing lost, nothing twice", async () => {
    const stream = makeWebhookStream({
      restaurants: world.restaurants,
      tag: "db-restart",
      tables: () => 1,
      changeable: [],
      mix: "creates"
    })
    const webhooks = Array.from({ length: 300 }, stream.next)
    let answeredDuringOutage = 0
    let probes = 0
    const outage = (async () => {
      await sleep(1_500)
      await world.cluster.stop()
      // While the database is down the service must still answer (503 is an answer): /health gives
      // up on the database after 2 s, so 5 s leaves room for a loaded machine.
      for (let i = 0; i < 6; i++) {
        probes++
        if (
          await fetch(`${world.service.url}/health`, { signal: AbortSignal.timeout(5_000) }).then(
            () => true,
            () => false
          )
        ) answeredDuringOutage++
        await sleep(500)
      }
      await world.cluster.start()
    })()
    const [deliveries, local] = await Promise.all([
      (async () => {
        const results: Array<Awaited<ReturnType<typeof deliver>>> = []
        await forEachConcurrent(webhooks, 4, async (w) => {
          results.push(await deliver(world.service.url, w, 80, 250))
        })
        return results
      })(),
      // One at a time, so they span the outage (before, during, after), each tried until acknowledged.
      createReservations(world, 200, 1, { attempts: 80, spacingMs: 250 }),
      outage
    ])
    const ids = local.ids
    const uids = stream.created.map((c) => c.uid)
    const complete = async () =>
      (await inboundTally(world.databaseUrl, uids)).lost === 0 && (await outboundTally(world, ids)).lost === 0 &&
      (await settled(world))
    // Jobs claimed when the database went away stay claimed until their lease runs out.
    const early = await waitFor(
      "the queue to drain by itself",
      async () => ((await complete()) ? true : undefined),
      20_000,
      200
    ).then(() => true, () => false)
    const stuckClaims = early ? 0 : await expireLeases(world.databaseUrl)
    if (!early) await waitFor("the queue to drain", async () => ((await complete()) ? true : undefined), 60_000, 200)
    const inbound = await inboundTally(world.databaseUrl, uids)
    const outbound = await outboundTally(world, ids)
    const rejected = deliveries.flatMap((d) => d.statuses.filter((s) => s === "network" || s >= 300))
    // Once the database is back, /health says ok again (bounded: a sync thread restarted by the
    // outage counts as up after a few seconds of running).
    const healthyAgain = await waitFor(
      "/health ok again",
      async () => (await answersHealth(world.service.url)) ? true : undefined,
      20_000,
      250
    ).then(() => true, () => false)
    const healthAfter = await fetch(`${world.service.url}/health`).then((r) => r.text(), (e: Error) => e.message)
    const outcome = report("database restart under load", {
      sent: inbound.sent + outbound.sent,
      applied: inbound.applied + outbound.applied,
      duplicated: inbound.duplicated + outbound.duplicated,
      lost: inbound.lost + outbound.lost,
      kept_answering: answeredDuringOutage === probes && healthyAgain,
      probesAnsweredDuringOutage: `${answeredDuringOutage}/${probes}`,
      healthAfter,
      inbound,
      outbound,
      webhookAnswersBeforeAck: rejected.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
        {}
      ),
      neverAcknowledged: deliveries.filter((d) => !d.acknowledged).length + 200 - ids.length,
      localChangeAnswersBeforeAck: local.failures.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
        {}
      ),
      claimsStuckUntilLeaseExpiry: stuckClaims
    })
    expect(deliveries.every((d) => d.acknowledged)).toBe(true)
    // The outage was seen: some webhooks or API calls were answered 503 (or not at all) first.
    expect(rejected.length + local.failures.length).toBeGreaterThan(0)
    expect(ids).toHaveLength(200)
    // During the outage the answer is "try again" (503), never a client error or a 500.
    expect([...rejected, ...local.failures].filter((s) => s !== "network" && s !== 503)).toEqual([])
    expect(outcome.lost).toBe(0)
    expect(outcome.duplicated).toBe(0)
    expect(outcome.kept_answering).toBe(true)
  })
})
