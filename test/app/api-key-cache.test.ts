import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Redacted, Ref, TestClock } from "effect"
import { AdminAuditMemory } from "../../src/adapters/memory/admin-audit.js"
import { ApiKeyRepositoryMemory } from "../../src/adapters/memory/api-keys.js"
import { CurrentCaller, CurrentCallerSystem } from "../../src/app/caller.js"
import { AdminAuditLog } from "../../src/app/services/admin-audit.js"
import { ApiKeys, keyCacheTtl } from "../../src/app/services/api-keys.js"
import { ApiKeyRepository } from "../../src/ports/api-keys.js"

/** ApiKeys on the memory repository, counting the lookups by hash that reach the repository. */
const withKeys = <A, E>(
  body: (lookups: Ref.Ref<number>) => Effect.Effect<A, E, ApiKeys | ApiKeyRepository | CurrentCaller>
) =>
  Effect.gen(function*() {
    const lookups = yield* Ref.make(0)
    const Counted = Layer.effect(
      ApiKeyRepository,
      Effect.map(ApiKeyRepository, (inner) =>
        ApiKeyRepository.of({
          ...inner,
          findByHash: (hash) => Effect.zipRight(Ref.update(lookups, (n) => n + 1), inner.findByHash(hash))
        }))
    ).pipe(Layer.provide(ApiKeyRepositoryMemory))
    const Keys = ApiKeys.Default.pipe(
      Layer.provide(AdminAuditLog.Default.pipe(Layer.provide(AdminAuditMemory))),
      Layer.provideMerge(Counted)
    )
    return yield* body(lookups).pipe(Effect.provide(Keys), Effect.provide(CurrentCallerSystem))
  })

describe("API key checks", () => {
  it.effect("a busy key is looked up once per cache period, not on every request", () =>
    withKeys((lookups) =>
      Effect.gen(function*() {
        const keys = yield* ApiKeys
        const issued = yield* keys.create({ name: "app", role: "app", restaurants: null })
        for (let i = 0; i < 5; i++) yield* keys.authenticate(Redacted.make(issued.key), "app")
        // The first check also writes the key's last use, and reads it again once.
        const afterBurst = yield* Ref.get(lookups)
        assert.isAtMost(afterBurst, 2)
        yield* TestClock.adjust(Duration.sum(keyCacheTtl, Duration.millis(1)))
        yield* keys.authenticate(Redacted.make(issued.key), "app")
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
})
