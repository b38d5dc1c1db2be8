import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { guest } from "../../../support/thefork-world.js"
import { CLIENT_SECRET, RESTAURANT_UUID, sampleReservation, startTheFork, theforkConfig } from "./harness.js"

const tomorrow = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10)
const routeCount = (counters: { readonly requestsByRoute: Readonly<Record<string, number>> }, name: string) =>
  counters.requestsByRoute[name] ?? 0

const world = Effect.gen(function*() {
  const w = yield* startTheFork({ simulator: { mode: { apiChangesEmitWebhooks: false } } })
  const reservations = yield* requireCapability(w.subject.connector, "reservations").pipe(Effect.orDie)
  return { ...w, reservations }
})

describe("thefork connector against the simulator", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("pulls offers and answers availability as instants for bookable timeslots", () =>
      Effect.gen(function*() {
        const w = yield* world
        const offers = yield* (yield* requireCapability(w.subject.connector, "offers")).pullOffers()
        assert.deepStrictEqual(offers.map((o) => o.data.name), ["-30% on the à la carte menu", "Tasting menu"])
        const slots = yield* w.subject.connector.availability(tomorrow(), 2)
        assert.strictEqual(slots.length, 8)
        // 12:00 in Paris is 10:00Z in summer, 11:00Z in winter.
        assert.include([10, 11], new Date(slots[0]!.time).getUTCHours())
        assert.strictEqual((yield* Effect.flip(w.subject.connector.availability("tomorrow", 2))).reason, "validation")
      }))

    // Issue 20, item 3: the design's pullCustomers and pushAvailability, where TheFork documents them.
    it.scoped("pulls the restaurant's customers, and closes then reopens an online slot through the availability override", () =>
      Effect.gen(function*() {
        const w = yield* world
        yield* w.sim.staff.create(RESTAURANT_UUID, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          customer: guest
        })
        const customers = yield* (yield* requireCapability(w.subject.connector, "customers")).pullCustomers()
        assert.deepInclude(customers.map((c) => c.data), {
          name: "Léa Martin",
          phone: "+33698765432",
          email: "lea@example.com",
          allergies: [],
          isVip: false
        })

        const day = tomorrow()
        const before = yield* w.subject.connector.availability(day, 2)
        const first = before[0]!
        const localTime = new Intl.DateTimeFormat("en-GB", {
          timeZone: "Europe/Paris",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23"
        }).format(new Date(first.time))
        const push = yield* requireCapability(w.subject.connector, "availabilityPush")
        yield* push.pushAvailability([{ date: day, startTime: localTime, isOpen: false }])
        const closed = yield* w.subject.connector.availability(day, 2)
        assert.strictEqual(closed.length, before.length - 1)
        assert.isUndefined(closed.find((s) => s.time === first.time))
        yield* push.pushAvailability([{ date: day, startTime: localTime, isOpen: true }])
        assert.strictEqual((yield* w.subject.connector.availability(day, 2)).length, before.length)
      }))

    it.scoped("reads a staff-made booking with its guest fetched by customerUuid, and follows status and mealStatus", () =>
      Effect.gen(function*() {
        const w = yield* world
        const made = yield* w.sim.staff.create(RESTAURANT_UUID, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          customerNote: "Allergies: crustacés",
          customer: guest
        })
        const read = (yield* w.reservations.get(made.reservationUuid)).reservation
        assert.strictEqual(read.customerName, "Léa Martin")
        assert.strictEqual(read.customerPhone, "+33698765432")
        assert.deepStrictEqual(read.allergies, ["crustacés"])
        assert.isUndefined(read.externalReferenceId)
        assert.strictEqual(read.status, "confirmed")
        yield* w.sim.staff.change(RESTAURANT_UUID, made.reservationUuid, { mealStatus: "LEFT" })
        assert.strictEqual((yield* w.reservations.get(made.reservationUuid)).reservation.status, "completed")
        yield* w.sim.staff.change(RESTAURANT_UUID, made.reservationUuid, { status: "NO_SHOW", mealStatus: null })
        assert.strictEqual((yield* w.reservations.get(made.reservationUuid)).reservation.status, "no_show")
      }))

    it.scoped("an update PATCHes only date and party size, and sends nothing when neither changed", () =>
      Effect.gen(function*() {
        const w = yield* world
        const dto = { ...sampleReservation(crypto.randomUUID()), notes: "Window seat" }
        const created = yield* w.reservations.create(dto)
        yield* w.reservations.update(created.externalId, { ...dto, notes: "Changed locally" })
        assert.strictEqual(routeCount(yield* w.sim.counters, "PATCH /v1/reservations/{id}"), 0)
        yield* w.reservations.update(created.externalId, { ...dto, partySize: 6 })
        assert.strictEqual(routeCount(yield* w.sim.counters, "PATCH /v1/reservations/{id}"), 1)
        const stored = yield* w.sim.reservation(RESTAURANT_UUID, created.externalId)
        assert.strictEqual(stored.partySize, 6)
        assert.strictEqual(stored.customerNote, "Window seat")
      }))

    it.scoped("cancelling a no-show changes nothing and succeeds; cancelling a seated guest is a permanent refusal", () =>
      Effect.gen(function*() {
        const w = yield* world
        const noShow = yield* w.reservations.create(sampleReservation(crypto.randomUUID()))
        yield* w.sim.staff.change(RESTAURANT_UUID, noShow.externalId, { status: "NO_SHOW" })
        yield* w.reservations.cancel(noShow.externalId)
        assert.strictEqual((yield* w.sim.reservation(RESTAURANT_UUID, noShow.externalId)).status, "NO_SHOW")

        const seated = yield* w.reservations.create({
          ...sampleReservation(crypto.randomUUID()),
          reservationTime: "2030-06-07T19:00:00Z"
        })
        yield* w.sim.staff.change(RESTAURANT_UUID, seated.externalId, { mealStatus: "SEATED" })
        const refused = yield* Effect.flip(w.reservations.cancel(seated.externalId))
        assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "validation", status: 400 })
        assert.include(refused.message, "CANCELLATION_ERROR")
      }))

    it.scoped("a double booking of the guest is a permanent conflict naming TheFork's code", () =>
      Effect.gen(function*() {
        const w = yield* world
        yield* w.reservations.create(sampleReservation(crypto.randomUUID()))
        const conflict = yield* Effect.flip(w.reservations.create(sampleReservation(crypto.randomUUID())))
        assert.deepInclude(conflict, { _tag: "PlatformPermanentError", reason: "conflict", status: 409 })
        assert.include(conflict.message, "DOUBLE_BOOKING")
        assert.strictEqual((yield* w.sim.counters).createCalls, 2)
      }))

    it.scoped("a guest without e-mail is booked with the one TheFork knows for their phone, else refused saying why", () =>
      Effect.gen(function*() {
        const w = yield* world
        const known = yield* w.sim.staff.create(RESTAURANT_UUID, {
          mealDate: "2030-06-01T18:00:00Z",
          partySize: 2,
          customer: guest
        })
        const { customerEmail: _, ...phoneOnly } = sampleReservation(crypto.randomUUID())
        const created = yield* w.reservations.create({ ...phoneOnly, customerPhone: "+33 6 98 76 54 32" })
        const booked = yield* w.sim.reservation(RESTAURANT_UUID, created.externalId)
        assert.strictEqual(booked.customerUuid, known.customerUuid, "the guest TheFork knows, not a new one")

        const { customerEmail: __, ...another } = sampleReservation(crypto.randomUUID())
        const unknown = yield* Effect.flip(w.reservations.create({ ...another, customerPhone: "+33712345670" }))
        assert.deepInclude(unknown, { _tag: "PlatformPermanentError", reason: "validation" })
        assert.include(
          unknown.message,
          "TheFork needs the guest's e-mail to create a reservation: none was given, and TheFork knows no guest by this phone number"
        )
        assert.strictEqual(
          (yield* w.sim.counters).createCalls,
          1,
          "ours; nothing sent for the unknown phone"
        )
      }))

    it.scoped("missingGuestDetails: an e-mail, unless one is given or TheFork knows the phone number", () =>
      Effect.gen(function*() {
        const w = yield* world
        yield* w.sim.staff.create(RESTAURANT_UUID, { mealDate: "2030-06-01T18:00:00Z", partySize: 2, customer: guest })
        const lacks = w.reservations.missingGuestDetails!
        assert.deepStrictEqual(yield* lacks({ customerPhone: "+33 6 98 76 54 32" }), [], "a caller TheFork knows")
        assert.deepStrictEqual(yield* lacks({ customerPhone: "+33712345670" }), ["customerEmail"])
        assert.deepStrictEqual(yield* lacks({ customerPhone: "+33712345670", customerEmail: "new@example.com" }), [])
        assert.strictEqual((yield* w.sim.counters).createCalls, 0, "asking books nothing")
      }))

    it.scoped("a connector that never saw the booking finds it by our id in the internal note, reading each booking once", () =>
      Effect.gen(function*() {
        const w = yield* world
        const id = crypto.randomUUID()
        yield* w.sim.staff.create(RESTAURANT_UUID, {
          mealDate: "2030-06-09T18:00:00Z",
          partySize: 2,
          customer: { email: "other@example.com", firstName: "O", lastName: "Ther", locale: "fr_FR", civility: "mr" }
        })
        const created = yield* w.reservations.create(sampleReservation(id))
        const fresh = yield* w.registry.connectorFor(theforkConfig(w.sim, w.urlToken, CLIENT_SECRET, "resto-fresh"))
        const lookup = yield* requireCapability(fresh, "reservations").pipe(Effect.orDie)
        const before = routeCount(yield* w.sim.counters, "GET /v1/reservations/{id}")
        assert.strictEqual(Option.getOrThrow(yield* lookup.findByReference(id)).externalId, created.externalId)
        assert.strictEqual(routeCount(yield* w.sim.counters, "GET /v1/reservations/{id}") - before, 2)
        assert.isTrue(Option.isNone(yield* lookup.findByReference(crypto.randomUUID())))
        assert.strictEqual(routeCount(yield* w.sim.counters, "GET /v1/reservations/{id}") - before, 2)
      }))
  })
})
