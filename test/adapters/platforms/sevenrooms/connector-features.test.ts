import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleReservation, startSevenRooms, VENUE_ID } from "./harness.js"

const world = Effect.gen(function*() {
  const w = yield* startSevenRooms({ simulator: { mode: { apiChangesEmitWebhooks: false }, rateLimit: null } })
  const reservations = yield* requireCapability(w.subject.connector, "reservations").pipe(Effect.orDie)
  const polling = yield* requireCapability(w.subject.connector, "polling").pipe(Effect.orDie)
  return { ...w, reservations, polling }
})

const placed = {
  serviceExternalId: "dinner-2030",
  diningRoomExternalId: "area-main",
  tableExternalIds: ["table-12"],
  offerExternalId: "access-tasting"
}

describe("sevenrooms connector against the simulator", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    // Issue 23, item 3: public clients book with PUT and a form of `table`, `access_persistent_id`,
    // `external_id` and notes; shift, seating area, `table_ids` and `status` are never seen on writes.
    it.scoped("creates with PUT /venues/{id}/book and public form names; the shift and room come back on reads", () =>
      Effect.gen(function*() {
        const w = yield* world
        const created = yield* w.reservations.create({
          ...sampleReservation(crypto.randomUUID()),
          ...placed,
          notes: "Window seat"
        })
        assert.strictEqual((yield* w.sim.counters).requestsByRoute["PUT /venues/{venue_id}/book"], 1)
        const stored = yield* w.sim.reservation(VENUE_ID, created.externalId)
        assert.deepInclude(stored, {
          shift_persistent_id: "dinner-2030",
          venue_seating_area_id: "area-main",
          access_persistent_id: "access-tasting",
          date: "2030-06-07",
          arrival_time: "19:30",
          notes: "Window seat"
        })
        assert.deepStrictEqual(stored.table_numbers, ["12"])
        const read = (yield* w.reservations.get(created.externalId)).reservation
        assert.deepInclude(read, placed)
      }))

    it.scoped("an update PUTs the whole booking, so the replacing PUT keeps what we did not change", () =>
      Effect.gen(function*() {
        const w = yield* world
        const dto = { ...sampleReservation(crypto.randomUUID()), ...placed, notes: "Window seat" }
        const created = yield* w.reservations.create(dto)
        const { customerEmail: _, notes: __, tableExternalIds: ___, ...partial } = dto
        yield* w.reservations.update(created.externalId, { ...partial, partySize: 6 })
        const stored = yield* w.sim.reservation(VENUE_ID, created.externalId)
        assert.deepInclude(stored, {
          max_guests: 6,
          email: "ana@example.com",
          notes: "Window seat",
          shift_persistent_id: "dinner-2030",
          external_id: `alloresto:${dto.externalReferenceId}`
        })
        assert.deepStrictEqual(stored.auto_assignments.table_ids, ["table-12"])
      }))

    it.scoped("polls updated_since: an event per changed reservation, whose id repeats until it changes; cancellations say so", () =>
      Effect.gen(function*() {
        const w = yield* world
        const made = yield* w.sim.staff.create(VENUE_ID, {
          date: "2030-06-08",
          time: "20:00",
          party_size: 2,
          first_name: "Léa",
          last_name: "Martin",
          phone: "+33698765432"
        })
        const [first] = yield* w.polling.recentChanges(5)
        assert.strictEqual(first?.externalId, made.id)
        assert.strictEqual(first?.eventType, "reservation.updated")
        assert.strictEqual(first?.reservation?.customerName, "Léa Martin")
        assert.strictEqual((yield* w.polling.recentChanges(5))[0]?.eventId, first?.eventId)
        yield* Effect.sleep("5 millis")
        yield* w.sim.staff.cancel(VENUE_ID, made.id)
        const [cancelled] = yield* w.polling.recentChanges(5)
        assert.notStrictEqual(cancelled?.eventId, first?.eventId)
        assert.strictEqual(cancelled?.eventType, "reservation.cancelled")
        assert.strictEqual((yield* Effect.flip(w.polling.recentChanges(0))).reason, "validation")
      }))

    it.scoped("follows the cursor past the 400-per-page limit", () =>
      Effect.gen(function*() {
        const w = yield* world
        yield* Effect.forEach(Array.from({ length: 450 }, (_, i) => i), (i) =>
          w.sim.staff.create(VENUE_ID, { date: "2030-07-01", time: "19:00", party_size: 2, last_name: `Guest ${i}` }), {
          discard: true
        })
        const events = yield* w.polling.recentChanges(10)
        assert.strictEqual(
          new Set(events.map((e) =>
            e.externalId
          )).size,
          450
        )
        assert.strictEqual((yield* w.sim.counters).requestsByRoute["GET /reservations"], 2)
      }))

    it.scoped("answers availability per shift as instants, only where the party fits", () =>
      Effect.gen(function*() {
        const w = yield* world
        const slots = yield* w.subject.connector.availability("2030-01-15", 2)
        assert.strictEqual(slots.length, 10)
        assert.deepStrictEqual(slots[0], {
          time: "2030-01-15T11:00:00.000Z",
          remainingCovers: 40,
          serviceExternalId: "lunch-2030"
        })
        assert.deepStrictEqual(yield* w.subject.connector.availability("2030-01-15", 41), [])
      }))
  })
})
