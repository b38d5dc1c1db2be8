import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { list, post } from "../support/marketplace-world.js"
import { request } from "../support/service.js"
import { theforkWorldOf } from "../support/thefork-world.js"
import { guestBooking, zenchefWorld } from "../support/zenchef-world.js"

// A restaurant on Zenchef (master of its bookings) and on TheFork. A booking taken here is on
// both; what a guest does to it on one reaches the other, so that neither keeps a table the
// guest gave up, nor a party size that is no longer true.
describe("a platform's change to a booking several platforms hold", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("reaches the restaurant's other platforms that hold it, never one that does not", () =>
      Effect.gen(function*() {
        const zenchef = yield* zenchefWorld({ masterFor: ["reservation"] })
        const thefork = yield* theforkWorldOf(zenchef.restaurantId)
        const settle = Effect.gen(function*() {
          for (let round = 0; round < 3; round++) {
            yield* Effect.zipRight(Effect.zip(zenchef.sim.webhooks.awaitIdle, thefork.sim.webhooks.awaitIdle), drainAll)
          }
        })
        const booked = (name: string, time: string) =>
          post("/api/reservations", {
            restaurantId: zenchef.restaurantId,
            customerName: name,
            customerPhone: "+33612345678",
            customerEmail: "guest@example.com",
            reservationTime: time,
            partySize: 2
          })
        const changed = yield* booked("Ann Lee", "2030-06-07T19:00:00+02:00")
        const cancelled = yield* booked("Marc Petit", "2030-06-07T20:00:00+02:00")
        yield* settle
        const onZenchef = (id: unknown) =>
          Effect.map(
            zenchef.sim.bookings(zenchef.restaurantUid),
            (all) => all.find((b) => b.externalReferenceId === id)!
          )
        const onTheFork = (id: unknown) =>
          Effect.map(
            thefork.sim.reservations(thefork.restaurantUuid),
            (all) => all.find((r) => r.restaurantNote?.includes(`[alloresto:${id}]`))!
          )
        assert.strictEqual((yield* onTheFork(changed.id)).partySize, 2, "on TheFork too")

        // Zenchef is master: its party size is taken here, then passed on to TheFork.
        yield* zenchef.sim.platform.update(zenchef.restaurantUid, (yield* onZenchef(changed.id)).uid, {
          numberOfPeople: 5
        })
        // The guest cancels on Zenchef: TheFork frees the table too.
        yield* zenchef.sim.platform.cancel(zenchef.restaurantUid, (yield* onZenchef(cancelled.id)).uid)
        // A booking born on Zenchef, then changed there, is not copied to TheFork.
        const born = yield* zenchef.sim.platform.create(zenchef.restaurantUid, guestBooking)
        yield* settle
        yield* zenchef.sim.platform.update(zenchef.restaurantUid, born.uid, { numberOfPeople: 3 })
        yield* settle
        // Nor by a local change: the guest seated here is told to Zenchef's book only.
        const [local] = yield* list(`/api/reservations?restaurantId=${zenchef.restaurantId}&limit=500`).pipe(
          Effect.map((all) => all.filter((r) => r.source === "zenchef"))
        )
        yield* request("PATCH", `/api/reservations/${local!.id}`, { status: "seated" })
        yield* settle
        const notCopied = yield* list(
          `/api/sync/logs?restaurantId=${zenchef.restaurantId}&platform=thefork&entityId=${local!.id}`
        )
        assert.isNotEmpty(notCopied)
        for (const line of notCopied) {
          assert.deepStrictEqual([line.action, line.status, line.errorMessage], [
            "create",
            "skipped",
            "born on zenchef: not copied to thefork"
          ])
        }

        assert.strictEqual((yield* onTheFork(changed.id)).partySize, 5)
        assert.strictEqual((yield* onTheFork(cancelled.id)).status, "CANCELED")
        assert.strictEqual((yield* thefork.sim.reservations(thefork.restaurantUuid)).length, 2)
        const relayed = yield* list(
          `/api/sync/logs?restaurantId=${zenchef.restaurantId}&platform=thefork&direction=outbound&status=success`
        )
        const toTheFork = (id: unknown, action: string) =>
          relayed.filter((l) => l.entityId === id && l.action === action).map((l) => l.requestPayload.partySize)
        assert.deepStrictEqual(toTheFork(cancelled.id, "cancel"), [2])
        assert.include(toTheFork(changed.id, "update"), 5)
        assert.deepStrictEqual(
          relayed.filter((l) => l.action === "create").map((l) => l.entityId).sort(),
          [
            changed.id,
            cancelled.id
          ].sort()
        )
        const zenchefPushes = yield* list(
          `/api/sync/logs?restaurantId=${zenchef.restaurantId}&platform=zenchef&direction=outbound&status=success`
        )
        assert.deepStrictEqual(
          zenchefPushes.filter((l) => l.entityId !== local!.id).map((l) => l.action),
          ["create", "create"],
          "nothing sent back to the sender"
        )
      }))
  })
})
