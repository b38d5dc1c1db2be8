import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { type Body, list } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { staffBooking, zenchefWorld } from "../support/zenchef-world.js"

// Issue 20, item 7: the foreign key used to null the room without a version, a change or a push.
describe("deleting a local record", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a room: detaches its reservations as new versions, each pushed to its platforms", () =>
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

    it.scoped("a table: leaves its reservations' tables as a new version, pushed; their next read-modify-write is taken", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const [kept, deleted] = [w.tables[0]!.id, w.tables[1]!.id]
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          diningRoomId: w.room.id,
          tableIds: [deleted, kept]
        })).body as Body
        const elsewhere = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          tableIds: [kept]
        })).body as Body
        yield* drainAll

        const removed = yield* request("DELETE", `/api/tables/${deleted}`)
        assert.strictEqual(removed.status, 204, removed.text)
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.deepStrictEqual(after.tableIds, [kept])
        assert.strictEqual(after.version, created.version + 1)
        const untouched = (yield* request("GET", `/api/reservations/${elsewhere.id}`)).body as Body
        assert.strictEqual(untouched.version, elsewhere.version)
        yield* drainAll
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.deepStrictEqual(pushes.map((l) => l.action).sort(), ["create", "create", "update"])
        assert.strictEqual(pushes.find((l) => l.action === "update")?.entityId, created.id)
        // Read, changed, sent back whole: no table in it is unknown.
        const roundTrip = yield* request("PATCH", `/api/reservations/${created.id}`, { ...after, partySize: 3 })
        assert.strictEqual(roundTrip.status, 200, roundTrip.text)
      }))

    it.scoped("a room's tables and a menu item's offers lose it through the change feed, not by the foreign key alone", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const item = (yield* request("POST", "/api/menu-items", samples.menuItem(w.restaurantId))).body as Body
        const offer = (yield* request("POST", "/api/offers", {
          ...samples.offer(w.restaurantId),
          menuItemId: item.id
        })).body as Body
        assert.strictEqual((yield* request("DELETE", `/api/rooms/${w.room.id}`)).status, 204)
        assert.strictEqual((yield* request("DELETE", `/api/menu-items/${item.id}`)).status, 204)

        for (const table of w.tables) {
          assert.isNull(((yield* request("GET", `/api/tables/${table.id}`)).body as Body).diningRoomId)
        }
        assert.isNull(((yield* request("GET", `/api/offers/${offer.id}`)).body as Body).menuItemId)
        // The feed serves a transaction once no older one is running: wait for what is expected (bounded).
        const updates = yield* request("GET", `/api/changes?restaurantId=${w.restaurantId}&limit=1000`).pipe(
          Effect.map((page) =>
            ((page.body as Body).entries as Array<Body>).filter((e) => e.action === "update").map((e) => e.entityId)
          ),
          Effect.filterOrFail((ids) => ids.length >= 3, (ids) => new Error(`updates in the feed: ${ids.join(", ")}`)),
          Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo("10 seconds"))),
          Effect.orDie
        )
        assert.sameMembers(updates, [...w.tables.map((t) => t.id), offer.id])
      }))

    it.scoped("a customer: its reservations and orders lose it as new versions, nothing pushed for it", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setWebhook(w.restaurantUid, null)
        const customer = (yield* request("POST", "/api/customers", samples.customer(w.restaurantId))).body as Body
        const reservation = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          customerId: customer.id
        })).body as Body
        const order = (yield* request("POST", "/api/orders", {
          ...samples.order(w.restaurantId),
          customerId: customer.id
        })).body as Body
        yield* drainAll
        const pushedBefore = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)

        const removed = yield* request("DELETE", `/api/customers/${customer.id}`)
        assert.strictEqual(removed.status, 204, removed.text)
        for (const [path, before] of [["reservations", reservation], ["orders", order]] as const) {
          const after = (yield* request("GET", `/api/${path}/${before.id}`)).body as Body
          assert.isNull(after.customerId, path)
          assert.strictEqual(after.version, (before.version as number) + 1, path)
        }
        yield* drainAll
        const pushedAfter = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)
        assert.strictEqual(pushedAfter.length, pushedBefore.length)
      }))

    it.scoped("a room: removes its mappings; a platform booking in that area is applied without it, not refused", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const mapped = `/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=dining_room&entityId=${w.room.id}`
        assert.lengthOf(yield* list(mapped), 1)
        const removed = yield* request("DELETE", `/api/rooms/${w.room.id}`)
        assert.strictEqual(removed.status, 204, removed.text)
        assert.deepStrictEqual(yield* list(mapped), [])

        yield* w.sim.platform.create(w.restaurantUid, staffBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* assertAppliedWithoutRoom(w)
      }))

    // Issue 19: a row deleted straight in the database used to leave its mapping behind, and the
    // next booking that named it failed its foreign key on every retry.
    it.scoped("a room deleted in the database, not through the API: its mappings go too, nothing fails", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const sql = yield* SqlClient.SqlClient
        yield* sql`DELETE FROM dining_rooms WHERE id = ${w.room.id as string}`
        const mapped = `/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=dining_room&entityId=${w.room.id}`
        assert.deepStrictEqual(yield* list(mapped), [])

        yield* w.sim.platform.create(w.restaurantUid, staffBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* assertAppliedWithoutRoom(w)
      }))

    it.scoped("a reservation deleted in the database: the platform's next change of it is stored anew", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const sql = yield* SqlClient.SqlClient
        const made = yield* w.sim.platform.create(w.restaurantUid, staffBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [first] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        yield* sql`DELETE FROM reservations WHERE id = ${first!.id as string}`

        yield* w.sim.platform.update(w.restaurantUid, made.uid, { numberOfPeople: 4 })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [again, ...more] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.deepStrictEqual(more, [])
        assert.notStrictEqual(again?.id, first!.id)
        assert.strictEqual(again?.partySize, 4)
        const failed = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=failed`)
        assert.deepStrictEqual(failed, [])
      }))
  })
})

const assertAppliedWithoutRoom = (w: { readonly restaurantId: string }) =>
  Effect.gen(function*() {
    const [r] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
    assert.strictEqual(r?.customerName, "Léa Martin")
    assert.isNull(r!.diningRoomId)
    const remaining = new Set((yield* list(`/api/tables?restaurantId=${w.restaurantId}`)).map((t) => t.id))
    assert.isTrue((r!.tableIds as Array<string>).every((id) => remaining.has(id)), JSON.stringify(r!.tableIds))
    const failed = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=failed`)
    assert.deepStrictEqual(failed, [])
  })
