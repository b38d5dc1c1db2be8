import { assert, describe, it } from "@effect/vitest"
import { Clock, Deferred, Duration, Effect, Ref } from "effect"
import { forkStoppedWithin } from "../../../src/app/workers/stop-within.js"

/** An attempt that cannot be interrupted, taking `ms`, that says when it has begun and ended. */
const attempt = (ms: number) =>
  Effect.gen(function*() {
    const begun = yield* Deferred.make<void>()
    const settled = yield* Ref.make(false)
    const work = Effect.uninterruptible(
      Deferred.succeed(begun, undefined).pipe(
        Effect.zipRight(Effect.sleep(ms)),
        Effect.zipRight(Ref.set(settled, true))
      )
    )
    return { begun, settled, work }
  })

describe("forkStoppedWithin", () => {
  it.live("at shutdown, waits for the work in flight to settle when it does within the grace", () =>
    Effect.gen(function*() {
      const { begun, settled, work } = yield* attempt(150)
      yield* Effect.scoped(
        Effect.zipRight(forkStoppedWithin("test", Duration.seconds(5), work), Deferred.await(begun))
      )
      assert.isTrue(yield* Ref.get(settled))
    }))

  it.live("work that can be interrupted, and what it forks, stop at once", () =>
    Effect.gen(function*() {
      const forked = yield* Deferred.make<void>()
      const stopped = yield* Deferred.make<void>()
      const heartbeat = Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(stopped, undefined)))
      const work = Effect.scoped(
        Effect.zipRight(Effect.forkScoped(heartbeat), Deferred.succeed(forked, undefined)).pipe(
          Effect.zipRight(Effect.never)
        )
      )
      const started = yield* Clock.currentTimeMillis
      yield* Effect.scoped(
        Effect.zipRight(forkStoppedWithin("test", Duration.seconds(5), work), Deferred.await(forked))
      )
      assert.isBelow((yield* Clock.currentTimeMillis) - started, 2_000)
      assert.isTrue(yield* Deferred.isDone(stopped))
    }))

  it.live("stops waiting after the grace: a shutdown is bounded whatever an attempt takes", () =>
    Effect.gen(function*() {
      const { begun, settled, work } = yield* attempt(10_000)
      const started = yield* Clock.currentTimeMillis
      yield* Effect.scoped(
        Effect.zipRight(forkStoppedWithin("test", Duration.millis(200), work), Deferred.await(begun))
      )
      const took = (yield* Clock.currentTimeMillis) - started
      assert.isFalse(yield* Ref.get(settled))
      assert.isAtLeast(took, 200)
      assert.isBelow(took, 5_000)
    }))
})
