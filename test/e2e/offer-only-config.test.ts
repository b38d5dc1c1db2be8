import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { createMenu, post, uberWorld } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"

// Issue 20, item 6: a config that syncs offers but not menu items still gets offer changes: the
// menu upload that carries them goes to a config that syncs either.
describe("a config that syncs offers only", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("gets the menu upload carrying a new formula", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld({ syncEntities: ["offer"] })
        const dishes = yield* createMenu([samples.menuItem(w.restaurantId), samples.menuItem(w.restaurantId)])
        const formula = yield* post("/api/offers", {
          ...samples.offer(w.restaurantId),
          name: "Formule",
          price: 20,
          steps: [{ name: "Plat", menuItemIds: dishes.map((d) => d.id) }]
        })
        yield* drainAll
        assert.strictEqual(yield* w.menuUploads, 1)
        const bundle = yield* w.sim.menuItem(w.storeId, `offer:${formula.id}`)
        assert.isNotNull(bundle, "the formula is on Uber's menu")
        assert.deepStrictEqual(bundle!.modifierGroups.map((g) => g.options.length), [2])
      }))
  })
})
