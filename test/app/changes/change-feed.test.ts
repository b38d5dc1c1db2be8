import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Ref, Schedule, Schema, Stream } from "effect"
import { CurrentCaller, CurrentCallerSystem } from "../../../src/app/caller.js"
import { RepositoriesMemory, RepositoriesSql } from "../../../src/app/layers.js"
import { Changes } from "../../../src/app/services/changes.js"
import type { ChangeEntry } from "../../../src/domain/changes.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { ChangeFeed, ChangeLog, feedStart, withChangeOrigin } from "../../../src/ports/change-feed.js"
import { ReservationRepository, Transactor } from "../../../src/ports/entity-repository.js"
import { UnitsOfWork } from "../../../src/ports/unit-of-work.js"
import { TestDatabaseLive } from "../../support/database.js"
import { samples } from "../../support/samples.js"

const decodeReservation = Schema.decodeUnknownSync(E.reservation.Create)
const reservationOf = (restaurantId: string, notes: string) =>
  decodeReservation({ ...samples.reservation(restaurantId), notes })
const restaurant = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}` as RestaurantId

/** Reads the whole feed from the start, page by page, as a reader following the cursor does. */
const readAll = (restaurantIds?: ReadonlyArray<RestaurantId>) =>
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    const all: Array<ChangeEntry> = []
    let after = feedStart
    while (true) {
      const page = yield* feed.read({ after, restaurantIds, limit: 50 })
      all.push(...page.entries)
      after = page.next
      if (page.entries.length === 0) return all
    }
  })

/**
 * The feed serves a transaction's entries once no older transaction of the cluster is running;
 * other test files write to the same cluster, so a reader waits for what it expects (bounded).
 */
const settled = <A, E, R>(read: Effect.Effect<ReadonlyArray<A>, E, R>, count: number) =>
  read.pipe(
    Effect.filterOrFail((entries) => entries.length >= count, () => new Error(`fewer than ${count} entries served`)),
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo("10 seconds"))),
    Effect.orDie
  )

const limitedTo = (restaurants: ReadonlyArray<RestaurantId>) =>
  Effect.provideService(CurrentCaller, { keyId: "k", name: "limited", role: "operator", restaurants })

const contract = (name: string, repositories: typeof RepositoriesMemory) =>
  layer(Changes.Default.pipe(Layer.provideMerge(repositories), Layer.merge(CurrentCallerSystem)), {
    timeout: "60 seconds",
    excludeTestServices: true
  })(`change log (${name})`, (it) => {
    it.effect("every create, update, cancel and delete is one entry, with its version, origin and record", () =>
      Effect.gen(function*() {
        const reservations = yield* ReservationRepository
        const transactor = yield* Transactor
        const r = restaurant("log")
        const created = yield* transactor.withTransaction(reservations.create(reservationOf(r, "a")))
        yield* transactor.withTransaction(reservations.update(created.id, { partySize: 5 }))
        yield* reservations.update(created.id, { status: "cancelled" }).pipe(withChangeOrigin("thefork"))
        yield* reservations.remove(created.id).pipe(withChangeOrigin("ai"))
        const mine = yield* settled(readAll([r]), 4)
        assert.deepStrictEqual(mine.map((e) => [e.action, e.version, e.origin]), [
          ["create", 1, "api"],
          ["update", 2, "api"],
          ["cancel", 3, "thefork"],
          ["delete", 4, "ai"]
        ])
        assert.strictEqual((mine[1]!.record as E.Reservation).partySize, 5)
        assert.isTrue(
          mine.every((e) => e.entityId === created.id && e.entityType === "reservation" && e.restaurantId === r)
        )
      }))

    it.effect("an inbound batch logs each version its records went through, with each event's platform", () =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const units = yield* UnitsOfWork
        const r = restaurant("batch")
        yield* transactor.withTransaction(Effect.gen(function*() {
          const work = yield* units.begin
          const writes = Effect.gen(function*() {
            const reservations = yield* ReservationRepository
            const a = yield* reservations.create(reservationOf(r, "a")).pipe(withChangeOrigin("thefork"))
            yield* reservations.update(a.id, { partySize: 3 }).pipe(withChangeOrigin("zenchef"))
          })
          yield* Effect.provide(writes, work.repositories)
          yield* work.flush
        }))
        const mine = yield* settled(readAll([r]), 2)
        assert.deepStrictEqual(mine.map((e) => [e.action, e.version, e.origin]), [["create", 1, "thefork"], [
          "update",
          2,
          "zenchef"
        ]])
      }))

    it.effect("a key limited to one restaurant reads only its entries, and is refused another's", () =>
      Effect.gen(function*() {
        const reservations = yield* ReservationRepository
        const changes = yield* Changes
        const [a, b] = [restaurant("a"), restaurant("b")]
        yield* reservations.create(reservationOf(a, "a"))
        yield* reservations.create(reservationOf(b, "b"))
        const entries = yield* settled(
          Effect.map(changes.page({ limit: 1000 }), (p) => p.entries).pipe(limitedTo([a])),
          1
        )
        assert.isTrue(entries.every((e) => e.restaurantId === a))
        const refused = yield* Effect.flip(changes.page({ limit: 10, restaurantId: b }).pipe(limitedTo([a])))
        assert.strictEqual(refused._tag, "Forbidden")
        const streamed = yield* Effect.flatMap(
          changes.follow({}).pipe(limitedTo([a])),
          (events) =>
            Stream.runCollect(events.pipe(Stream.filter((e) => e._tag === "Entry"), Stream.take(entries.length)))
        )
        assert.isTrue(Chunk.toReadonlyArray(streamed).every((e) => e._tag === "Entry" && e.entry.restaurantId === a))
      }))

    it.effect("retention deletes old entries, and a cursor older than what it kept is refused, not skipped over", () =>
      Effect.gen(function*() {
        const log = yield* ChangeLog
        const changes = yield* Changes
        const r = restaurant("old")
        const old = (entityId: string) => ({
          restaurantId: r,
          entityType: "reservation" as const,
          entityId,
          action: "create" as const,
          version: 1,
          origin: "api" as const,
          occurredAt: "2000-01-01T00:00:00.000Z",
          record: {}
        })
        yield* log.append([old("o1"), old("o2"), old("o3")])
        const [first, , third] = yield* settled(
          Effect.map(changes.page({ limit: 10, restaurantId: r }), (p) => p.entries),
          3
        )
        const pruned = yield* settled(
          Effect.map(log.prune("2000-01-01T00:00:00.001Z", 2), (n) => Array.from({ length: n })),
          1
        )
        assert.strictEqual(pruned.length, 2, "two per call, oldest first")
        const refused = yield* Effect.flip(changes.page({ limit: 10, restaurantId: r, after: first!.cursor }))
        assert.strictEqual(refused._tag, "ValidationError")
        assert.include(refused.message, "CHANGE_LOG_RETENTION")
        const fromStart = yield* changes.page({ limit: 10, restaurantId: r })
        assert.deepStrictEqual(fromStart.entries.map((e) => e.entityId), ["o3"])
        const { entries } = yield* changes.page({ limit: 10, restaurantId: r, after: third!.cursor })
        assert.deepStrictEqual(entries, [])
      }))

    it.effect("a stream resumed from the last event's id misses nothing and repeats nothing", () =>
      Effect.gen(function*() {
        const reservations = yield* ReservationRepository
        const changes = yield* Changes
        const r = restaurant("sse")
        const start = (yield* changes.page({ limit: 1000, restaurantId: r })).cursor
        for (let i = 0; i < 6; i++) yield* reservations.create(reservationOf(r, `n${i}`))
        const take = (after: string, n: number) =>
          Effect.flatMap(
            changes.follow({ after, restaurantId: r }),
            (events) => Stream.runCollect(events.pipe(Stream.filter((e) => e._tag === "Entry"), Stream.take(n)))
          )
        const first = Chunk.toReadonlyArray(yield* take(start, 2)).flatMap((e) => (e._tag === "Entry" ? [e.entry] : []))
        // Disconnected: more changes arrive meanwhile.
        for (let i = 6; i < 9; i++) yield* reservations.create(reservationOf(r, `n${i}`))
        const rest = Chunk.toReadonlyArray(yield* take(first.at(-1)!.cursor, 7)).flatMap((
          e
        ) => (e._tag === "Entry" ? [e.entry] : []))
        const notes = [...first, ...rest].map((e) => (e.record as E.Reservation).notes)
        assert.deepStrictEqual(notes, Array.from({ length: 9 }, (_, i) => `n${i}`))
      }))

    it.effect("a client that stops reading is told to resume from its cursor, not buffered", () =>
      Effect.gen(function*() {
        const reservations = yield* ReservationRepository
        const changes = yield* Changes
        const r = restaurant("slow")
        for (let i = 0; i < 12; i++) yield* reservations.create(reservationOf(r, `s${i}`))
        const events = yield* changes.follow({ restaurantId: r }, {
          pollInterval: "20 millis",
          keepAlive: "10 seconds",
          buffer: 5
        })
        // The consumer reads slower than the log fills the read-ahead: the stream says where to resume.
        const slowly = Stream.mapEffect(events, (event) => Effect.as(Effect.sleep("50 millis"), event))
        const collected = yield* Stream.runCollect(slowly).pipe(Effect.timeout("5 seconds"))
        const all = Chunk.toReadonlyArray(collected)
        const last = all.at(-1)!
        assert.strictEqual(last._tag, "Resume")
        const sent = all.flatMap((e) => (e._tag === "Entry" ? [e.entry] : []))
        assert.isTrue(sent.length < 12)
        assert.deepStrictEqual(sent.map((e) => (e.record as E.Reservation).notes), sent.map((_, i) => `s${i}`))
        assert.strictEqual(last._tag === "Resume" && last.cursor, sent.at(-1)!.cursor)
      }))
  })

contract("memory", RepositoriesMemory)
contract(
  "PostgreSQL",
  RepositoriesSql.pipe(Layer.provideMerge(TestDatabaseLive)) as unknown as typeof RepositoriesMemory
)

describe("change feed under concurrent writers, on PostgreSQL", () => {
  layer(RepositoriesSql.pipe(Layer.provideMerge(TestDatabaseLive)), {
    timeout: "120 seconds",
    excludeTestServices: true
  })((it) => {
    it.effect("a reader following the cursor sees every entry once, in an order consistent with commits", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const transactor = yield* Transactor
        const reservations = yield* ReservationRepository
        const units = yield* UnitsOfWork
        const feed = yield* ChangeFeed
        const r = restaurant("race")
        const clock = yield* Ref.make(0)
        const tick = Ref.updateAndGet(clock, (n) => n + 1)
        const transactions: Array<{ readonly tag: string; readonly began: number; readonly committed: number }> = []
        const run = (tag: string, body: Effect.Effect<void>) =>
          Effect.gen(function*() {
            const began = yield* tick
            yield* transactor.withTransaction(body)
            transactions.push({ tag, began, committed: yield* tick })
          })

        // API writers: a create and an update per transaction, one in four held open on purpose.
        const apiWriter = (w: number) =>
          Effect.forEach(Array.from({ length: 12 }, (_, i) => i), (i) =>
            run(
              `api${w}.${i}`,
              Effect.gen(function*() {
                const created = yield* reservations.create(reservationOf(r, `api${w}.${i}`))
                if (i % 4 === 0) yield* Effect.sleep("150 millis")
                yield* Effect.orDie(reservations.update(created.id, { partySize: 3 }))
              })
            ), { discard: true })
        // Inbound batches: several bookings per transaction, through the unit of work.
        const batchWriter = (w: number) =>
          Effect.forEach(Array.from({ length: 6 }, (_, i) => i), (i) =>
            run(
              `batch${w}.${i}`,
              Effect.gen(function*() {
                const work = yield* units.begin
                yield* Effect.provide(
                  Effect.gen(function*() {
                    const repo = yield* ReservationRepository
                    for (let k = 0; k < 4; k++) {
                      const created = yield* repo.create(reservationOf(r, `batch${w}.${i}`))
                      if (k % 2 === 0) yield* Effect.orDie(repo.update(created.id, { partySize: 6 }))
                    }
                  }),
                  work.repositories
                ).pipe(withChangeOrigin("thefork"))
                if (i % 3 === 0) yield* Effect.sleep("200 millis")
                yield* work.flush
              })
            ), { discard: true })

        const expected = 3 * 12 * 2 + 2 * 6 * (4 + 2)
        const done = yield* Ref.make(false)
        const seen: Array<ChangeEntry> = []
        const reader = Effect.gen(function*() {
          let after = feedStart
          while (true) {
            const finished = yield* Ref.get(done)
            const page = yield* feed.read({ after, restaurantIds: [r], limit: 7 })
            seen.push(...page.entries)
            after = page.next
            // Entries of this file's transactions also wait for other files' ones (the horizon is the
            // cluster's): once the writers are done, the reader goes on until it has all it expects.
            if (finished && page.entries.length === 0 && seen.length >= expected) return
            if (page.entries.length === 0) yield* Effect.sleep("5 millis")
          }
        })
        const reading = yield* Effect.fork(reader)
        yield* Effect.all([apiWriter(1), apiWriter(2), apiWriter(3), batchWriter(1), batchWriter(2)], {
          concurrency: "unbounded"
        })
        yield* Ref.set(done, true)
        yield* Fiber.join(reading).pipe(
          Effect.timeoutFail({
            duration: "15 seconds",
            onTimeout: () => new Error(`the reader saw ${seen.length} of ${expected} entries`)
          }),
          Effect.orDie
        )

        const [{ n }] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM change_log WHERE restaurant_id = ${r}`
        const sequences = seen.map((e) => e.sequence)
        assert.strictEqual(new Set(sequences).size, sequences.length, "no entry twice")
        assert.strictEqual(sequences.length, n, "no entry missed")
        assert.strictEqual(n, expected)
        // A record's entries come in version order.
        const versions = new Map<string, number>()
        for (const e of seen) {
          assert.isTrue((versions.get(e.entityId) ?? 0) < (e.version ?? 0), `${e.entityId} in version order`)
          versions.set(e.entityId, e.version ?? 0)
        }
        // A transaction committed before another began comes first in the feed.
        const firstIndex = new Map<string, number>()
        const lastIndex = new Map<string, number>()
        seen.forEach((e, i) => {
          const tag = (e.record as E.Reservation).notes ?? ""
          if (!firstIndex.has(tag)) firstIndex.set(tag, i)
          lastIndex.set(tag, i)
        })
        for (const a of transactions) {
          for (const b of transactions) {
            if (a.committed < b.began) {
              assert.isTrue(lastIndex.get(a.tag)! < firstIndex.get(b.tag)!, `${a.tag} before ${b.tag}`)
            }
          }
        }
      }))
  })
})
