import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { makePoller } from "../../src/app/workers/poller.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, any>

const list = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { items: Array<Body> }).items)

// Issue 20, item 10: Zenchef keeps a booking's time to the second; our own push, read back at
// that precision, is an echo, not a conflict.
describe("echo of a push whose time has milliseconds", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("read back by the poller from Zenchef (whole seconds), it is skipped as our own echo", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        // No webhooks: the poller alone reads the booking back.
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.123Z"
        })).body as Body
        yield* drainAll
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        assert.isDefined(booking, "the push reached Zenchef")
        assert.notInclude(String(booking!.bookingDateTime), ".123", "Zenchef holds whole seconds")

        assert.strictEqual(yield* (yield* makePoller).pollDue, 1, "the poll read the booking back")
        yield* drainAll
        const inbound = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound`)
        assert.deepStrictEqual(
          inbound.map((l) => [l.status, l.errorMessage]),
          [["skipped", "echo of our own push"]]
        )
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.strictEqual(after.version, created.version)
        assert.strictEqual(after.reservationTime, "2030-06-07T17:30:00.123Z", "our own value is kept")
      }))
  })
})
