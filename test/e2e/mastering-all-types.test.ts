import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { createMenu, list, post, uberWorld } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { eventually } from "../support/zenchef-world.js"

// Issue 20, item 1 (R-7.1 for every type): with Uber Eats master of the menu, our whole-menu
// upload (a full replace) never overwrites it; its menu is read and written here instead.
describe("mastering beyond reservations", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("Uber Eats master of menu items: a local menu edit uploads nothing and the platform's menu is pulled in", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const [dish] = yield* createMenu([{ ...samples.menuItem(w.restaurantId), name: "Tartare", price: 18 }])
        yield* drainAll
        assert.strictEqual(yield* w.menuUploads, 1, "while we are master, the menu is uploaded")

        const saved = yield* request("PATCH", `/api/platform-configs/${w.config.id}`, { masterFor: ["menu_item"] })
        assert.strictEqual(saved.status, 200, saved.text)
        yield* request("PATCH", `/api/menu-items/${dish!.id}`, { price: 25 })
        yield* post("/api/menu-items", { ...samples.menuItem(w.restaurantId), name: "Only here" })
        yield* drainAll

        assert.strictEqual(yield* w.menuUploads, 1, "Uber's menu is not overwritten")
        const onUber = (yield* w.sim.menu(w.storeId))!
        assert.strictEqual(onUber.items.find((i) => i.external_data === dish!.id)?.price_info.price, 1800)
        assert.isUndefined(onUber.items.find((i) => i.title.translations["en_us"] === "Only here"))
        // The master's version is pulled in: the local price is Uber's again.
        const local = (yield* request("GET", `/api/menu-items/${dish!.id}`)).body as { price: number }
        assert.strictEqual(local.price, 18)
        const logs = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=skipped`)
        // The dish created here is not added to Uber's menu (an upload would replace it whole): the line names it.
        assert.deepStrictEqual(
          logs.filter((l) => l.platform === "ubereats").map((l) => [l.action, l.errorMessage]),
          [[
            "push_menu",
            "ubereats is master of the menu: not overwritten; its menu was read instead; 1 item created here is " +
            "not on its menu (Only here): add it on ubereats, whose menu an upload from here would replace whole"
          ]]
        )
        // The pull's writes are changes of Uber's, in the change feed (served once no older
        // transaction of the cluster is running: other test files share it, so this waits).
        yield* eventually(
          Effect.map(
            request("GET", `/api/changes?restaurantId=${w.restaurantId}&entityType=menu_item`),
            (r) => (r.body as { entries: ReadonlyArray<{ origin: string; entityId: string }> }).entries
          ),
          (entries) => entries.some((c) => c.origin === "ubereats" && c.entityId === dish!.id)
        )
      }))
  })
})
