import { assert, describe, it, layer } from "@effect/vitest"
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Ref, Scope } from "effect"
import { MappingRepositoryMemory } from "../../../src/adapters/memory/mapping-repository.js"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../../src/adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../../../src/adapters/memory/sync-log-repository.js"
import { SyncJobQueueSql } from "../../../src/adapters/sql/sync-job-queue.js"
import { EventInbox, EventInboxLive } from "../../../src/app/sync/event-inbox.js"
import type { WebhookEvent } from "../../../src/domain/dtos.js"
import { type EventToStore, SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { newRestaurant } from "../../adapters/contracts/platform-config.contract.js"
import { webhookEvent } from "../../adapters/contracts/sync-job-queue.fixtures.js"
import { TestDatabaseLive } from "../../support/database.js"

type Queue = Context.Tag.Service<SyncJobQueue>

/** The queue in place, with `enqueueEvents` replaced by `write` (which may call the real one). */
const inboxOver = (
  write: (items: ReadonlyArray<EventToStore>, queue: Queue) => ReturnType<Queue["enqueueEvents"]>
) =>
  EventInboxLive.pipe(
    Layer.provide(Layer.effect(
      SyncJobQueue,
      Effect.map(SyncJobQueue, (queue) => ({ ...queue, enqueueEvents: (items) => write(items, queue) }))
    ))
  )

const storedEventIds = Effect.gen(function*() {
  const jobs = yield* (yield* SyncJobQueue).claim({ limit: 1_000, leaseMs: 60_000, direction: "inbound" })
  return jobs.map((j) => j.event!.eventId).sort()
})

/** Events are deduplicated per restaurant and platform: every delivery here is to one restaurant. */
const restaurant = newRestaurant()

const storeEach = (events: ReadonlyArray<WebhookEvent>) =>
  Effect.flatMap(
    EventInbox,
    (inbox) =>
      Effect.forEach(events, (event) => Effect.exit(inbox.store(restaurant, [event])), {
        concurrency: "unbounded"
      })
  )

describe("EventInbox on PostgreSQL", () => {
  layer(SyncJobQueueSql.pipe(Layer.provideMerge(TestDatabaseLive)))((it) => {
    it.effect("200 concurrent deliveries share a few statements; each is stored once and redeliveries are duplicates", () =>
      Effect.gen(function*() {
        const writes = yield* Ref.make(0)
        const counted = inboxOver((items, queue) =>
          Effect.zipRight(Ref.update(writes, (n) => n + 1), queue.enqueueEvents(items))
        )
        const events = Array.from({ length: 180 }, () => webhookEvent())
        const redelivered = events.slice(0, 20).map((e) => ({ ...e, rawPayload: "redelivered" }))
        const results = yield* Effect.provide(storeEach([...events, ...redelivered]), counted)

        const answers = results.map((exit) =>
          Exit.getOrElse(exit, () => assert.fail("a delivery failed"))[0]!.duplicate
        )
        assert.strictEqual(answers.filter(Boolean).length, 20)
        for (let i = 0; i < 20; i++) {
          assert.isTrue(answers[i] !== answers[180 + i], `exactly one copy of event ${i} is new`)
        }
        const statements = yield* Ref.get(writes)
        assert.isTrue(statements < 20, `${statements} statements for 200 deliveries`)
        assert.deepStrictEqual(yield* storedEventIds, events.map((e) => e.eventId).sort())
      }))

    it.effect("a delivery of several events is answered per event, in order", () =>
      Effect.gen(function*() {
        const inbox = yield* EventInbox
        const [a, b] = [webhookEvent(), webhookEvent()]
        const stored = yield* inbox.store(newRestaurant(), [a, b, { ...a, rawPayload: "again" }])
        assert.deepStrictEqual(stored.map((s) => s.duplicate), [false, false, true])
        assert.deepStrictEqual(yield* inbox.store(newRestaurant(), []), [])
      }).pipe(Effect.provide(EventInboxLive)))
  })
})

describe("EventInbox when writes fail or the service stops", () => {
  const memoryQueue = SyncJobQueueMemory.pipe(
    Layer.provide(Layer.mergeAll(PlatformConfigRepositoryMemory, MappingRepositoryMemory, SyncLogRepositoryMemory))
  )

  it.effect("a failed write fails every caller in it and reports none of their events stored; the next write goes on", () =>
    Effect.gen(function*() {
      const failedItems = yield* Ref.make<number | undefined>(undefined)
      const failingOnce = inboxOver((items, queue) =>
        Effect.flatMap(
          Ref.getAndUpdate(failedItems, (n) => n ?? items.length),
          (failed) => failed === undefined ? Effect.die(new Error("connection lost")) : queue.enqueueEvents(items)
        )
      )
      const events = Array.from({ length: 30 }, () => webhookEvent())
      const [results, retried] = yield* Effect.gen(function*() {
        const results = yield* storeEach(events)
        // The platform delivers the failed ones again, to the same inbox: they are new, not duplicates.
        return [results, yield* storeEach(events.filter((_, i) => Exit.isFailure(results[i]!)))] as const
      }).pipe(Effect.provide(failingOnce))

      assert.strictEqual(
        retried.length,
        yield* Ref.get(failedItems),
        "every caller of the failed write failed, no other"
      )
      for (const exit of results) if (Exit.isFailure(exit)) assert.isTrue(Cause.isDie(exit.cause))
      const acknowledged = events.filter((_, i) => Exit.isSuccess(results[i]!)).map((e) => e.eventId)
      assert.isTrue(retried.every((exit) => Exit.isSuccess(exit) && !exit.value[0]!.duplicate))
      assert.strictEqual(acknowledged.length + retried.length, events.length)
      assert.deepStrictEqual(yield* storedEventIds, events.map((e) => e.eventId).sort())
    }).pipe(Effect.provide(memoryQueue)))

  it.live("closing stores and answers every accepted delivery, even those not yet taken, refuses later ones, and does not hang", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const gated = inboxOver((items, queue) => Effect.zipRight(Deferred.await(gate), queue.enqueueEvents(items)))
      const scope = yield* Scope.make()
      const inbox = Context.get(yield* Layer.buildWithScope(gated, scope), EventInbox)

      const deliver = (count: number) =>
        Effect.forEach(
          Array.from({ length: count }, () => webhookEvent()),
          (event) => Effect.fork(inbox.store(newRestaurant(), [event]))
        )
      // One delivery in a write held at the gate, nine waiting behind it when closing starts.
      const inFlight = yield* deliver(1)
      yield* Effect.sleep("20 millis")
      const waiting = yield* deliver(9)
      yield* Effect.sleep("20 millis")
      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* Effect.sleep("20 millis")
      assert.isTrue(Option.isNone(yield* Fiber.poll(closing)), "closing waits for the write in flight")
      const refused = yield* Effect.exit(inbox.store(newRestaurant(), [webhookEvent()]))
      assert.isTrue(
        Exit.isFailure(refused) && Cause.isInterruptedOnly(refused.cause),
        "a delivery after close is refused at once"
      )

      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(closing).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "closing hung" }))
      const answers = yield* Fiber.joinAll([...inFlight, ...waiting])
      assert.deepStrictEqual(answers.map(([s]) => s!.duplicate), Array.from({ length: 10 }, () => false))
      assert.strictEqual((yield* (yield* SyncJobQueue).counts()).pending, 10)
    }).pipe(Effect.provide(memoryQueue)))
})
