import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { ReservationRepository } from "../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { eventually, guestBooking, staffBooking, zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, any>

const list = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { items: Array<Body> }).items)

describe("sync engine end to end: service + PostgreSQL + Zenchef simulator over HTTP", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a reservation created through the API reaches Zenchef with mapped room, tables and offer (R-5)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        // Saving the config tried its credentials (read-only calls): only the sync's requests count.
        yield* w.sim.resetCounters
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z",
          diningRoomId: w.room.id,
          tableIds: w.tables.map((t) => t.id),
          offerId: w.offer.id
        })).body as Body
        yield* drainAll
        const bookings = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(bookings.length, 1)
        const booking = bookings[0]!
        assert.strictEqual(booking.externalReferenceId, created.id)
        assert.deepStrictEqual(booking.tables.map((t) => t.id), [3, 4])
        assert.deepStrictEqual(booking.tables.map((t) => t.areaId), [1, 1])
        assert.strictEqual(booking.tickets[0]?.uid, "dinner-menu")
        assert.strictEqual(booking.bookingDateTime.slice(0, 16), "2030-06-07T19:30")
        assert.strictEqual(booking.numberOfPeople, 4)
        const counters = yield* w.sim.counters
        assert.deepStrictEqual(
          counters.requestsByRoute,
          { "POST /{restaurantUid}/booking": 1 },
          "a first try needs no look-up: one request"
        )
        const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=reservation`)
        assert.deepStrictEqual(mappings.map((m) => [m.entityId, m.externalId]), [[created.id, booking.uid]])
        const logs = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.strictEqual(logs.length, 1)
        assert.strictEqual(logs[0]!.action, "create")
        assert.isNumber(logs[0]!.durationMs)
      }))

    it.scoped("a signed booking.created webhook creates one reservation with resolved ids and a customer, even delivered three times (R-6.3, R-6.8)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.webhooks.configure({ duplicate: true })
        const booking = yield* w.sim.platform.create(w.restaurantUid, {
          ...staffBooking,
          productUid: "dinner-menu",
          email: "lea@example.com",
          comments: "Allergies: crustacés"
        })
        yield* w.sim.webhooks.awaitIdle
        yield* w.sim.webhooks.trigger(w.restaurantUid, booking.uid, "booking.created")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const reservations = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(reservations.length, 1)
        const r = reservations[0]!
        assert.strictEqual(r.source, "zenchef")
        assert.strictEqual(r.customerName, "Léa Martin")
        assert.strictEqual(r.partySize, 2)
        assert.strictEqual(r.reservationTime, "2030-06-08T18:00:00.000Z")
        assert.deepStrictEqual(r.tableIds, [w.tables[0]!.id])
        assert.strictEqual(r.diningRoomId, w.room.id)
        assert.strictEqual(r.offerId, w.offer.id)
        assert.include(r.allergies, "crustacés")
        const customers = yield* list(`/api/customers?restaurantId=${w.restaurantId}`)
        assert.strictEqual(customers.length, 1)
        assert.strictEqual(r.customerId, customers[0]!.id)
        assert.strictEqual(customers[0]!.phone, "+33698765432")
      }))

    it.scoped("an update from the master platform is applied (R-6.4, R-7.2)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        // Born on Zenchef: Zenchef is master of it.
        const booking = yield* w.sim.platform.create(w.restaurantUid, {
          ...guestBooking,
          comments: "Allergies: gluten"
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, {
          numberOfPeople: 6,
          comments: "Allergies: gluten, arachides"
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [after] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(after!.partySize, 6)
        assert.strictEqual(after!.version, 2)
        assert.sameMembers(after!.allergies, ["gluten", "arachides"])
        const logs = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&status=success`)
        assert(logs.some((l) => l.action === "update"), JSON.stringify(logs))
      }))

    it.scoped("with self as master, a platform update is a logged conflict that takes only the allergy union (R-6.4, R-7.3)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z",
          allergies: ["gluten"]
        })).body as Body
        yield* drainAll
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        yield* w.sim.platform.update(w.restaurantUid, booking!.uid, {
          numberOfPeople: 6,
          comments: "Allergies: gluten, arachides"
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.strictEqual(after.partySize, 4, "local wins")
        assert.sameMembers(after.allergies, ["gluten", "arachides"])
        const conflicts = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&status=conflict`)
        assert.strictEqual(conflicts.length, 1, JSON.stringify(conflicts))
        assert.include(conflicts[0]!.conflictResolution, "allergy union")
      }))

    it.scoped("updates delivered out of order never regress the reservation (R-6.8)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const booking = yield* w.sim.platform.create(w.restaurantUid, guestBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* w.sim.webhooks.configure({ reorder: true })
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, { numberOfPeople: 3 })
        yield* Effect.sleep("5 millis")
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, { numberOfPeople: 7 })
        yield* w.sim.webhooks.flush
        yield* drainAll
        const [after] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(after!.partySize, 7, "the newest change wins")
        const skipped = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&status=skipped`)
        assert(skipped.some((l) => String(l.errorMessage).includes("older than")), JSON.stringify(skipped))
      }))

    it.scoped("an older update delivered after one of our pushes still never regresses the reservation (R-6.8)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        // Born on Zenchef, so Zenchef is master of it: an update it sends is applied as it is.
        const booking = yield* w.sim.platform.create(w.restaurantUid, guestBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        // The first update's webhook is held; the second is delivered and applied.
        yield* Effect.sleep("5 millis")
        yield* w.sim.webhooks.configure({ reorder: true })
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, { numberOfPeople: 3 })
        yield* w.sim.webhooks.configure({ reorder: false })
        yield* Effect.sleep("5 millis")
        yield* w.sim.platform.update(w.restaurantUid, booking.uid, { numberOfPeople: 7 })
        yield* eventually(Effect.map(w.sim.webhooks.attempts, (a) => a.length), (n) => n >= 2)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [reservation] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(reservation!.partySize, 7)
        // The restaurant seats the guest: a fact of ours, pushed to Zenchef, which writes the
        // booking's mapping. Zenchef says nothing back, so no echo moves the mapping on.
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        yield* request("PATCH", `/api/reservations/${reservation!.id}`, { status: "seated" })
        yield* drainAll
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.strictEqual(pushes.length, 1, "the seating was pushed")
        yield* w.sim.webhooks.release("in-order")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const after = (yield* request("GET", `/api/reservations/${reservation!.id}`)).body as Body
        assert.strictEqual(after.partySize, 7, "the older update is not applied over the newer one")
        const [latest] = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound`)
        assert.strictEqual(latest!.status, "skipped")
        assert.include(String(latest!.errorMessage), "older than")
      }))

    it.scoped("seated checks in, completed leaves Zenchef checked in, cancelled cancels; a platform cancel of a seated reservation is ignored and logged (R-5.4, R-6.5)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const make = () =>
          Effect.map(
            request("POST", "/api/reservations", {
              ...samples.reservation(w.restaurantId),
              reservationTime: "2030-06-07T17:30:00.000Z"
            }),
            (r) => r.body as Body
          )
        const [a, b] = [yield* make(), yield* make()]
        yield* drainAll
        const uidOf = (localId: unknown) =>
          Effect.map(w.sim.bookings(w.restaurantUid), (all) => all.find((x) => x.externalReferenceId === localId)!)
        yield* request("PATCH", `/api/reservations/${a.id}`, { status: "seated" })
        yield* drainAll
        assert.isNotNull((yield* uidOf(a.id)).checkInDateTime)
        yield* request("PATCH", `/api/reservations/${a.id}`, { status: "completed" })
        yield* drainAll
        // Zenchef's check-out toggles and no Booking field shows it: it is never sent (README, Zenchef).
        assert.isNotNull((yield* uidOf(a.id)).checkInDateTime)
        assert.isFalse(yield* w.sim.checkedOut(w.restaurantUid, (yield* uidOf(a.id)).uid))
        yield* request("PATCH", `/api/reservations/${b.id}`, { status: "cancelled" })
        yield* drainAll
        assert.strictEqual((yield* uidOf(b.id)).status, "CANCELLED")

        const c = yield* make()
        yield* drainAll
        yield* request("PATCH", `/api/reservations/${c.id}`, { status: "seated" })
        yield* drainAll
        yield* w.sim.platform.cancel(w.restaurantUid, (yield* uidOf(c.id)).uid)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        assert.strictEqual(((yield* request("GET", `/api/reservations/${c.id}`)).body as Body).status, "seated")
        const skipped = yield* list(
          `/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&status=skipped&entityId=${c.id}`
        )
        assert(skipped.some((l) => String(l.errorMessage).includes("cancel ignored")), JSON.stringify(skipped))
      }))

    it.scoped("the echo webhook of our own push bumps no version and queues no push (R-6.9)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z",
          allergies: ["gluten"],
          notes: "Window seat"
        })).body as Body
        yield* drainAll
        // The create's echo is taken before the change is pushed, so each echo meets its own push.
        yield* eventually(Effect.map(w.sim.webhooks.attempts, (a) => a.length), (n) => n >= 1)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* request("PATCH", `/api/reservations/${created.id}`, { partySize: 5 })
        yield* drainAll
        const before = ((yield* request("GET", `/api/reservations/${created.id}`)).body as Body).version
        yield* eventually(Effect.map(w.sim.webhooks.attempts, (a) => a.length), (n) => n >= 2)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const echoes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound`)
        assert(echoes.length >= 2, "the echoes were received and processed")
        assert(echoes.every((l) => l.status === "skipped"), JSON.stringify(echoes))
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.strictEqual(after.version, before)
        const queue = yield* SyncJobQueue
        assert.strictEqual((yield* queue.counts()).pending, 0)
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)
        assert.strictEqual(pushes.length, 2, "create and one update, nothing pushed back")
      }))

    it.scoped("the create's echo delivered after the update was pushed is still our own echo (R-6.8, R-6.9)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        // Zenchef's webhooks are held until both pushes have left, then delivered in order.
        yield* w.sim.webhooks.configure({ reorder: true })
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z"
        })).body as Body
        yield* drainAll
        yield* request("PATCH", `/api/reservations/${created.id}`, { partySize: 5 })
        yield* drainAll
        const before = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        yield* w.sim.webhooks.release("in-order")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const inbound = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound`)
        assert.sameDeepMembers(
          inbound.map((l) => [l.status, l.errorMessage]),
          [["skipped", "echo of our own push"], ["skipped", "echo of an earlier push of ours, after a later one"]]
        )
        const after = (yield* request("GET", `/api/reservations/${created.id}`)).body as Body
        assert.strictEqual(after.version, before.version)
        assert.strictEqual(after.partySize, 5)
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)
        assert.strictEqual(pushes.length, 2, "create and update, nothing pushed back")
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(booking!.numberOfPeople, 5)
      }))

    it.scoped("a late echo of our push-back leaves the platform's lost conflict remembered: its restatement is not pushed back again", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const created = (yield* request("POST", "/api/reservations", {
          ...samples.reservation(w.restaurantId),
          reservationTime: "2030-06-07T17:30:00.000Z"
        })).body as Body
        yield* drainAll
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        // On Zenchef the party becomes 6: a conflict ours wins, pushed back; that push's echo is held.
        yield* w.sim.platform.update(w.restaurantUid, booking!.uid, { numberOfPeople: 6 })
        yield* w.sim.webhooks.awaitIdle
        yield* w.sim.webhooks.configure({ reorder: true })
        yield* drainAll
        // A later change of ours reaches Zenchef without a webhook; then the held echo arrives, late.
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        yield* request("PATCH", `/api/reservations/${created.id}`, { partySize: 3 })
        yield* drainAll
        yield* w.sim.webhooks.release("in-order")
        yield* w.sim.webhooks.awaitIdle
        yield* w.sim.webhooks.configure({ reorder: false })
        yield* drainAll
        const inbound = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&limit=1`)
        assert.strictEqual(inbound[0]!.errorMessage, "echo of an earlier push of ours, after a later one")

        // Zenchef states the party of 6 again: the conflict it lost, not pushed back a second time.
        yield* w.sim.platform.update(w.restaurantUid, booking!.uid, { numberOfPeople: 6 })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [last] = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&limit=1`)
        assert.strictEqual(last!.status, "conflict")
        assert.strictEqual(
          last!.errorMessage,
          "not pushed back again: zenchef states partySize, durationMin, diningRoomId, tableIds as it did before our last push (it does not take ours)"
        )
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`)
        assert.strictEqual(pushes.length, 3, "the create, the push-back and our change")
      }))

    it.scoped("a paused config's signed deliveries are taken (2xx, no retries) and skipped, logged; forged ones are 401; once active again, applied", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const paused = yield* request("PATCH", `/api/platform-configs/${w.config.id}`, { isActive: false })
        assert.strictEqual(paused.status, 200, paused.text)
        const booking = yield* w.sim.platform.create(w.restaurantUid, staffBooking)
        yield* w.sim.webhooks.awaitIdle
        yield* w.sim.webhooks.trigger(w.restaurantUid, booking.uid, "booking.created")
        yield* w.sim.webhooks.awaitIdle
        const attempts = yield* w.sim.webhooks.attempts
        assert.isAbove(attempts.length, 0)
        assert.deepStrictEqual(attempts.map((a) => a.status), attempts.map(() => 200))
        yield* drainAll
        assert.strictEqual((yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)).length, 0)
        const skipped = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound`)
        assert.isAbove(skipped.length, 0)
        for (const line of skipped) {
          assert.deepInclude(line, { status: "skipped", errorMessage: "no active zenchef configuration" })
        }
        const forged = yield* request("POST", "/api/webhooks/zenchef", undefined, {
          rawBody: JSON.stringify({ event: "booking.created", restaurantUid: w.restaurantUid, booking: { uid: "x" } }),
          headers: { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(Date.now() / 1000)) }
        })
        assert.strictEqual(forged.status, 401)

        yield* request("PATCH", `/api/platform-configs/${w.config.id}`, { isActive: true })
        yield* w.sim.webhooks.trigger(w.restaurantUid, booking.uid, "booking.created")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const applied = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(applied.length, 1)
        assert.strictEqual(applied[0]!.source, "zenchef")
      }))

    it.scoped("a webhook with a bad or missing signature gets 401 and changes nothing (R-6.1)", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const body = JSON.stringify({
          event: "booking.created",
          eventId: crypto.randomUUID(),
          occurredAt: new Date().toISOString(),
          restaurantUid: w.restaurantUid,
          booking: {
            uid: "forged",
            status: "ACCEPTED",
            bookingDateTime: "2030-06-07T19:30:00",
            bookingDuration: 120,
            numberOfPeople: 2,
            firstName: "Mallory",
            lastName: "X",
            tables: [],
            tickets: []
          }
        })
        const now = Math.floor(Date.now() / 1000)
        const missing = yield* request("POST", "/api/webhooks/zenchef", undefined, { rawBody: body })
        const bad = yield* request("POST", "/api/webhooks/zenchef", undefined, {
          rawBody: body,
          headers: {
            "webhook-id": "msg_1",
            "webhook-timestamp": String(now),
            "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
          }
        })
        assert.strictEqual(missing.status, 401)
        assert.strictEqual(bad.status, 401)
        assert.strictEqual((bad.body as Body)._tag, "Unauthorized")
        const queue = yield* SyncJobQueue
        assert.strictEqual((yield* queue.counts()).pending, 0)
        yield* drainAll
        assert.strictEqual((yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)).length, 0)
        const reservations = yield* ReservationRepository
        assert.strictEqual(
          (yield* reservations.list({ restaurantId: w.restaurantId as never, limit: 10, offset: 0 })).total,
          0
        )
      }))
  })
})
