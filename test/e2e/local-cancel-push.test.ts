import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { makePoller } from "../../src/app/workers/poller.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, any>

const list = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { items: Array<Body> }).items)

// Issue 20, item 4: Zenchef is master of the bookings born on it, but a guest who cancels by
// phone (or never comes) is a fact decided here: Zenchef is told.
describe("a local cancellation or no-show of a platform-born booking", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("is pushed to the booking's platform; other fields still follow the platform", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const born = (bookingDateTime: string, lastName: string) =>
          w.sim.platform.create(w.restaurantUid, {
            bookingDateTime,
            bookingDuration: 90,
            numberOfPeople: 2,
            culture: "fr",
            company: false,
            firstName: "Léa",
            lastName,
            telephone: "+33622222222"
          })
        const cancelled = yield* born("2030-06-09T12:30:00", "Martin")
        const noShow = yield* born("2030-06-09T13:00:00", "Petit")
        assert.strictEqual(yield* (yield* makePoller).pollDue, 2)
        yield* drainAll
        const local = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        const byName = (name: string) => local.find((r) => String(r.customerName).endsWith(name))!
        assert.strictEqual(byName("Martin").source, "zenchef")

        // A field the platform owns stays the platform's: a local note is not pushed.
        yield* request("PATCH", `/api/reservations/${byName("Petit").id}`, { notes: "by phone" })
        yield* drainAll
        const notesPush = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)
        assert.deepStrictEqual(notesPush.map((l) => [l.status, l.errorMessage]), [[
          "skipped",
          "zenchef is master of this reservation"
        ]])

        yield* request("PATCH", `/api/reservations/${byName("Martin").id}`, { status: "cancelled" })
        yield* request("PATCH", `/api/reservations/${byName("Petit").id}`, { status: "no_show" })
        yield* drainAll
        assert.strictEqual((yield* w.sim.booking(w.restaurantUid, cancelled.uid)).status, "CANCELLED")
        assert.strictEqual((yield* w.sim.booking(w.restaurantUid, noShow.uid)).status, "CANCELLED")
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.deepStrictEqual(pushes.map((l) => l.action).sort(), ["cancel", "cancel"])
      }))
  })
})
