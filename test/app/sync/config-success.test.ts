import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { ConfigCache } from "../../../src/app/sync/config-cache.js"
import { AlloRestoSyncMemory } from "../../../src/app/testing.js"
import type { RestaurantId } from "../../../src/domain/ids.js"

const restaurant = "resto-success" as RestaurantId

// A burst of successful pushes for one restaurant must write its "last success" once, not once
// per push (each write takes the config row's lock); a failure makes the next success due at once.
describe("ConfigCache.successDue", () => {
  it.effect("is due once per interval and config, and again right after a failure", () =>
    Effect.gen(function*() {
      const cache = yield* ConfigCache
      const due = (at: number, platform: "zenchef" | "thefork" = "zenchef") =>
        cache.successDue(restaurant, platform, at, 5_000)
      const burst = yield* Effect.forEach([1_000, 1_001, 1_500, 5_999], (at) => due(at))
      assert.deepStrictEqual(burst, [true, false, false, false])
      assert.isTrue(yield* due(1_002, "thefork"), "each platform's config has its own interval")
      assert.isTrue(yield* due(6_000), "due again once the interval has passed")
      yield* cache.successOverdue(restaurant, "zenchef")
      assert.isTrue(yield* due(6_001), "a failure clears the error at the next success")
      assert.isFalse(yield* due(6_002))
    }).pipe(Effect.provide(AlloRestoSyncMemory)))
})
