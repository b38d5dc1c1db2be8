import { assert, describe, it } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import type { Platform, RestaurantId } from "../../../src/domain/ids.js"
import { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { type SyncJob, SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { configInput, newRestaurant } from "./platform-config.contract.js"
import {
  claimedPush,
  drain,
  ids,
  later,
  lease,
  nowIso,
  restaurantOn,
  type Services,
  webhookEvent
} from "./sync-job-queue.fixtures.js"

/**
 * The behaviour every SyncJobQueue shares. Claiming is global to the queue, so each test gets a
 * store of its own (for SQL, a database of its own) instead of sharing one across the block.
 */

/** The reservation `entityId` is held on `platform`: its mapping there, synced. */
const heldOn = (restaurantId: RestaurantId, entityId: string, platform: Platform) =>
  Effect.flatMap(MappingRepository, (mappings) =>
    mappings.upsert({
      restaurantId,
      entityType: "reservation",
      entityId,
      platform,
      externalId: `${platform}-1`,
      syncStatus: "synced",
      syncedAt: null
    }))

export const syncJobQueueContract = (name: string, queue: Layer.Layer<Services>) =>
  describe(`sync job queue (${name})`, () => {
    const test = (title: string, body: Effect.Effect<void, unknown, Services>) =>
      it.effect(title, () => Effect.provide(body, queue))

    test(
      "a queued push marks the record's mappings pending on the platforms it goes to, and no others (issue 20, item 11)",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const mappings = yield* MappingRepository
        const restaurantId = yield* restaurantOn(["zenchef"])
        const entityId = crypto.randomUUID()
        for (const platform of ["zenchef", "thefork"] as const) yield* heldOn(restaurantId, entityId, platform)
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", entityId), 1)
        const status = (platform: "zenchef" | "thefork") =>
          Effect.map(mappings.findByEntity("reservation", entityId, platform), (m) => Option.getOrThrow(m).syncStatus)
        assert.strictEqual(yield* status("zenchef"), "pending")
        assert.strictEqual(yield* status("thefork"), "synced", "no push queued for thefork")
      })
    )

    test(
      "a relayed change is queued for the other active platforms that hold the record, not the sender's, not one without it",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const mappings = yield* MappingRepository
        const configs = yield* PlatformConfigRepository
        const restaurantId = yield* restaurantOn(["zenchef", "thefork", "sevenrooms"])
        yield* configs.create(configInput(restaurantId, "ubereats", { syncEntities: ["order"] }))
        const entityId = crypto.randomUUID()
        for (const platform of ["zenchef", "thefork", "ubereats"] as const) {
          yield* heldOn(restaurantId, entityId, platform)
        }
        assert.strictEqual(yield* queue.enqueueRelay(restaurantId, "reservation", entityId, "zenchef"), 1)
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual(jobs.map((j) => [j.platform, j.entityId]), [["thefork", entityId]])
        const thefork = yield* mappings.findByEntity("reservation", entityId, "thefork")
        assert.strictEqual(Option.getOrThrow(thefork).syncStatus, "pending")
        assert.strictEqual(yield* queue.enqueueRelay(restaurantId, "reservation", crypto.randomUUID(), "zenchef"), 0)
      })
    )

    test(
      "a relayed menu goes to every other active platform that takes the menu: each holds the restaurant's menu",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const configs = yield* PlatformConfigRepository
        const restaurantId = yield* restaurantOn(["zenchef"])
        const menuTypes = { syncEntities: ["order", "menu_item"] } as const
        yield* configs.create(configInput(restaurantId, "ubereats", menuTypes))
        yield* configs.create(configInput(restaurantId, "deliveroo", menuTypes))
        const menu = `menu:${restaurantId}`
        assert.strictEqual(yield* queue.enqueueRelay(restaurantId, "menu_item", menu, "ubereats"), 1)
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual(jobs.map((j) => [j.platform, j.entityType, j.entityId]), [[
          "deliveroo",
          "menu_item",
          menu
        ]])
      })
    )

    test(
      "a push is queued once per active platform of the restaurant that syncs the entity type",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const configs = yield* PlatformConfigRepository
        const restaurantId = yield* restaurantOn(["zenchef", "thefork"])
        yield* configs.create(configInput(restaurantId, "sevenrooms", { isActive: false }))
        yield* configs.create(configInput(restaurantId, "ubereats", { syncEntities: ["order"] }))
        yield* restaurantOn(["deliveroo"])
        const entityId = crypto.randomUUID()
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", entityId), 2)
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "menu_item", entityId), 0)
        assert.strictEqual(yield* queue.enqueuePush(newRestaurant(), "reservation", entityId), 0)
        const now = yield* nowIso
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.sameMembers(jobs.map((j) => j.platform), ["zenchef", "thefork"])
        for (const job of jobs) {
          assert.deepStrictEqual({ ...job, id: 0, platform: "zenchef" }, {
            id: 0,
            direction: "outbound",
            restaurantId,
            platform: "zenchef",
            entityType: "reservation",
            entityId,
            event: null,
            status: "running",
            attempts: 0,
            claims: 1,
            nextAttemptAt: now,
            lastError: null,
            traceParent: null,
            createdAt: now,
            updatedAt: now
          })
        }
      })
    )

    test(
      "changes waiting for the same push collapse into one job",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const entityId = crypto.randomUUID()
        for (let i = 0; i < 3; i++) {
          assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", entityId), 1)
          yield* TestClock.adjust("1 second")
        }
        yield* queue.enqueuePush(restaurantId, "reservation", crypto.randomUUID())
        assert.deepStrictEqual(yield* queue.counts(), { pending: 2, retrying: 0, dead: 0 })
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.strictEqual(jobs.length, 2)
        // The first change set the due time; the later ones did not push it back.
        assert.strictEqual(jobs.find((j) => j.entityId === entityId)!.nextAttemptAt, new Date(0).toISOString())
      })
    )

    test(
      "a change during a push is queued again and waits until that push is done",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const first = yield* claimedPush(restaurantId, "entity-1")
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", "entity-1"), 1)
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: lease }), [])
        yield* queue.complete(first)
        const done = Option.getOrThrow(yield* queue.get(first.id))
        assert.deepStrictEqual([done.status, done.attempts, done.lastError], ["done", 0, null])
        const second = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual(second.map((j) => [j.entityId, j.status]), [["entity-1", "running"]])
        assert.notStrictEqual(second[0]!.id, first.id)
        yield* TestClock.adjust("1 hour")
        assert.deepStrictEqual(
          ids(yield* queue.claim({ limit: 10, leaseMs: lease })),
          [second[0]!.id],
          "a done job is never taken again"
        )
      })
    )

    test(
      "a new change makes a waiting retry due now, keeping its attempts",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const job = yield* claimedPush(restaurantId)
        yield* queue.retryLater(job, yield* later(30 * 60_000), "503")
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: lease }), [])
        yield* TestClock.adjust("1 minute")
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", job.entityId!), 1)
        const [retried] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual([retried?.id, retried?.attempts, retried?.lastError, retried?.nextAttemptAt], [
          job.id,
          1,
          "503",
          yield* nowIso
        ])
      })
    )

    test(
      "a delivery is stored once per platform and event id, and read back as it came",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        const event = webhookEvent()
        assert.deepStrictEqual(yield* queue.enqueueEvent(restaurantId, event), { duplicate: false })
        assert.deepStrictEqual(yield* queue.enqueueEvent(restaurantId, { ...event, rawPayload: "again" }), {
          duplicate: true
        })
        assert.deepStrictEqual(yield* queue.enqueueEvent(restaurantId, { ...event, platform: "thefork" }), {
          duplicate: false
        })
        const order = webhookEvent({ eventType: "order.created", reservation: undefined })
        delete (order as { reservation?: unknown }).reservation
        yield* queue.enqueueEvent(restaurantId, order)
        const now = yield* nowIso
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease, direction: "inbound" })
        assert.strictEqual(jobs.length, 3)
        assert.deepStrictEqual({ ...jobs[0]!, id: 0 }, {
          id: 0,
          direction: "inbound",
          restaurantId,
          platform: "zenchef",
          entityType: "reservation",
          entityId: null,
          event,
          status: "running",
          attempts: 0,
          claims: 1,
          nextAttemptAt: now,
          lastError: null,
          traceParent: null,
          createdAt: now,
          updatedAt: now
        })
        assert.strictEqual(jobs[1]!.platform, "thefork")
        assert.deepStrictEqual([jobs[2]!.entityType, jobs[2]!.event], ["order", order])
      })
    )

    test(
      "claim takes due jobs oldest first, up to the limit, for one direction if asked",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const events = []
        for (let i = 0; i < 3; i++) {
          events.push(webhookEvent())
          yield* queue.enqueueEvent(restaurantId, events[i]!)
          yield* TestClock.adjust("1 second")
        }
        yield* queue.enqueuePush(restaurantId, "reservation", crypto.randomUUID())
        const outbound = yield* queue.claim({ limit: 10, leaseMs: lease, direction: "outbound" })
        assert.deepStrictEqual(outbound.map((j) => j.direction), ["outbound"])
        const firstTwo = yield* queue.claim({ limit: 2, leaseMs: lease })
        assert.deepStrictEqual(firstTwo.map((j) => j.event?.eventId), [events[0]!.eventId, events[1]!.eventId])
        assert.deepStrictEqual((yield* queue.claim({ limit: 2, leaseMs: lease })).map((j) => j.event?.eventId), [
          events[2]!.eventId
        ])
        assert.deepStrictEqual(yield* queue.claim({ limit: 2, leaseMs: lease }), [])
      })
    )

    test(
      "claimed jobs come back ordered by id, whatever their due order",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const early = yield* claimedPush(restaurantId)
        yield* queue.retryLater(early, yield* later(60_000), "timeout")
        yield* TestClock.adjust("10 seconds")
        yield* queue.enqueuePush(restaurantId, "reservation", crypto.randomUUID())
        yield* TestClock.adjust("2 minutes")
        const [dueFirst] = yield* queue.claim({ limit: 1, leaseMs: lease })
        assert.notStrictEqual(dueFirst!.id, early.id, "the job due first is taken first")
        yield* queue.retryLater(dueFirst!, yield* nowIso, "timeout")
        const both = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual(ids(both), [early.id, dueFirst!.id])
      })
    )

    test(
      "a claimed job is leased: nobody takes it until the lease runs out",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        yield* queue.enqueueEvent(newRestaurant(), webhookEvent())
        const [job] = yield* queue.claim({ limit: 10, leaseMs: 30_000 })
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: 30_000 }), [])
        yield* TestClock.adjust("30 seconds")
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: 30_000 }), [])
        yield* TestClock.adjust("1 millis")
        const again = yield* queue.claim({ limit: 10, leaseMs: 30_000 })
        // The abandoned attempt counts as a failed one (issue 19).
        assert.deepStrictEqual(again.map((j) => [j.id, j.status, j.attempts, j.claims]), [[job!.id, "running", 1, 2]])
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: 30_000 }), [])
      })
    )

    test(
      "a settle under a lost claim changes nothing; the new holder's settle counts",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const first = yield* claimedPush(restaurantId)
        yield* TestClock.adjust(lease + 1)
        const [second] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.strictEqual(second?.id, first.id)
        assert.isFalse(yield* queue.complete(first))
        assert.isFalse(yield* queue.retryLater(first, yield* later(60_000), "late"))
        assert.isFalse(yield* queue.bury(first, "late"))
        assert.deepStrictEqual(yield* queue.completeMany([first]), [])
        assert.strictEqual(Option.getOrThrow(yield* queue.get(first.id)).status, "running")
        assert.isTrue(yield* queue.complete(second!))
        assert.isFalse(yield* queue.complete(second!), "a settled job is settled once")
        assert.strictEqual(Option.getOrThrow(yield* queue.get(first.id)).status, "done")
      })
    )

    test(
      "a released claim is due again at once, attempts unchanged, taking over a push queued meanwhile; a stale one is left",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const kept = yield* claimedPush(restaurantId)
        const released = yield* claimedPush(restaurantId)
        // A change to the released job's record, queued while it was claimed.
        assert.strictEqual(yield* queue.enqueuePush(restaurantId, "reservation", released.entityId!), 1)
        yield* TestClock.adjust("1 minute")
        assert.strictEqual(yield* queue.release([released, { id: kept.id, claims: kept.claims + 1 }]), 1)
        assert.deepStrictEqual(yield* queue.counts(), { pending: 1, retrying: 0, dead: 0 })
        const [again, ...others] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual(others, [], "the queued change was taken over, the kept claim still runs")
        assert.deepStrictEqual([again?.id, again?.attempts, again?.nextAttemptAt], [released.id, 0, yield* nowIso])
        assert.strictEqual(yield* queue.release([released]), 0, "its claim was taken again: stale")
        assert.isTrue(yield* queue.complete(kept))
      })
    )

    test(
      "a heartbeat keeps a long attempt's lease; a lost claim is not extended",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const job = yield* claimedPush(restaurantId)
        for (let i = 0; i < 3; i++) {
          yield* TestClock.adjust(lease / 2)
          assert.strictEqual(yield* queue.extendLeases([job], lease), 1)
          assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: lease }), [], "the lease still runs")
        }
        yield* TestClock.adjust(lease + 1)
        const [taken] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.strictEqual(taken?.id, job.id)
        assert.strictEqual(yield* queue.extendLeases([job], lease), 0)
      })
    )

    test(
      "a job whose attempts never settle is dead-lettered after the retry limit",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["ubereats"], ["order"])
        yield* queue.enqueueEvent(restaurantId, webhookEvent())
        yield* queue.enqueueEvent(restaurantId, webhookEvent({ eventType: "reservation.cancelled" }))
        yield* queue.enqueuePush(restaurantId, "order", "order-1")
        const taken: Array<number> = []
        for (let i = 0; i < 5; i++) {
          taken.push((yield* queue.claim({ limit: 10, leaseMs: lease, maxRetries: 2 })).length)
          yield* TestClock.adjust(lease + 1)
        }
        // Taken three times (two abandoned attempts allowed), then buried at the next claim.
        assert.deepStrictEqual(taken, [3, 3, 3, 0, 0])
        assert.deepStrictEqual(yield* queue.counts(), { pending: 0, retrying: 0, dead: 3 })
        // Buried at a claim, not by a worker: the sync log still says so, with what each job does.
        const logged = yield* (yield* SyncLogRepository).list({ restaurantId, status: "failed", limit: 10, offset: 0 })
        const abandoned = "the attempt never settled: its worker stopped or lost its lease"
        assert.deepStrictEqual(
          logged.items.map((l) => [l.direction, l.entityType, l.action, l.retryCount, l.errorMessage]).sort(),
          [
            ["inbound", "reservation", "cancel", 3, abandoned],
            ["inbound", "reservation", "create", 3, abandoned],
            ["outbound", "order", "status_change", 3, abandoned]
          ]
        )
      })
    )

    test(
      "a push whose worker vanished is taken again before the change queued after it",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const stale = yield* claimedPush(restaurantId, "entity-1")
        yield* queue.enqueuePush(restaurantId, "reservation", "entity-1")
        yield* TestClock.adjust(lease + 1)
        const [retaken] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.strictEqual(retaken?.id, stale.id)
        yield* queue.complete(retaken!)
        const [next] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.isTrue(next !== undefined && next.id !== stale.id && next.entityId === "entity-1")
      })
    )

    test(
      "retryLater schedules the next attempt by the clock and counts the failure",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["thefork"])
        const job = yield* claimedPush(restaurantId)
        const dueAt = yield* later(60_000)
        yield* queue.retryLater(job, dueAt, "timeout")
        const waiting = Option.getOrThrow(yield* queue.get(job.id))
        assert.deepStrictEqual([waiting.status, waiting.attempts, waiting.nextAttemptAt, waiting.lastError], [
          "pending",
          1,
          dueAt,
          "timeout"
        ])
        assert.deepStrictEqual(yield* queue.counts(), { pending: 1, retrying: 1, dead: 0 })
        yield* TestClock.adjust("59 seconds")
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: lease }), [])
        yield* TestClock.adjust("1 second")
        const [retried] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual([retried?.id, retried?.attempts], [job.id, 1])
        yield* queue.retryLater(retried!, yield* later(300_000), "timeout again")
        assert.strictEqual(Option.getOrThrow(yield* queue.get(job.id)).attempts, 2)
      })
    )

    test(
      "bury makes a dead letter; replay makes it due now with its attempts reset",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const job = yield* claimedPush(restaurantId)
        yield* queue.retryLater(job, yield* nowIso, "timeout")
        const [again] = yield* queue.claim({ limit: 10, leaseMs: lease })
        yield* queue.bury(again!, "400 invalid party size")
        const dead = Option.getOrThrow(yield* queue.get(job.id))
        assert.deepStrictEqual([dead.status, dead.attempts, dead.lastError], ["dead", 2, "400 invalid party size"])
        assert.deepStrictEqual(yield* queue.counts(), { pending: 0, retrying: 0, dead: 1 })
        yield* TestClock.adjust("1 day")
        assert.deepStrictEqual(yield* queue.claim({ limit: 10, leaseMs: lease }), [])
        const replayed = Option.getOrThrow(yield* queue.replay(job.id))
        assert.deepStrictEqual([replayed.id, replayed.status, replayed.attempts, replayed.nextAttemptAt], [
          job.id,
          "pending",
          0,
          yield* nowIso
        ])
        assert.deepStrictEqual(yield* queue.get(job.id), Option.some(replayed))
        assert.isTrue(Option.isNone(yield* queue.replay(job.id)), "only a dead job is replayed")
        assert.isTrue(Option.isNone(yield* queue.replay(987_654)))
        assert.isTrue(Option.isNone(yield* queue.get(987_654)))
        assert.deepStrictEqual(ids(yield* queue.claim({ limit: 10, leaseMs: lease })), [job.id])
      })
    )

    test(
      "a retried or replayed push takes over the change queued meanwhile",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const job = yield* claimedPush(restaurantId, "entity-1")
        yield* queue.enqueuePush(restaurantId, "reservation", "entity-1")
        yield* TestClock.adjust("1 second")
        yield* queue.retryLater(job, yield* later(300_000), "503")
        assert.deepStrictEqual(yield* queue.counts(), { pending: 1, retrying: 1, dead: 0 })
        const [taken] = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.deepStrictEqual([taken?.id, taken?.attempts], [job.id, 1], "due at once: the new change was already due")
        yield* queue.bury(taken!, "400")
        yield* queue.enqueuePush(restaurantId, "reservation", "entity-1")
        assert.isTrue(Option.isSome(yield* queue.replay(job.id)))
        assert.deepStrictEqual(yield* queue.counts(), { pending: 1, retrying: 0, dead: 0 })
        assert.deepStrictEqual(ids(yield* queue.claim({ limit: 10, leaseMs: lease })), [job.id])
      })
    )

    test(
      "makeRetriesDue makes every waiting retry due now",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef"])
        const inAnHour = yield* claimedPush(restaurantId)
        yield* queue.retryLater(inAnHour, yield* later(3_600_000), "503")
        const inTwoHours = yield* claimedPush(restaurantId)
        yield* queue.retryLater(inTwoHours, yield* later(7_200_000), "503")
        const dead = yield* claimedPush(restaurantId)
        yield* queue.bury(dead, "400")
        const alreadyDue = yield* claimedPush(restaurantId)
        yield* queue.retryLater(alreadyDue, yield* nowIso, "503")
        yield* queue.enqueuePush(restaurantId, "reservation", "fresh")
        yield* TestClock.adjust("1 second")
        assert.strictEqual(yield* queue.makeRetriesDue(), 2)
        assert.strictEqual(yield* queue.makeRetriesDue(), 0)
        assert.strictEqual(Option.getOrThrow(yield* queue.get(inTwoHours.id)).nextAttemptAt, yield* nowIso)
        const taken = yield* queue.claim({ limit: 10, leaseMs: lease })
        assert.strictEqual(taken.length, 4)
        assert.includeMembers(ids(taken), [inAnHour.id, inTwoHours.id, alreadyDue.id])
        assert.notInclude(ids(taken), dead.id)
      })
    )

    test(
      "lists retries and dead letters newest first, filtered and paginated",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = yield* restaurantOn(["zenchef", "thefork"])
        yield* queue.enqueuePush(restaurantId, "reservation", "entity-1")
        yield* queue.enqueueEvent(restaurantId, webhookEvent())
        const elsewhere = yield* restaurantOn(["zenchef"])
        yield* queue.enqueuePush(elsewhere, "reservation", "entity-2")
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease })
        const find = (p: (j: SyncJob) => boolean) => jobs.find(p)!
        const zenchef = find((j) =>
          j.restaurantId === restaurantId && j.platform === "zenchef" && j.direction === "outbound"
        )
        const thefork = find((j) => j.platform === "thefork")
        const inbound = find((j) => j.direction === "inbound")
        const other = find((j) => j.restaurantId === elsewhere)
        for (const job of [zenchef, other, inbound]) {
          yield* queue.retryLater(job, yield* later(3_600_000), "503")
          yield* TestClock.adjust("1 second")
        }
        yield* queue.bury(thefork, "400")
        const list = (filter: Omit<Parameters<typeof queue.list>[0], "limit" | "offset">, limit = 10, offset = 0) =>
          queue.list({ limit, offset, ...filter })
        const retrying = yield* list({ status: "retrying", restaurantId })
        assert.deepStrictEqual([retrying.total, ids(retrying.items)], [2, [inbound.id, zenchef.id]])
        assert.deepStrictEqual(retrying.items[1], Option.getOrThrow(yield* queue.get(zenchef.id)))
        const second = yield* list({ status: "retrying", restaurantId }, 1, 1)
        assert.deepStrictEqual([second.total, second.limit, second.offset, ids(second.items)], [2, 1, 1, [zenchef.id]])
        assert.deepStrictEqual(ids((yield* list({ status: "retrying" })).items), [inbound.id, other.id, zenchef.id])
        assert.deepStrictEqual(ids((yield* list({ status: "retrying", direction: "inbound" })).items), [inbound.id])
        assert.deepStrictEqual(ids((yield* list({ status: "retrying", restaurantId, platform: "thefork" })).items), [])
        const dead = yield* list({ status: "dead", platform: "thefork" })
        assert.deepStrictEqual([dead.total, ids(dead.items)], [1, [thefork.id]])
        const past = yield* list({ status: "retrying", restaurantId }, 10, 5)
        assert.deepStrictEqual([past.total, past.items], [2, []])
      })
    )

    test(
      "two workers claiming at once never take the same job",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        yield* Effect.forEach(
          Array.from({ length: 200 }, () => webhookEvent()),
          (e) => queue.enqueueEvent(restaurantId, e),
          { concurrency: 4 }
        )
        const [a, b] = yield* Effect.all([drain, drain], { concurrency: 2 })
        const all = [...a, ...b].sort((x, y) => x - y)
        assert.strictEqual(all.length, 200)
        assert.strictEqual(new Set(all).size, 200)
        assert.isTrue(a.length > 0 && b.length > 0, "both workers took part")
      })
    )
  })
