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
  })
})
