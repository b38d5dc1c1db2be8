import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { callJson } from "../../bench/lib/http.js"
import { exec } from "../../bench/lib/postgres.js"
import { waitFor } from "../../bench/lib/service.js"
import { run } from "../../bench/lib/simulator.js"
import { inboundTally } from "./support/inbound.js"
import {
  answersHealth,
  createReservations,
  outboundTally,
  report,
  startWorld,
  waitForQueueToSettle,
  type World
} from "./support/world.js"

interface DeadJob {
  readonly restaurantId: string
  readonly direction: string
  readonly lastError: string | null
}

const deadLetters = async (world: World) =>
  (await callJson<{ items: ReadonlyArray<DeadJob> }>("GET", `${world.service.url}/api/sync/jobs?status=dead&limit=100`))
    .items

const health = async (world: World, restaurantId: string) =>
  (await callJson<{ health: ReadonlyArray<{ errors: number; lastError: string | null }> }>(
    "GET",
    `${world.service.url}/api/ops/summary?restaurantId=${restaurantId}`
  )).health[0]

const BOOKINGS_EACH = 10

/** Staff bookings on the simulator, no webhooks: the service learns of them by polling. */
const bookOnPlatform = async (world: World, restaurantIndex: number, seated: (i: number) => boolean) => {
  const uids: Array<string> = []
  for (let i = 0; i < BOOKINGS_EACH; i++) {
    const booking = await run(world.sim.platform.create(world.restaurants[restaurantIndex]!.restaurantUid, {
      bookingDateTime: `2031-03-${String(10 + i).padStart(2, "0")}T20:00:00`,
      bookingDuration: 120,
      numberOfPeople: 2,
      culture: "fr",
      company: false,
      tables: seated(i) ? [1] : [],
      firstName: "Guest",
      lastName: `Poll ${restaurantIndex}-${i}`,
      telephone: `+336${String(restaurantIndex * 1000 + i).padStart(8, "0")}`
    }))
    uids.push(booking.uid)
  }
  return uids
}

// Issue 19: one restaurant's config cannot be decrypted, another's data holds a booking that
// cannot be stored. Each becomes a dead letter on /ops at once; the others' pushes and polls go on.
describe("fault: a poison config and a poison job among healthy restaurants", () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ restaurants: 4 })
  }, 120_000)
  afterAll(async () => {
    await world?.close()
  })

  it("each ends as a dead letter on /ops, every other event and poll is applied", async () => {
    const [poisonConfig, poisonData] = world.restaurants
    // Another row's ciphertext: well formed, but sealed for that row, so it cannot be opened here
    // (as after a key mix-up or a copied row).
    const damaged = await exec(
      world.databaseUrl,
      `UPDATE sync_platform_configs SET credentials = (
         SELECT credentials FROM sync_platform_configs WHERE restaurant_id = $2)
       WHERE restaurant_id = $1`,
      [poisonConfig!.restaurantId, world.restaurants[2]!.restaurantId]
    )
    // A room mapping whose local room is gone (left by a delete before mappings followed deletes,
    // or written by hand): a booking seated in that area fails the reservation's foreign key.
    const dangling = await exec(
      world.databaseUrl,
      `UPDATE sync_external_mappings SET entity_id = gen_random_uuid()::text
       WHERE restaurant_id = $1 AND entity_type = 'dining_room'`,
      [poisonData!.restaurantId]
    )
    expect([damaged.rowCount, dangling.rowCount]).toEqual([1, 1])
    await exec(world.databaseUrl, "UPDATE sync_platform_configs SET poll_interval_sec = 1")

    const pushes = await createReservations(world, 40)
    expect(pushes.failures).toEqual([])
    // Restaurant 1: only its first booking sits at a table of the dangling room's area.
    const booked = await Promise.all([0, 1, 2, 3].map((r) => bookOnPlatform(world, r, (i) => r === 1 && i === 0)))

    const healthy = [...booked[1]!.slice(1), ...booked[2]!, ...booked[3]!]
    await waitFor(
      "every healthy booking polled and applied",
      async () => (await inboundTally(world.databaseUrl, healthy)).applied === healthy.length ? true : undefined,
      90_000,
      250
    )
    await waitForQueueToSettle(world, ["inbound", "outbound"])

    const dead = await deadLetters(world)
    const deadOf = (restaurantId: string, direction: string) =>
      dead.filter((job) => job.restaurantId === restaurantId && job.direction === direction)
    const configDead = deadOf(poisonConfig!.restaurantId, "outbound")
    const dataDead = deadOf(poisonData!.restaurantId, "inbound")
    const { rows: healthyPushes } = await exec<{ id: string }>(
      world.databaseUrl,
      "SELECT id::text FROM reservations WHERE id::text = ANY($1) AND restaurant_id <> $2",
      [pushes.ids, poisonConfig!.restaurantId]
    )
    const pushedIds = healthyPushes.map((r) => r.id)
    const outbound = await outboundTally(world, pushedIds)
    const inbound = await inboundTally(world.databaseUrl, healthy)
    const [configHealth, dataHealth] = [
      await health(world, poisonConfig!.restaurantId),
      await health(world, poisonData!.restaurantId)
    ]
    report("poison config and poison job", {
      sent: pushedIds.length + healthy.length,
      applied: outbound.applied + inbound.applied,
      duplicated: outbound.duplicated + inbound.duplicated,
      lost: outbound.lost + inbound.lost,
      kept_answering: await answersHealth(world.service.url),
      deadOfPoisonConfig: configDead.length,
      deadOfPoisonJob: dataDead.length,
      otherDead: dead.length - configDead.length - dataDead.length,
      poisonConfigErrorsOnOps: configHealth?.errors,
      poisonJobErrorsOnOps: dataHealth?.errors
    })

    // Every push of the poisoned config's restaurant is a dead letter (createReservations sends
    // every fourth to restaurant 0), with a one-line reason; nothing else died.
    expect(configDead).toHaveLength(10)
    expect(dataDead).toHaveLength(1)
    expect(dead).toHaveLength(11)
    for (const job of [...configDead, ...dataDead]) {
      expect(job.lastError).toBeTruthy()
      expect(job.lastError).not.toContain("\n")
    }
    expect(dataDead[0]!.lastError).toMatch(/foreign key|violates/i)
    expect(configHealth?.errors).toBeGreaterThanOrEqual(10)
    expect(dataHealth?.errors).toBeGreaterThanOrEqual(1)
    expect(outbound).toMatchObject({ applied: 30, duplicated: 0, lost: 0 })
    expect(inbound).toMatchObject({ applied: healthy.length, duplicated: 0, lost: 0 })
    // The poisoned config's own bookings stay on the platform until it is fixed: its polls fail.
    expect((await inboundTally(world.databaseUrl, booked[0]!)).applied).toBe(0)
  }, 240_000)
})
