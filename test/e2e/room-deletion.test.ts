import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { type Body, list } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

// Issue 20, item 7: the foreign key used to null the room without a version, a change or a push.
describe("deleting a room", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("detaches its reservations as new versions, each pushed to its platforms", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          diningRoomId: w.room.id
        })).body as Body
        yield* drainAll

        const removed = yield* request("DELETE", `/api/rooms/${w.room.id}`)
        assert.strictEqual(removed.status, 204, removed.text)
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.isNull(after.diningRoomId)
        assert.strictEqual(after.version, created.version + 1)
        const mappings = yield* list(
          `/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=reservation&entityId=${created.id}`
        )
        assert.deepStrictEqual(mappings.map((m) => m.syncStatus), ["pending"], "a push is queued")
        yield* drainAll
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.deepStrictEqual(pushes.map((l) => l.action).sort(), ["create", "update"])
      }))

    it.scoped("removes its mappings: a platform booking in that area is applied without it, not refused", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const mapped = `/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=dining_room&entityId=${w.room.id}`
        assert.lengthOf(yield* list(mapped), 1)
        const removed = yield* request("DELETE", `/api/rooms/${w.room.id}`)
        assert.strictEqual(removed.status, 204, removed.text)
        assert.deepStrictEqual(yield* list(mapped), [])

        yield* w.sim.platform.create(w.restaurantUid, {
          bookingDateTime: "2030-06-08T20:00:00",
          bookingDuration: 120,
          numberOfPeople: 2,
          culture: "fr",
          company: false,
          tables: [3],
          firstName: "Léa",
          lastName: "Martin",
          telephone: "+33698765432"
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [r] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(r?.customerName, "Léa Martin")
        assert.isNull(r!.diningRoomId)
        const remaining = new Set((yield* list(`/api/tables?restaurantId=${w.restaurantId}`)).map((t) => t.id))
        assert.isTrue((r!.tableIds as Array<string>).every((id) => remaining.has(id)), JSON.stringify(r!.tableIds))
        const failed = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=failed`)
        assert.deepStrictEqual(failed, [])
      }))
  })
})
