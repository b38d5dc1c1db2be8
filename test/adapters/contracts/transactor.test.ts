import { assert, describe, layer } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Ref } from "effect"
import { TransactorSql } from "../../../src/adapters/sql/entity-repositories.js"
import { Transactor } from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"

// Advisory locks are shared by every test of the database: each test takes keys of its own.
const keys = (...names: ReadonlyArray<string>) => {
  const run = crypto.randomUUID()
  return names.map((name) => `${name}:${run}`)
}

/** How long a blocked transaction is given to show it is really blocked. */
const WAIT = "300 millis"

describe("transactor (sql)", () => {
  // Real time: the waits below are on another connection, not on the test clock.
  layer(TransactorSql.pipe(Layer.provide(TestDatabaseLive)), { excludeTestServices: true })((it) => {
    /**
     * Starts a transaction that takes `lock` and then holds it until `release` is called; resolves
     * once the lock is taken.
     */
    const holding = (lock: Effect.Effect<void>) =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const held = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const fiber = yield* transactor.withTransaction(
          lock.pipe(Effect.zipRight(Deferred.succeed(held, undefined)), Effect.zipRight(Deferred.await(release)))
        ).pipe(Effect.fork)
        yield* Deferred.await(held)
        return { release: Effect.zipRight(Deferred.succeed(release, undefined), Fiber.join(fiber)) }
      })

    /** A transaction that takes `lock`, as a fiber, with a flag set once it has the lock. */
    const waiting = (lock: Effect.Effect<void>) =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const locked = yield* Ref.make(false)
        const fiber = yield* transactor.withTransaction(Effect.zipRight(lock, Ref.set(locked, true))).pipe(Effect.fork)
        return { locked: Ref.get(locked), done: Fiber.join(fiber).pipe(Effect.timeout("10 seconds")) }
      })

    it.effect("serialize holds its key until commit", () =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const [key] = keys("booking")
        const first = yield* holding(transactor.serialize(key!))
        const second = yield* waiting(transactor.serialize(key!))
        yield* Effect.sleep(WAIT)
        assert.isFalse(yield* second.locked)
        yield* first.release
        yield* second.done
        assert.isTrue(yield* second.locked)
      }))

    it.effect("serializeAll holds every one of its keys until commit, and no other key", () =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const [a, b, c] = keys("a", "b", "c")
        const first = yield* holding(transactor.serializeAll([a!, b!]))
        const onB = yield* waiting(transactor.serialize(b!))
        const onA = yield* waiting(transactor.serialize(a!))
        // A key outside the batch stays free: serializeAll is not one lock for everything.
        yield* transactor.withTransaction(transactor.serialize(c!)).pipe(Effect.timeout("5 seconds"))
        yield* Effect.sleep(WAIT)
        assert.isFalse(yield* onB.locked, "serialize(b) went through while serializeAll([a, b]) was held")
        assert.isFalse(yield* onA.locked, "serialize(a) went through while serializeAll([a, b]) was held")
        yield* first.release
        yield* onB.done
        yield* onA.done
        assert.isTrue((yield* onB.locked) && (yield* onA.locked))
      }))

    it.effect("serializeAll waits for a key another transaction holds; repeated keys and no keys are fine", () =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        const [a, b] = keys("a", "b")
        const first = yield* holding(transactor.serialize(b!))
        const batch = yield* waiting(transactor.serializeAll([a!, b!, a!]))
        yield* Effect.sleep(WAIT)
        assert.isFalse(yield* batch.locked)
        yield* first.release
        yield* batch.done
        assert.isTrue(yield* batch.locked)
        yield* transactor.withTransaction(transactor.serializeAll([]))
      }))

    it.effect("concurrent serializeAll over overlapping keys in opposite orders all complete, without a deadlock", () =>
      Effect.gen(function*() {
        const transactor = yield* Transactor
        // Connections opened beforehand, so the batches below reach the database together.
        yield* Effect.forEach(Array.from({ length: 4 }), () => transactor.withTransaction(Effect.sleep("20 millis")), {
          concurrency: "unbounded"
        })
        // Long key lists make the batches overlap in time: locks taken in the given order would
        // cross and PostgreSQL would abort one of them as a deadlock.
        for (let round = 0; round < 5; round++) {
          const batch = keys(...Array.from({ length: 500 }, (_, i) => `k${i}`))
          const orders = [batch, [...batch].reverse(), [...batch.slice(250), ...batch.slice(0, 250)]]
          const exits = yield* Effect.forEach(
            orders,
            (order) =>
              Effect.exit(
                transactor.withTransaction(transactor.serializeAll(order)).pipe(Effect.timeout("20 seconds"))
              ),
            { concurrency: "unbounded" }
          )
          for (const exit of exits) assert.isTrue(Exit.isSuccess(exit), `round ${round}: ${String(exit)}`)
        }
      }))
  })
})
