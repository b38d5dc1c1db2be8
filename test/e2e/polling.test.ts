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

    it.scoped("a poll the platform fails is the config's current error, on /ops too, until a poll works again", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const config = Effect.map(
          request("GET", `/api/platform-configs/${w.config.id}`),
          (r) => r.body as { lastError: string | null; lastSyncAt: string | null }
        )
        assert.strictEqual((yield* config).lastError, null)

        yield* w.sim.setFaults({ failForMs: 60_000 })
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        const failing = yield* config
        assert.match(failing.lastError ?? "", /^polling failed: bookings: zenchef .*503/)
        assert.notInclude(failing.lastError ?? "", w.apiKey)
        const summary = (yield* request("GET", `/api/ops/summary?restaurantId=${w.restaurantId}`)).body as {
          health: ReadonlyArray<{ platform: string; lastError: string | null }>
        }
        assert.deepStrictEqual(summary.health.map((h) => [h.platform, h.lastError]), [["zenchef", failing.lastError]])

        yield* w.sim.setFaults({})
        assert.strictEqual(yield* (yield* makePoller).pollDue, 0)
        const mended = yield* config
        assert.strictEqual(mended.lastError, null)
        assert.isString(mended.lastSyncAt)
      }))
  })
})
