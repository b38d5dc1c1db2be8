import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { type PlatformConnector, requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { RESTAURANT_UID, sampleReservation, startZenchef } from "../conformance/zenchef-harness.js"

const capability = <K extends "reservations" | "floorPlan" | "offers" | "polling">(
  connector: PlatformConnector,
  k: K
) => requireCapability(connector, k).pipe(Effect.orDie)

const tomorrowInParis = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + 24 * 3600 * 1000))

describe("zenchef connector against the simulator", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("pulls areas, tables, shifts and ticket products for mapping and backfill", () =>
      Effect.gen(function*() {
        const { subject } = yield* startZenchef()
        const floorPlan = yield* capability(subject.connector, "floorPlan")
        const rooms = yield* floorPlan.pullDiningRooms()
        assert.deepStrictEqual(rooms.map((r) => [r.externalId, r.data.name]), [["1", "Main room"], ["2", "Terrace"]])
        const tables = yield* floorPlan.pullTables()
        assert.strictEqual(tables.length, 8)
        assert.deepStrictEqual(tables.find((t) => t.externalId === "8")?.data, {
          label: "T8",
          seats: 8,
          minSeats: 4,
          diningRoomExternalId: "2"
        })
        const services = yield* floorPlan.pullServices()
        assert.deepStrictEqual(services.map((s) => s.externalId).sort(), [
          "shift:1080-1350:dinner-menu",
          "shift:720-870:lunch-menu"
        ])
        assert.deepStrictEqual(services.find((s) => s.externalId === "shift:720-870:lunch-menu")?.data, {
          name: "12:00–14:30",
          startTime: "12:00",
          endTime: "14:30",
          offerExternalId: "lunch-menu"
        })
        const offers = yield* (yield* capability(subject.connector, "offers")).pullOffers()
        assert.deepStrictEqual(offers.map((o) => [o.externalId, o.data.name]), [["lunch-menu", "Lunch menu"], [
          "dinner-menu",
          "Dinner menu"
        ]])
      }))

    it.scoped("answers availability as instants, only for free slots", () =>
      Effect.gen(function*() {
        const { subject } = yield* startZenchef()
        const date = tomorrowInParis()
        const slots = yield* subject.connector.availability(date, 2)
        assert.isAbove(slots.length, 0)
        const first = slots[0]!
        // The first lunch slot, 12:00 in Paris: 10:00Z in summer, 11:00Z in winter.
        const hour = new Date(first.time).getUTCHours()
        assert.include([10, 11], hour)
        assert.isAtLeast(first.remainingCovers, 2)
        const invalid = yield* Effect.flip(subject.connector.availability("tomorrow", 2))
        assert.strictEqual(invalid.reason, "validation")
      }))

    it.scoped("an update sends the whole booking, so a replacing PUT loses nothing", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef()
        yield* sim.setMode({ updateMode: "replace" })
        const reservations = yield* capability(subject.connector, "reservations")
        const dto = { ...sampleReservation(crypto.randomUUID()), occasion: "birthday" }
        const created = yield* reservations.create(dto)
        yield* sim.platform.update(RESTAURANT_UID, created.externalId, { color: "#ffd100", title: "FEMALE" })
        // The local side knows nothing of email, colour or title: they must survive.
        const { customerEmail: _, occasion: __, ...withoutEmail } = dto
        yield* reservations.update(created.externalId, { ...withoutEmail, partySize: 5 })
        const stored = yield* sim.booking(RESTAURANT_UID, created.externalId)
        assert.strictEqual(stored.numberOfPeople, 5)
        assert.strictEqual(stored.email, "ana@example.com")
        assert.strictEqual(stored.color, "#ffd100")
        assert.strictEqual(stored.title, "FEMALE")
        assert.strictEqual(stored.externalReferenceId, dto.externalReferenceId)
        assert.include(stored.comments ?? "", "Occasion: birthday")
        assert.isAbove(stored.tables.length, 0)
      }))

    it.scoped("polls recent changes as events whose ids repeat until the booking changes", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef()
        const polling = yield* capability(subject.connector, "polling")
        const made = yield* sim.platform.create(RESTAURANT_UID, {
          bookingDateTime: "2030-06-07T20:00:00",
          numberOfPeople: 2,
          culture: "fr",
          company: false,
          lastName: "Martin"
        })
        const gone = yield* sim.platform.create(RESTAURANT_UID, {
          bookingDateTime: "2030-06-08T20:00:00",
          numberOfPeople: 3,
          culture: "fr",
          company: false
        })
        yield* sim.platform.cancel(RESTAURANT_UID, gone.uid)

        const first = yield* polling.recentChanges(5)
        const made1 = first.find((e) => e.externalId === made.uid)
        assert.strictEqual(made1?.eventType, "reservation.updated")
        assert.strictEqual(made1?.externalRestaurantId, RESTAURANT_UID)
        assert.strictEqual(made1?.reservation?.reservationTime, "2030-06-07T18:00:00.000Z")
        assert.strictEqual(first.find((e) => e.externalId === gone.uid)?.eventType, "reservation.cancelled")

        const again = yield* polling.recentChanges(5)
        assert.deepStrictEqual(again.map((e) => e.eventId).sort(), first.map((e) => e.eventId).sort())

        yield* sim.platform.update(RESTAURANT_UID, made.uid, { numberOfPeople: 4 })
        const after = yield* polling.recentChanges(5)
        const made2 = after.find((e) => e.externalId === made.uid)
        assert.strictEqual(made2?.reservation?.partySize, 4)
        assert.notStrictEqual(made2?.eventId, made1?.eventId)
        assert.strictEqual(new Set(after.map((e) => e.eventId)).size, after.length)
      }))

    it.scoped("reports polling as unsupported where the endpoint does not exist", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef()
        yield* sim.setMode({ latestEndpoint: false })
        const polling = yield* capability(subject.connector, "polling")
        const e = yield* Effect.flip(polling.recentChanges(5))
        assert.deepInclude(e, { _tag: "PlatformPermanentError", reason: "unsupported" })
      }))

    it.scoped("a slow platform is a retryable timeout; an unreachable one a retryable network error", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef({
          registry: { http: { timeout: "200 millis", transientRetries: 1, retryBaseDelay: "10 millis" } }
        })
        const reservations = yield* capability(subject.connector, "reservations")
        const created = yield* reservations.create(sampleReservation(crypto.randomUUID()))
        yield* sim.setFaults({ latencyMs: 600 })
        const slow = yield* Effect.flip(reservations.get(created.externalId))
        assert.deepInclude(slow, { _tag: "PlatformRetryableError", reason: "timeout" })
        yield* sim.clearFaults

        const { registry, config } = yield* startZenchef()
        const unreachable = yield* registry.connectorFor({
          ...config,
          version: "unreachable",
          credentials: { ...config.credentials, baseUrl: "http://127.0.0.1:9/api/v1.2" }
        })
        const down = yield* Effect.flip(unreachable.authenticate())
        assert.deepInclude(down, { _tag: "PlatformRetryableError", reason: "network" })
      }))

    it.scoped("authenticates with its key and refuses a wrong one as permanent", () =>
      Effect.gen(function*() {
        const { subject } = yield* startZenchef()
        yield* subject.connector.authenticate()
        const refused = yield* Effect.flip(subject.badCredentials.authenticate())
        assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "auth", status: 401 })
      }))

    // Issue 23, item 6: Formitable's check-out toggles and no Booking field shows it (BookingViewModel).
    it.scoped("a check-out pushed again never undoes Zenchef's state; check-in is read back and never repeated", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef()
        const reservations = yield* capability(subject.connector, "reservations")
        const created = yield* reservations.create(sampleReservation(crypto.randomUUID()))
        const checkIn = Option.getOrThrow(Option.fromNullable(reservations.checkIn))
        yield* checkIn(created.externalId)
        yield* checkIn(created.externalId)
        assert.isNotNull((yield* sim.booking(RESTAURANT_UID, created.externalId)).checkInDateTime)
        const { checkOut } = reservations
        if (checkOut !== undefined) {
          yield* checkOut(created.externalId)
          const once = yield* sim.checkedOut(RESTAURANT_UID, created.externalId)
          yield* checkOut(created.externalId)
          assert.strictEqual(
            yield* sim.checkedOut(RESTAURANT_UID, created.externalId),
            once,
            "a repeated check-out toggled it back"
          )
        }
        assert.isFalse(
          yield* sim.checkedOut(RESTAURANT_UID, created.externalId),
          "no check-out is sent: it could not be made idempotent"
        )
        const read = yield* reservations.get(created.externalId)
        assert.strictEqual(read.reservation.status, "seated", "completed cannot be read from Zenchef")
        assert.isUndefined(read.updatedAt, "BookingViewModel has no last-modified time")
      }))

    // Issue 23, item 5: `source` is read-only (BookingCreateViewModel has `externalReferenceId` only).
    it.scoped("our create carries our reference as externalReferenceId alone; a retry after a lost answer finds it; inbound keeps it", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startZenchef()
        const reservations = yield* capability(subject.connector, "reservations")
        const id = crypto.randomUUID()
        const dto = { ...sampleReservation(id), tableExternalIds: ["5"], offerExternalId: "dinner-menu" }
        yield* subject.sim.dropNextCreateResponse
        yield* Effect.either(reservations.create(dto))
        const created = yield* reservations.create(dto)
        assert.strictEqual((yield* sim.bookings(RESTAURANT_UID)).filter((b) => b.externalReferenceId === id).length, 1)
        assert.deepStrictEqual(
          Option.map(yield* reservations.findByReference(id), (f) => f.externalId),
          Option.some(created.externalId)
        )
        const stored = yield* sim.booking(RESTAURANT_UID, created.externalId)
        assert.strictEqual(stored.source, "api", "what Formitable stored, not what we could send")
        assert.strictEqual(stored.externalReferenceId, id)
        assert.strictEqual(stored.bookingDateTime, "2030-06-07T19:30:00")
        assert.deepStrictEqual(stored.tables.map((t) => t.id), [5])
        assert.strictEqual(stored.tickets[0]?.uid, "dinner-menu")
        const read = yield* reservations.get(created.externalId)
        assert.deepStrictEqual(read.reservation.tableExternalIds, ["5"])
        assert.strictEqual(read.reservation.diningRoomExternalId, "1")
        assert.strictEqual(read.reservation.offerExternalId, "dinner-menu")
        assert.strictEqual(read.reservation.externalReferenceId, id)
      }))
  })
})
