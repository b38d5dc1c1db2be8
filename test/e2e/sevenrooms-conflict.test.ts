import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { list, post } from "../support/marketplace-world.js"
import { request } from "../support/service.js"
import { sevenroomsWorld } from "../support/sevenrooms-world.js"

// SevenRooms reads a booking's notes as the venue's notes and the guest's requests
// together, and we write only the first. Once a guest's request is there, the notes it sends never
// equal ours: a conflict ours wins, pushed back, answered by the same notes, for ever.
describe("a conflict the platform cannot take ours for", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("is pushed back once, then logged without another push: no loop between SevenRooms and us", () =>
      Effect.gen(function*() {
        const w = yield* sevenroomsWorld
        const settle = Effect.zipRight(w.sim.webhooks.awaitIdle, drainAll)
        const created = yield* post("/api/reservations", {
          restaurantId: w.restaurantId,
          customerName: "Ann Lee",
          customerPhone: "+12125550123",
          customerEmail: "ann@example.com",
          reservationTime: "2030-06-07T19:00:00+02:00",
          partySize: 2,
          notes: "birthday"
        })
        yield* settle
        const [booking] = yield* w.sim.reservations(w.venueId)
        yield* w.sim.staff.change(w.venueId, booking!.id, { partySize: 4, clientRequests: "no dairy please" })
        for (let round = 0; round < 6; round++) yield* settle

        const logs = (yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&limit=100`)).reverse()
        const pushes = logs.filter((l) => l.direction === "outbound" && l.status === "success")
        assert.deepStrictEqual(pushes.map((l) => l.action), ["create", "update"], "the create, one push back")
        const conflicts = logs.filter((l) => l.status === "conflict")
        assert.strictEqual(conflicts.length, 2, JSON.stringify(conflicts.map((l) => l.conflictResolution)))
        assert.match(conflicts[0]!.conflictResolution, /partySize/)
        assert.strictEqual(conflicts[0]!.errorMessage, null)
        assert.strictEqual(
          conflicts[1]!.errorMessage,
          "not pushed back again: sevenrooms states durationMin, notes as it did before our last push (it does not take ours)"
        )
        assert.strictEqual((yield* w.sim.reservation(w.venueId, booking!.id)).max_guests, 2, "ours won the party size")
        const queue = (yield* request("GET", "/api/sync/retry")).body
        assert.deepStrictEqual(queue, { pending: 0, retrying: 0, dead: 0 })
        const mapping = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityId=${created.id}`)
        assert.strictEqual(mapping[0]!.syncStatus, "conflict", "the disagreement stays visible")

        // A new change on SevenRooms is a new conflict: pushed back again, once.
        yield* w.sim.staff.change(w.venueId, booking!.id, { partySize: 6 })
        for (let round = 0; round < 4; round++) yield* settle
        const after = (yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&limit=100`)).reverse()
        assert.strictEqual(after.filter((l) => l.direction === "outbound" && l.status === "success").length, 3)
        assert.strictEqual((yield* w.sim.reservation(w.venueId, booking!.id)).max_guests, 2)
      }))
  })
})
