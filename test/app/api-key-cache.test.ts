import { assert, describe, it, layer } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Ref, Schedule, TestClock } from "effect"
import { AdminAuditMemory } from "../../src/adapters/memory/admin-audit.js"
import { ApiKeyRepositoryMemory } from "../../src/adapters/memory/api-keys.js"
import { CurrentCaller, CurrentCallerSystem } from "../../src/app/caller.js"
import { AdminAuditLog } from "../../src/app/services/admin-audit.js"
import { ApiKeys, keyCacheTtl, keyRefreshAfter } from "../../src/app/services/api-keys.js"
import { ApiKeyRepository } from "../../src/ports/api-keys.js"
import { TestServiceLive } from "../support/app.js"
import { issueKey, request } from "../support/service.js"

/**
 * ApiKeys on the memory repository, counting the lookups by hash that reach the repository; a
 * lookup waits while `reads` is closed, and its answer, read, waits while `answers` is closed.
 */
const withKeys = <A, E>(
  body: (
    lookups: Ref.Ref<number>,
    reads: Effect.Latch,
    answers: Effect.Latch
  ) => Effect.Effect<A, E, ApiKeys | ApiKeyRepository | CurrentCaller>
) =>
  Effect.gen(function*() {
    const lookups = yield* Ref.make(0)
    const reads = yield* Effect.makeLatch(true)
    const answers = yield* Effect.makeLatch(true)
    const Counted = Layer.effect(
      ApiKeyRepository,
      Effect.map(ApiKeyRepository, (inner) =>
        ApiKeyRepository.of({
          ...inner,
          findByHash: (hash) =>
            Ref.update(lookups, (n) => n + 1).pipe(
              Effect.zipRight(reads.await),
              Effect.zipRight(inner.findByHash(hash)),
              Effect.tap(answers.await)
            )
        }))
    ).pipe(Layer.provide(ApiKeyRepositoryMemory))
    const Keys = ApiKeys.Default.pipe(
      Layer.provide(AdminAuditLog.Default.pipe(Layer.provide(AdminAuditMemory))),
      Layer.provideMerge(Counted)
    )
    return yield* body(lookups, reads, answers).pipe(Effect.provide(Keys), Effect.provide(CurrentCallerSystem))
  })

/** Lets the forked work that can run (the service's background reads and writes) run. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

/** What `check` answered while every lookup was held, if it answered: None if it waited for one. */
const answerWithoutLookup = <A, E, R>(check: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.exit(check))
    yield* settle
    const answered = yield* Fiber.poll(fiber)
    yield* Fiber.interrupt(fiber)
    return Option.flatMap(answered, (outer) => Exit.isSuccess(outer) ? Option.some(outer.value) : Option.none())
  })

describe("API key checks", () => {
  it.effect("a busy key is looked up once per cache period, not on every request", () =>
    withKeys((lookups) =>
      Effect.gen(function*() {
        const keys = yield* ApiKeys
        const issued = yield* keys.create({ name: "app", role: "app", restaurants: null })
        for (let i = 0; i < 5; i++) yield* keys.authenticate(Redacted.make(issued.key), "app")
        // The first check also writes the key's last use, and reads it again once.
        yield* settle
        const afterBurst = yield* Ref.get(lookups)
        assert.isAtMost(afterBurst, 2)
        yield* TestClock.adjust(Duration.sum(keyCacheTtl, Duration.millis(1)))
        yield* keys.authenticate(Redacted.make(issued.key), "app")
        yield* settle
        assert.strictEqual(yield* Ref.get(lookups), afterBurst + 1)
      })
    ))

  it.effect("a key revoked by this instance is refused at once, cached or not", () =>
    withKeys(() =>
      Effect.gen(function*() {
        const keys = yield* ApiKeys
        const issued = yield* keys.create({ name: "app", role: "app", restaurants: null })
        yield* keys.authenticate(Redacted.make(issued.key), "app")
        yield* keys.revoke(issued.id)
        const after = yield* Effect.exit(keys.authenticate(Redacted.make(issued.key), "app"))
        assert.isTrue(Exit.isFailure(after))
      })
    ))

  it.effect("a key in use is read again in the background: no request waits for the read", () =>
    withKeys((lookups, reads) =>
      Effect.gen(function*() {
        const keys = yield* ApiKeys
        const repository = yield* ApiKeyRepository
        const issued = yield* keys.create({ name: "app", role: "app", restaurants: null })
        const check = keys.authenticate(Redacted.make(issued.key), "app")
        yield* check
        yield* settle
        const loaded = yield* Ref.get(lookups)

        // Past the refresh age, within the cache period: the answer comes from the copy, and a
        // read starts beside it (held here).
        yield* reads.close
        yield* TestClock.adjust(Duration.sum(keyRefreshAfter, Duration.millis(100)))
        const fromCopy = yield* answerWithoutLookup(check)
        assert.isTrue(Option.isSome(fromCopy) && Exit.isSuccess(fromCopy.value), "the check waited for a lookup")
        assert.strictEqual(yield* Ref.get(lookups), loaded + 1)
        // Another instance revokes the key while that read is held.
        yield* repository.revoke(issued.id)
        yield* reads.open
        yield* settle

        // Past the first copy's period: the copy read in the background is current, and it says
        // the key was revoked (nothing waited for a read to learn it).
        yield* reads.close
        yield* TestClock.adjust(Duration.subtract(keyCacheTtl, keyRefreshAfter))
        const fromRefreshed = yield* answerWithoutLookup(check)
        assert.isTrue(Option.isSome(fromRefreshed), "the check waited for a lookup")
        assert.isTrue(Option.isSome(fromRefreshed) && Exit.isFailure(fromRefreshed.value))
        yield* reads.open
      })
    ))

  it.effect("a key revoked here is refused at once, even when a read from before the revocation lands after it", () =>
    withKeys((_lookups, _reads, answers) =>
      Effect.gen(function*() {
        const keys = yield* ApiKeys
        const issued = yield* keys.create({ name: "app", role: "app", restaurants: null })
        const check = keys.authenticate(Redacted.make(issued.key), "app")
        yield* check
        yield* settle
        // A background read of the key, made before the revocation, answers after it.
        yield* answers.close
        yield* TestClock.adjust(Duration.sum(keyRefreshAfter, Duration.millis(100)))
        yield* check
        yield* settle
        yield* keys.revoke(issued.id)
        yield* answers.open
        yield* settle
        const after = yield* Effect.exit(check)
        assert.isTrue(Exit.isFailure(after), "a key revoked by this instance was accepted")
      })
    ))
})

describe("API key checks over HTTP, on PostgreSQL", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.effect("a request's key has its last use written in PostgreSQL, in the background", () =>
      Effect.gen(function*() {
        const repository = yield* ApiKeyRepository
        const { id, key } = yield* issueKey("app")
        assert.isTrue(Option.exists(yield* repository.get(id), (k) => k.lastUsedAt === null))
        const answer = yield* request("GET", "/api/reservations", undefined, { key })
        assert.strictEqual(answer.status, 200)
        const used = yield* repository.get(id).pipe(
          Effect.flatMap((found) => Option.flatMap(found, (k) => Option.fromNullable(k.lastUsedAt))),
          Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 100 }),
          Effect.exit
        )
        assert.isTrue(Exit.isSuccess(used), "the key's last use was never written")
      }))
  })
})
