import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { makePoller } from "../../src/app/workers/poller.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

describe("polling fallback (R-6.10)", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("changes made on the platform without webhooks arrive by polling, through the same path, once", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const booking = yield* w.sim.platform.create(w.restaurantUid, {
          bookingDateTime: "2030-06-09T12:30:00",
          bookingDuration: 90,
          numberOfPeople: 3,
          culture: "fr",
          company: false,
          firstName: "Noé",
          lastName: "Bernard",
          telephone: "+33611111111"
        })
        const poller = yield* makePoller
        assert(yield* poller.pollDue, "the poll found the new booking")
        yield* drainAll
        const list = () =>
          Effect.map(
            request("GET", `/api/reservations?restaurantId=${w.restaurantId}`),
            (r) => (r.body as { items: Array<Record<string, any>> }).items
          )
        const [created] = yield* list()
        assert.strictEqual(created?.customerName, "Noé Bernard")
        assert.strictEqual(created?.source, "zenchef")

        // Within its interval a config is not polled again; a fresh poller polls, and dedupes.
        assert.strictEqual(yield* poller.pollDue, 0)
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0, "the same booking state is stored once")
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, { numberOfPeople: 5 })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 1)
        yield* drainAll
        const after = yield* list()
        assert.strictEqual(after.length, 1)
        assert.strictEqual(after[0]!.partySize, 5)
      }))
  })
})
