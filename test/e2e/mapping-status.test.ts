import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { makePoller } from "../../src/app/workers/poller.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll, drainInbound } from "../support/drain.js"
import { type Body, list } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

const statusOf = (restaurantId: string, reservationId: string) =>
  Effect.map(
    list(`/api/sync/mappings?restaurantId=${restaurantId}&entityType=reservation&entityId=${reservationId}`),
    (items) => items.map((m) => [m.platform, m.syncStatus])
  )

// Issue 20, items 11 and 4: a mapping says whether the platform has our last version.
describe("mapping status", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("is pending while a push is queued, synced once it landed", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const created = (yield* request("POST", "/api/reservations", samples.reservation(w.restaurantId))).body as Body
        yield* drainAll
        assert.deepStrictEqual(yield* statusOf(w.restaurantId, created.id), [["zenchef", "synced"]])

        yield* request("PATCH", `/api/reservations/${created.id}`, { partySize: 5 })
        assert.deepStrictEqual(yield* statusOf(w.restaurantId, created.id), [["zenchef", "pending"]])
        yield* drainAll
        assert.deepStrictEqual(yield* statusOf(w.restaurantId, created.id), [["zenchef", "synced"]])
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(booking!.numberOfPeople, 5)
      }))

    it.scoped("a platform change that loses to ours marks the mapping conflict, and ours, allergies united, is pushed back", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        // Born here, so ours is the master copy (no masterFor on the config).
        const created = (yield* request("POST", "/api/reservations", samples.reservation(w.restaurantId))).body as Body
        yield* drainAll
        const [pushed] = yield* w.sim.bookings(w.restaurantUid)
        assert.isDefined(pushed, "the booking reached Zenchef")

        // The restaurant edits it on Zenchef: more guests, and a second allergy.
        yield* w.sim.platform.update(w.restaurantUid, pushed!.uid, {
          numberOfPeople: 6,
          comments: "Allergies: gluten, peanuts"
        })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 1, "the poll read the change")
        yield* drainInbound
        assert.deepStrictEqual(yield* statusOf(w.restaurantId, created.id), [["zenchef", "conflict"]])
        const local = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.strictEqual(local.partySize, 4, "our party size won")
        assert.sameMembers(local.allergies, ["gluten", "peanuts"], "allergies are united")

        yield* drainAll
        const [back] = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(back!.numberOfPeople, 4, "ours was pushed back")
        assert.include(String(back!.comments), "peanuts")
        assert.include(String(back!.comments), "gluten")
        assert.deepStrictEqual(yield* statusOf(w.restaurantId, created.id), [["zenchef", "synced"]])
      }))
  })
})
