import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, unknown>

// Issue 20, item 3: floor-plan pushes, customer sync and service (availability) pushes exist on no
// platform this restaurant uses; each change is logged `skipped` with "platform has no …" (the
// design's generic syncEntity fallback), and nothing reaches the platform.
describe("connector methods a platform does not offer are logged, never silently dropped", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("Zenchef syncing tables, rooms, customers, services and the menu: each change is skipped with the method the platform lacks", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const patched = yield* request("PATCH", `/api/platform-configs/${w.config.id}`, {
          syncEntities: ["reservation", "table", "dining_room", "customer", "dining_service", "menu_item"]
        })
        assert.strictEqual(patched.status, 200, patched.text)
        yield* drainAll
        const before = (yield* w.sim.counters).requestsByRoute
        const created = (path: string, body: unknown) =>
          Effect.map(request("POST", path, body), (r) => (r.body as Body).id as string)
        const room = yield* created("/api/rooms", { ...samples.diningRoom(w.restaurantId), name: "Terrasse" })
        const table = yield* created("/api/tables", {
          ...samples.diningTable(w.restaurantId),
          label: "T20",
          diningRoomId: room
        })
        const customer = yield* created("/api/customers", {
          restaurantId: w.restaurantId,
          name: "Ana Ruiz",
          phone: "+33612345678"
        })
        const service = yield* created("/api/dining-services", samples.diningService(w.restaurantId))
        yield* created("/api/menu-items", samples.menuItem(w.restaurantId))
        yield* drainAll
        const logs = (yield* request("GET", `/api/sync/logs?restaurantId=${w.restaurantId}&status=skipped`)).body as {
          items: Array<Body>
        }
        const reasonFor = (id: string) => logs.items.find((l) => l.entityId === id)?.errorMessage
        assert.strictEqual(reasonFor(room), "zenchef: platform has no floor-plan pushes (rooms)")
        assert.strictEqual(reasonFor(table), "zenchef: platform has no floor-plan pushes (tables)")
        assert.strictEqual(reasonFor(customer), "zenchef: platform has no customer sync")
        assert.strictEqual(reasonFor(service), "zenchef: platform has no availability pushes (services)")
        assert.deepStrictEqual(
          logs.items.filter((l) => l.action === "push_menu").map((l) => l.errorMessage),
          ["zenchef: platform has no menu"]
        )
        assert.deepStrictEqual((yield* w.sim.counters).requestsByRoute, before, "nothing was sent to Zenchef")
      }))
  })
})
