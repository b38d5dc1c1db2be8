import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { linkOn } from "../support/mappings.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { theforkWorldOf } from "../support/thefork-world.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, unknown>
interface Slot {
  readonly localTime: string
  readonly serviceId: string | null
  readonly serviceName: string | null
}

const create = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (r) =>
      r.status === 201
        ? Effect.succeed(r.body as Body & { id: string })
        : Effect.dieMessage(`${path}: ${r.status} ${r.text}`)
  )

// 2030-06-07 is a Friday; Paris is at UTC+2 then.
const guest = { customer_name: "Léa Martin", customer_phone: "+33698765432", date: "2030-06-07" }
const confirm = (body: Body) => request("POST", "/api/voice-ai/tools/confirm_reservation", body)

describe("voice AI end to end: service + PostgreSQL + Zenchef simulator over HTTP (R-11)", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("confirm_reservation books the chosen service and offer, and the booking reaches Zenchef with the offer's mapped product", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        // The dinner service is not mapped: the product Zenchef gets can only come from the offer.
        const dinner = yield* create("/api/dining-services", samples.diningService(w.restaurantId))
        const response = yield* confirm({
          restaurantId: w.restaurantId,
          ...guest,
          party_size: 4,
          time: "19:30",
          service_id: dinner.id,
          offer_id: w.offer.id,
          allergies: ["crustacés"],
          occasion: "anniversaire"
        })
        assert.strictEqual(response.status, 201, response.text)
        const created = response.body as Body
        assert.deepInclude(created, { source: "ai", serviceId: dinner.id, offerId: w.offer.id, partySize: 4 })

        yield* drainAll
        const bookings = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(bookings.length, 1)
        const booking = bookings[0]!
        assert.strictEqual(booking.externalReferenceId, created.id)
        assert.deepStrictEqual(booking.tickets.map((t) => t.uid), ["dinner-menu"])
        assert.strictEqual(booking.bookingDateTime.slice(0, 16), "2030-06-07T19:30")
        assert.strictEqual(booking.numberOfPeople, 4)
        assert.include(booking.comments ?? "", "crustacés")
        const mappings =
          (yield* request("GET", `/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=reservation`)).body as {
            items: Array<Body>
          }
        assert.deepStrictEqual(mappings.items.map((m) => [m.entityId, m.externalId]), [[created.id, booking.uid]])
      }))

    it.scoped("a service mapped to a Zenchef shift carries that shift's product, with no offer chosen", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const lunch = yield* create("/api/dining-services", {
          ...samples.diningService(w.restaurantId),
          name: "Déjeuner",
          startTime: "12:00",
          endTime: "14:30",
          lastSeatingTime: "13:30"
        })
        // The simulator's lunch shift, 12:00–14:30, sells "lunch-menu".
        yield* linkOn(w.restaurantId, "dining_service", lunch.id, "shift:720-870:lunch-menu")
        const response = yield* confirm({
          restaurantId: w.restaurantId,
          ...guest,
          party_size: 2,
          time: "12:30",
          service_id: lunch.id
        })
        assert.strictEqual(response.status, 201, response.text)
        yield* drainAll
        const [booking] = yield* w.sim.bookings(w.restaurantUid)
        assert.strictEqual(booking?.externalReferenceId, (response.body as Body).id)
        assert.deepStrictEqual(booking?.tickets.map((t) => t.uid), ["lunch-menu"])
      }))

    it.scoped("a refused booking (full, after last seating, offer party size) is a 409 and nothing reaches Zenchef", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        yield* create("/api/dining-services", { ...samples.diningService(w.restaurantId), maxCovers: 4 })
        yield* create("/api/reservations", {
          ...samples.reservation(w.restaurantId),
          partySize: 4,
          reservationTime: "2030-06-07T18:00:00Z"
        })
        yield* drainAll
        const before = (yield* w.sim.bookings(w.restaurantUid)).length
        // The world's offer is for 2 to 8 guests.
        for (
          const [args, reason] of [
            [{ party_size: 2, time: "20:00" }, "full"],
            [{ party_size: 2, time: "21:45" }, "after_last_seating"],
            [{ party_size: 1, time: "21:30", offer_id: w.offer.id }, "offer_party_size"]
          ] as const
        ) {
          const refused = yield* confirm({ restaurantId: w.restaurantId, ...guest, ...args })
          assert.strictEqual(refused.status, 409, refused.text)
          assert.strictEqual((refused.body as Body).reason, reason)
        }
        yield* drainAll
        assert.strictEqual((yield* w.sim.bookings(w.restaurantUid)).length, before)
        const local = (yield* request("GET", `/api/reservations?restaurantId=${w.restaurantId}`)).body as {
          total: number
        }
        assert.strictEqual(local.total, 1)
      }))

    it.scoped("with Zenchef master for reservations, a booking the voice AI takes is created on Zenchef once; later local changes are Zenchef's to make", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld({ masterFor: ["reservation"] })
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        yield* create("/api/dining-services", samples.diningService(w.restaurantId))
        const response = yield* confirm({ restaurantId: w.restaurantId, ...guest, party_size: 2, time: "20:00" })
        assert.strictEqual(response.status, 201, response.text)
        const created = response.body as Body & { id: string }
        yield* drainAll
        const bookings = yield* w.sim.bookings(w.restaurantUid)
        assert.deepStrictEqual(bookings.map((b) => [b.externalReferenceId, b.numberOfPeople]), [[created.id, 2]])

        yield* request("PATCH", `/api/reservations/${created.id}`, { notes: "en terrasse" })
        yield* drainAll
        const outbound = (yield* request(
          "GET",
          `/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound`
        )).body as { items: Array<Body> }
        assert.deepStrictEqual(outbound.items.map((l) => [l.action, l.status, l.errorMessage]), [
          ["update", "skipped", "zenchef is master of this reservation"],
          ["create", "success", null]
        ])
        assert.notInclude((yield* w.sim.booking(w.restaurantUid, bookings[0]!.uid)).comments ?? "", "terrasse")
      }))

    it.scoped("with Zenchef master for reservations and no service described here, a time Zenchef offers is booked", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld({ masterFor: ["reservation"] })
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const context = (yield* request("GET", `/api/voice-ai/context?restaurantId=${w.restaurantId}&language=en`))
          .body as Body
        assert.match(String(context.servicesText), /ask check_availability/)
        const offered = (yield* request("POST", "/api/voice-ai/tools/check_availability", {
          restaurantId: w.restaurantId,
          date: "2030-06-07",
          party_size: 2,
          time: "18:00"
        })).body as { slots: Array<Slot> }
        assert.deepStrictEqual(offered.slots.map((s) => s.localTime), ["18:00"])

        const response = yield* confirm({
          restaurantId: w.restaurantId,
          ...guest,
          customer_email: "lea.martin@example.com",
          party_size: 2,
          time: "18:00"
        })
        assert.strictEqual(response.status, 201, response.text)
        assert.deepInclude(response.body as Body, {
          source: "ai",
          serviceId: null,
          status: "confirmed",
          partySize: 2,
          customerEmail: "lea.martin@example.com"
        })
        yield* drainAll
        const bookings = yield* w.sim.bookings(w.restaurantUid)
        assert.deepStrictEqual(
          bookings.map((b) => [b.externalReferenceId, b.bookingDateTime.slice(0, 16), b.email]),
          [[(response.body as Body).id, "2030-06-07T18:00", "lea.martin@example.com"]]
        )

        // A time Zenchef does not offer is still refused, with the local reason.
        const refused = yield* confirm({ restaurantId: w.restaurantId, ...guest, party_size: 2, time: "03:00" })
        assert.strictEqual(refused.status, 409, refused.text)
        assert.strictEqual((refused.body as Body).reason, "closed")
      }))

    it.scoped("with TheFork master for reservations, a new caller without e-mail is asked for one: nothing booked until it is given", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorldOf(undefined, ["reservation"])
        const booking = { restaurantId: w.restaurantId, ...guest, customer_phone: "+33712345670", party_size: 2 }
        const refused = yield* confirm({ ...booking, time: "19:30" })
        assert.strictEqual(refused.status, 409, refused.text)
        assert.deepStrictEqual(refused.body, {
          _tag: "BookingRefused",
          reason: "email_needed",
          message: "The restaurant keeps its bookings on thefork, which needs the guest's e-mail to book them: " +
            "ask for it, then confirm again with customer_email."
        })
        const listed = (yield* request("GET", `/api/reservations?restaurantId=${w.restaurantId}`)).body as {
          items: ReadonlyArray<Body>
        }
        assert.deepStrictEqual(listed.items, [], "no booking here that TheFork would never hear of")

        const booked = yield* confirm({ ...booking, time: "19:30", customer_email: "lea.new@example.com" })
        assert.strictEqual(booked.status, 201, booked.text)
        yield* drainAll
        const onTheFork = yield* w.sim.reservations(w.restaurantUuid)
        assert.deepStrictEqual(onTheFork.map((r) => r.mealDate.slice(0, 16)), ["2030-06-07T17:30"])

        // A caller TheFork knows by phone needs no e-mail: TheFork has theirs.
        const again = yield* confirm({ ...booking, date: "2030-06-08", time: "20:00" })
        assert.strictEqual(again.status, 201, again.text)
        yield* drainAll
        assert.strictEqual((yield* w.sim.reservations(w.restaurantUuid)).length, 2)
      }))

    it.scoped("with Zenchef master for reservations, check_availability asks Zenchef and names the local service holding each slot", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld({ masterFor: ["reservation"] })
        const dinner = yield* create("/api/dining-services", samples.diningService(w.restaurantId))
        const response = yield* request("POST", "/api/voice-ai/tools/check_availability", {
          restaurantId: w.restaurantId,
          date: "2030-06-07",
          party_size: 2
        })
        assert.strictEqual(response.status, 200, response.text)
        const slots = (response.body as { slots: Array<Slot> }).slots
        const at = (time: string) => slots.find((s) => s.localTime === time)
        // Zenchef's dinner shift opens at 18:00; the local service only at 19:00, so 18:00 is Zenchef's word.
        assert.deepInclude(at("18:00"), { serviceId: null, serviceName: null })
        assert.deepInclude(at("12:00"), { serviceId: null })
        assert.deepInclude(at("19:30"), { serviceId: dinner.id, serviceName: "Dîner" })
        const atTime = (yield* request("POST", "/api/voice-ai/tools/check_availability", {
          restaurantId: w.restaurantId,
          date: "2030-06-07",
          party_size: 2,
          time: "20:00"
        })).body
        assert.deepStrictEqual((atTime as { slots: Array<Slot> }).slots.map((s) => [s.localTime, s.serviceName]), [[
          "20:00",
          "Dîner"
        ]])
      }))
  })
})
