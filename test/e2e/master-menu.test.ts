import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { makePoller } from "../../src/app/workers/poller.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { bigMenu, type Body, createMenu, deliverooWorld, list, uberWorld } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"

/** What Deliveroo's last upload prices the dish with our id at, in minor units. */
const deliverooPrice = (upload: unknown, localId: string) =>
  (upload as { menu: { items: ReadonlyArray<Body> } }).menu.items.find((i) => i.plu === localId)?.price_info.price

// Uber Eats master of the menu sends no word when the merchant changes it there.
describe("a menu kept on a master marketplace", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("is read at every poll: a price changed on Uber Eats is written here and uploaded to Deliveroo", () =>
      Effect.gen(function*() {
        const uber = yield* uberWorld()
        const roo = yield* deliverooWorld({ restaurantId: uber.restaurantId })
        const [dish, wine, tart] = yield* createMenu([
          { ...samples.menuItem(uber.restaurantId), name: "Tartare", price: 18 },
          { ...samples.menuItem(uber.restaurantId), name: "Chablis", price: 9 },
          { ...samples.menuItem(uber.restaurantId), name: "Tarte Tatin", price: 9.5 }
        ])
        yield* drainAll
        assert.strictEqual(yield* roo.menuUploads, 1)
        const saved = yield* request("PATCH", `/api/platform-configs/${uber.config.id}`, { masterFor: ["menu_item"] })
        assert.strictEqual(saved.status, 200, saved.text)

        const onUber = (yield* uber.sim.menu(uber.storeId))!.items.find((i) => i.external_data === dish!.id)!
        yield* uber.sim.editMenuItem(uber.storeId, onUber.id, { price_info: { ...onUber.price_info, price: 2150 } })
        // The tart we uploaded, deleted on Uber before any read of its menu, was Uber's to delete.
        yield* uber.sim.removeMenuItem(uber.storeId, tart!.id)
        assert.isAtLeast(yield* (yield* makePoller).pollDue, 1, "the poll saw the menu change")
        yield* drainAll

        const local = (yield* request("GET", `/api/menu-items/${dish!.id}`)).body as Body
        assert.strictEqual(local.price, 21.5, "Uber's price is the price here")
        assert.strictEqual(((yield* request("GET", `/api/menu-items/${wine!.id}`)).body as Body).price, 9)
        assert.isFalse(((yield* request("GET", `/api/menu-items/${tart!.id}`)).body as Body).isAvailable)
        assert.strictEqual(yield* roo.menuUploads, 2, "the changed menu went on to Deliveroo")
        assert.strictEqual(deliverooPrice(yield* roo.menu, dish!.id), 2150)
        assert.strictEqual(yield* uber.menuUploads, 1, "nothing uploaded to the master")
        const pulls = yield* list(
          `/api/sync/logs?restaurantId=${uber.restaurantId}&platform=ubereats&direction=inbound`
        )
        assert.deepStrictEqual(
          pulls.map((l) => [l.action, l.status, l.responsePayload]),
          [["pull_menu", "success", { created: 0, updated: 1, unchanged: 1, withdrawn: 1, refused: [] }]]
        )

        // A menu as it was: no line, no upload.
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        yield* drainAll
        assert.strictEqual(yield* roo.menuUploads, 2)
        assert.strictEqual(
          (yield* list(`/api/sync/logs?restaurantId=${uber.restaurantId}&platform=ubereats&direction=inbound`)).length,
          1
        )

        // The merchant deletes the wine on Uber Eats: unavailable here (orders may name it), and on Deliveroo.
        const wineOnUber = (yield* uber.sim.menu(uber.storeId))!.items.find((i) => i.external_data === wine!.id)!
        yield* uber.sim.removeMenuItem(uber.storeId, wineOnUber.id)
        assert.strictEqual(yield* (yield* makePoller).pollDue, 1)
        yield* drainAll
        const withdrawn = (yield* request("GET", `/api/menu-items/${wine!.id}`)).body as Body
        assert.deepInclude(withdrawn, { name: "Chablis", isAvailable: false })
        assert.strictEqual(yield* roo.menuUploads, 3)
        const [latest] = yield* list(
          `/api/sync/logs?restaurantId=${uber.restaurantId}&platform=ubereats&direction=inbound`
        )
        assert.deepStrictEqual(latest!.responsePayload, {
          created: 0,
          updated: 0,
          unchanged: 1,
          withdrawn: 1,
          refused: []
        })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0, "withdrawn once")

        // A menu read back empty is taken for Uber's mishap: nothing is withdrawn for it.
        yield* uber.sim.removeMenuItem(uber.storeId, onUber.id)
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        assert.isTrue(((yield* request("GET", `/api/menu-items/${dish!.id}`)).body as Body).isAvailable)
      }))

    it.scoped("an item of Uber's menu that no menu here may hold is named once, the rest written, until Uber mends it", () =>
      Effect.gen(function*() {
        const uber = yield* uberWorld()
        const [dish, wine] = yield* createMenu([
          { ...samples.menuItem(uber.restaurantId), name: "Tartare", price: 18 },
          { ...samples.menuItem(uber.restaurantId), name: "Chablis", price: 9 }
        ])
        yield* drainAll
        const saved = yield* request("PATCH", `/api/platform-configs/${uber.config.id}`, { masterFor: ["menu_item"] })
        assert.strictEqual(saved.status, 200, saved.text)
        const onUber = (localId: string) =>
          Effect.map(uber.sim.menu(uber.storeId), (menu) => menu!.items.find((i) => i.external_data === localId)!)
        const dishOnUber = yield* onUber(dish!.id)
        const wineOnUber = yield* onUber(wine!.id)
        const inbound = list(`/api/sync/logs?restaurantId=${uber.restaurantId}&platform=ubereats&direction=inbound`)

        yield* uber.sim.editMenuItem(uber.storeId, dishOnUber.id, {
          price_info: { ...dishOnUber.price_info, price: -100 }
        })
        yield* uber.sim.editMenuItem(uber.storeId, wineOnUber.id, {
          price_info: { ...wineOnUber.price_info, price: 1000 }
        })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 1)
        yield* drainAll
        assert.strictEqual(((yield* request("GET", `/api/menu-items/${wine!.id}`)).body as Body).price, 10)
        assert.strictEqual(((yield* request("GET", `/api/menu-items/${dish!.id}`)).body as Body).price, 18)
        const [first] = yield* inbound
        assert.deepStrictEqual([first!.action, first!.status], ["pull_menu", "success"])
        assert.strictEqual(
          first!.errorMessage,
          "1 item of ubereats's menu not written here: Tartare (price: Expected a non-negative number)"
        )

        // The same refusal at the next polls: no new line. Once Uber mends the price, it is written.
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        assert.strictEqual((yield* inbound).length, 1)
        yield* uber.sim.editMenuItem(uber.storeId, dishOnUber.id, {
          price_info: { ...dishOnUber.price_info, price: 1900 }
        })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 1)
        assert.strictEqual(((yield* request("GET", `/api/menu-items/${dish!.id}`)).body as Body).price, 19)
        const [mended] = yield* inbound
        assert.deepStrictEqual([mended!.status, mended!.errorMessage ?? null], ["success", null])
      }))

    it.scoped("Deliveroo master: the menu we uploaded, read back, changes nothing and leaves no line", () =>
      Effect.gen(function*() {
        const roo = yield* deliverooWorld()
        const [first] = yield* createMenu(bigMenu(roo.restaurantId, 12))
        yield* drainAll
        const saved = yield* request("PATCH", `/api/platform-configs/${roo.config.id}`, { masterFor: ["menu_item"] })
        assert.strictEqual(saved.status, 200, saved.text)
        // A local edit reads Deliveroo's menu instead of uploading: only the edited item differs; the
        // others' options, allergens and categories come back as they went.
        yield* request("PATCH", `/api/menu-items/${first!.id}`, { price: 99 })
        yield* drainAll
        const [read] = yield* list(`/api/sync/logs?restaurantId=${roo.restaurantId}&direction=outbound&status=skipped`)
        assert.deepStrictEqual(read?.responsePayload, {
          created: 0,
          updated: 1,
          unchanged: 11,
          withdrawn: 0,
          refused: []
        })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        assert.deepStrictEqual(yield* list(`/api/sync/logs?restaurantId=${roo.restaurantId}&direction=inbound`), [])
      }))

    it.scoped("Uber's menu refresh request uploads our menu, or, where Uber is master of it, reads Uber's", () =>
      Effect.gen(function*() {
        const uber = yield* uberWorld()
        const [dish] = yield* createMenu([{ ...samples.menuItem(uber.restaurantId), name: "Tartare", price: 18 }])
        yield* drainAll
        assert.strictEqual(yield* uber.menuUploads, 1)
        const settle = Effect.zipRight(uber.sim.webhooks.awaitIdle, drainAll)
        const inbound = list(`/api/sync/logs?restaurantId=${uber.restaurantId}&direction=inbound`)

        yield* uber.sim.requestMenuRefresh(uber.storeId)
        yield* settle
        assert.strictEqual(yield* uber.menuUploads, 2, "asked for, our menu is uploaded again")
        assert.deepStrictEqual((yield* inbound).map((l) => [l.action, l.status]), [["push_menu", "success"]])

        yield* request("PATCH", `/api/platform-configs/${uber.config.id}`, { masterFor: ["menu_item"] })
        const onUber = (yield* uber.sim.menu(uber.storeId))!.items.find((i) => i.external_data === dish!.id)!
        yield* uber.sim.editMenuItem(uber.storeId, onUber.id, { price_info: { ...onUber.price_info, price: 1990 } })
        yield* uber.sim.requestMenuRefresh(uber.storeId)
        yield* settle
        assert.strictEqual(yield* uber.menuUploads, 2, "a master's menu is not overwritten")
        assert.strictEqual(((yield* request("GET", `/api/menu-items/${dish!.id}`)).body as Body).price, 19.9)
        assert.deepStrictEqual(
          (yield* inbound).map((l) => [l.action, l.status, l.responsePayload]),
          [["pull_menu", "success", { created: 0, updated: 1, unchanged: 0, withdrawn: 0, refused: [] }], [
            "push_menu",
            "success",
            null
          ]]
        )
      }))
  })
})
