import { assert, describe, it } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { newRestaurant } from "./platform-config.contract.js"
import { ids, lease, type Services, webhookEvent } from "./sync-job-queue.fixtures.js"

/** The batch operations every SyncJobQueue shares: what one call does for many jobs. */
export const syncJobQueueBatchContract = (name: string, queue: Layer.Layer<Services>) =>
  describe(`sync job queue batches (${name})`, () => {
    const test = (title: string, body: Effect.Effect<void, unknown, Services>) =>
      it.effect(title, () => Effect.provide(body, queue))

    test(
      "deliveries stored together answer in input order; a repeat in the call and a redelivery are duplicates",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        const elsewhere = newRestaurant()
        const [known, first, second] = [webhookEvent(), webhookEvent(), webhookEvent()]
        yield* queue.enqueueEvent(restaurantId, known)
        const stored = yield* queue.enqueueEvents([
          { restaurantId, event: first },
          { restaurantId, event: { ...known, rawPayload: "redelivered" } },
          { restaurantId: elsewhere, event: second },
          { restaurantId, event: { ...first, rawPayload: "again" } },
          { restaurantId, event: { ...first, platform: "thefork" } }
        ])
        assert.deepStrictEqual(stored.map((s) => s.duplicate), [false, true, false, true, false])
        const jobs = yield* queue.claim({ limit: 10, leaseMs: lease, direction: "inbound" })
        assert.deepStrictEqual(
          jobs.map((j) => [j.restaurantId, j.platform, j.event?.eventId]),
          [
            [restaurantId, "zenchef", known.eventId],
            [restaurantId, "zenchef", first.eventId],
            [elsewhere, "zenchef", second.eventId],
            [restaurantId, "thefork", first.eventId]
          ],
          "stored once each, in the order given"
        )
        assert.deepStrictEqual(jobs[0]!.event, known, "a redelivery does not overwrite what was stored")
        assert.deepStrictEqual(jobs[1]!.event, first, "the first copy in the call is the one stored")
        assert.deepStrictEqual(yield* queue.enqueueEvents([]), [])
      })
    )

    test(
      "a large batch is stored in one call",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        const restaurantId = newRestaurant()
        const events = Array.from({ length: 1_000 }, () => ({ restaurantId, event: webhookEvent() }))
        const stored = yield* queue.enqueueEvents(events)
        assert.deepStrictEqual([stored.length, stored.filter((s) => s.duplicate).length], [1_000, 0])
        assert.deepStrictEqual(yield* queue.counts(), { pending: 1_000, retrying: 0, dead: 0 })
        assert.isTrue((yield* queue.enqueueEvents(events)).every((s) => s.duplicate))
      })
    )

    test(
      "completeMany marks every given job done, as complete does, and leaves the others",
      Effect.gen(function*() {
        const queue = yield* SyncJobQueue
        yield* queue.enqueueEvents(
          Array.from({ length: 3 }, () => ({ restaurantId: newRestaurant(), event: webhookEvent() }))
        )
        const [a, b, c] = yield* queue.claim({ limit: 10, leaseMs: lease })
        yield* queue.completeMany([a!, b!, { id: 987_654, claims: 1 }])
        yield* queue.completeMany([])
        for (const job of [a!, b!]) {
          const done = Option.getOrThrow(yield* queue.get(job.id))
          assert.deepStrictEqual([done.status, done.attempts, done.lastError], ["done", 0, null])
        }
        assert.strictEqual(Option.getOrThrow(yield* queue.get(c!.id)).status, "running")
        yield* TestClock.adjust(lease + 1)
        assert.deepStrictEqual(
          ids(yield* queue.claim({ limit: 10, leaseMs: lease })),
          [c!.id],
          "a done job is never taken again"
        )
      })
    )
  })
