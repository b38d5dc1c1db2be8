import { assert, describe, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import { VoiceAi } from "../../src/app/services/voice-ai.js"
import type { RestaurantId } from "../../src/domain/ids.js"
import { Transactor } from "../../src/ports/entity-repository.js"
import { TestServiceLive } from "../support/app.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"

type Body = Record<string, unknown>
interface Slot {
  readonly time: string
  readonly localTime: string
  readonly serviceId: string | null
  readonly serviceName: string | null
}
interface Tool {
  readonly name: string
  readonly description: string
  readonly parameters: {
    readonly properties: Record<string, { readonly description: string }>
    readonly required: Array<string>
  }
}

const restaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}`
const create = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (r) =>
      r.status === 201
        ? Effect.succeed(r.body as Body & { id: string })
        : Effect.dieMessage(`${path}: ${r.status} ${r.text}`)
  )
const slotsOf = (body: unknown) => (body as { slots: Array<Slot> }).slots
const count = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { total: number }).total)

// 2030-06-07 is a Friday; Paris is at UTC+2 then.
const FRIDAY = "2030-06-07"
const guest = { customer_name: "Ana Ruiz", customer_phone: "+33612345678" }

describe("voice AI endpoints over HTTP (R-11)", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.effect("context: the restaurant's services and offers in French and English, and the tool definitions", () =>
      Effect.gen(function*() {
        const id = restaurant()
        const room = yield* create("/api/rooms", samples.diningRoom(id))
        const dinner = yield* create("/api/dining-services", { ...samples.diningService(id), diningRoomIds: [room.id] })
        const item = yield* create("/api/menu-items", { ...samples.menuItem(id), name: "Menu dégustation", price: 45 })
        const offer = yield* create("/api/offers", { ...samples.offer(id), menuItemId: item.id })
        yield* create("/api/offers", { ...samples.offer(id), name: "Ancienne offre", isActive: false })
        yield* create("/api/dining-services", { ...samples.diningService(restaurant()), name: "Brunch d'un autre" })

        const fr = yield* request("GET", `/api/voice-ai/context?restaurantId=${id}`)
        assert.strictEqual(fr.status, 200, fr.text)
        const frBody = fr.body as { servicesText: string; offersText: string; tools: Array<Tool> }
        assert.include(frBody.servicesText, `- Dîner [service_id: ${dinner.id}] : du mardi au samedi, 19h00–22h30`)
        assert.include(frBody.servicesText, "salles : Salle Principale")
        assert.notInclude(frBody.servicesText, "Brunch d'un autre")
        assert.include(frBody.offersText, "## Offres réservables")
        assert.include(frBody.offersText, `- Menu du marché (menu) [offer_id: ${offer.id}]`)
        assert.include(frBody.offersText, "Formule : Menu dégustation (45,00 €).")
        assert.notInclude(frBody.offersText, "Ancienne offre")
        assert.deepStrictEqual(frBody.tools.map((t) => t.name), ["check_availability", "confirm_reservation"])
        const confirm = frBody.tools[1]!
        assert.includeMembers(Object.keys(confirm.parameters.properties), [
          "service_id",
          "offer_id",
          "allergies",
          "occasion"
        ])
        assert.includeMembers(confirm.parameters.required, [
          "customer_name",
          "customer_phone",
          "party_size",
          "date",
          "time"
        ])
        assert.include(confirm.description, "Crée la réservation")

        const en = yield* request("GET", `/api/voice-ai/context?restaurantId=${id}&language=en`)
        const enBody = en.body as { servicesText: string; offersText: string; tools: Array<Tool> }
        assert.include(enBody.servicesText, "Tuesday to Saturday, 19:00–22:30")
        assert.include(enBody.servicesText, "rooms: Salle Principale")
        assert.include(enBody.offersText, "## Bookable offers")
        assert.include(enBody.offersText, "Set menu: Menu dégustation (€45.00).")
        assert.include(enBody.tools[1]!.description, "Creates the reservation")

        const german = yield* request("GET", `/api/voice-ai/context?restaurantId=${id}&language=de`)
        assert.strictEqual(german.status, 400)
      }))

    it.effect("check_availability: slots name their service, leave out booked covers, and filter by time and service", () =>
      Effect.gen(function*() {
        const id = restaurant()
        const dinner = yield* create("/api/dining-services", samples.diningService(id))
        const lunch = yield* create("/api/dining-services", {
          ...samples.diningService(id),
          name: "Déjeuner",
          startTime: "12:00",
          endTime: "14:30",
          lastSeatingTime: "13:30",
          maxCovers: 20
        })
        // 38 of the dinner's 40 covers from 19:30 to 21:00 (90 min).
        yield* create("/api/reservations", {
          ...samples.reservation(id),
          partySize: 38,
          reservationTime: "2030-06-07T17:30:00Z",
          serviceId: dinner.id
        })

        const all = yield* request("POST", "/api/voice-ai/tools/check_availability", {
          restaurantId: id,
          date: FRIDAY,
          party_size: 4
        })
        assert.strictEqual(all.status, 200, all.text)
        const slots = slotsOf(all.body)
        const dinnerSlots = slots.filter((s) => s.serviceId === dinner.id)
        assert.deepStrictEqual(dinnerSlots.map((s) => s.localTime), ["21:00", "21:15", "21:30"])
        assert(dinnerSlots.every((s) => s.serviceName === "Dîner"))
        const lunchSlots = slots.filter((s) => s.serviceId === lunch.id)
        assert.deepStrictEqual(lunchSlots.map((s) => s.localTime), [
          "12:00",
          "12:15",
          "12:30",
          "12:45",
          "13:00",
          "13:15",
          "13:30"
        ])
        assert(lunchSlots.every((s) => s.serviceName === "Déjeuner"))
        assert.strictEqual(slots.length, dinnerSlots.length + lunchSlots.length)

        const atNoon = slotsOf(
          (yield* request("POST", "/api/voice-ai/tools/check_availability", {
            restaurantId: id,
            date: FRIDAY,
            party_size: 4,
            time: "12:30"
          })).body
        )
        assert.deepStrictEqual(atNoon.map((s) => [s.localTime, s.serviceName, s.time]), [[
          "12:30",
          "Déjeuner",
          "2030-06-07T10:30:00.000Z"
        ]])
        const onlyDinner = slotsOf(
          (yield* request("POST", "/api/voice-ai/tools/check_availability", {
            restaurantId: id,
            date: FRIDAY,
            party_size: 4,
            service_id: dinner.id
          })).body
        )
        assert.deepStrictEqual(onlyDinner, dinnerSlots)

        // The same wall clock in another zone is another instant: the zone is the restaurant's setting.
        const moved = yield* request("PUT", `/api/restaurants/${id}/settings`, { timezone: "America/New_York" })
        assert.strictEqual(moved.status, 200, moved.text)
        const newYork = yield* request("POST", "/api/voice-ai/tools/check_availability", {
          restaurantId: id,
          date: FRIDAY,
          party_size: 4,
          time: "12:30"
        })
        assert.deepStrictEqual(slotsOf(newYork.body).map((s) => s.time), ["2030-06-07T16:30:00.000Z"])
        const badZone = yield* request("PUT", `/api/restaurants/${id}/settings`, { timezone: "Mars/Olympus" })
        assert.strictEqual(badZone.status, 400)
        // A zone's name in another case is kept as the zone database spells it; an alias keeps its own.
        for (const [given, kept] of [["america/new_york", "America/New_York"], ["utc", "UTC"], ["EST", "EST"]]) {
          const put = yield* request("PUT", `/api/restaurants/${id}/settings`, { timezone: given })
          assert.strictEqual(put.status, 200, put.text)
          assert.strictEqual(((yield* request("GET", `/api/restaurants/${id}/settings`)).body as Body).timezone, kept)
        }
      }))

    it.effect("confirm_reservation: creates an 'ai' reservation with its service, offer, allergies, notes and occasion", () =>
      Effect.gen(function*() {
        const id = restaurant()
        const dinner = yield* create("/api/dining-services", { ...samples.diningService(id), defaultDurationMin: 105 })
        const approval = yield* create("/api/dining-services", {
          ...samples.diningService(id),
          name: "Table d'hôte",
          dayOfWeek: [7],
          autoConfirm: false
        })
        const offer = yield* create("/api/offers", samples.offer(id))
        const response = yield* request("POST", "/api/voice-ai/tools/confirm_reservation", {
          restaurantId: id,
          ...guest,
          party_size: 4,
          date: FRIDAY,
          time: "19:30",
          offer_id: offer.id,
          allergies: ["gluten"],
          notes: "Près de la fenêtre",
          occasion: "anniversaire"
        })
        assert.strictEqual(response.status, 201, response.text)
        const r = response.body as Body
        assert.deepInclude(r, {
          restaurantId: id,
          source: "ai",
          status: "confirmed",
          serviceId: dinner.id,
          offerId: offer.id,
          partySize: 4,
          reservationTime: "2030-06-07T17:30:00.000Z",
          customerName: "Ana Ruiz",
          notes: "Près de la fenêtre",
          occasion: "anniversaire",
          durationMin: dinner.defaultDurationMin
        })
        assert.deepStrictEqual(r.allergies, ["gluten"])
        assert.deepStrictEqual((yield* request("GET", `/api/reservations/${String(r.id)}`)).body, r)

        // 2030-06-09 is a Sunday: only the service that approves its bookings runs.
        const sunday = yield* request("POST", "/api/voice-ai/tools/confirm_reservation", {
          restaurantId: id,
          ...guest,
          party_size: 2,
          date: "2030-06-09",
          time: "20:00"
        })
        assert.deepInclude(sunday.body as Body, { serviceId: approval.id, status: "pending" })
      }))

    it.effect("confirm_reservation refusals are 409 with their reason (full, after last seating, offer party size) and write nothing; bad arguments are 400", () =>
      Effect.gen(function*() {
        const id = restaurant()
        yield* create("/api/dining-services", { ...samples.diningService(id), maxCovers: 6 })
        const offer = yield* create("/api/offers", { ...samples.offer(id), minPartySize: 2, maxPartySize: 4 })
        const confirm = (args: Body) =>
          request("POST", "/api/voice-ai/tools/confirm_reservation", {
            restaurantId: id,
            ...guest,
            date: FRIDAY,
            ...args
          })
        assert.strictEqual((yield* confirm({ party_size: 4, time: "19:30" })).status, 201)

        const refusals = [
          { args: { party_size: 4, time: "20:00" }, reason: "full" },
          { args: { party_size: 2, time: "21:45" }, reason: "after_last_seating" },
          { args: { party_size: 1, time: "21:30", offer_id: offer.id }, reason: "offer_party_size" },
          { args: { party_size: 7, time: "21:30" }, reason: "party_too_large" }
        ]
        for (const { args, reason } of refusals) {
          const refused = yield* confirm(args)
          assert.strictEqual(refused.status, 409, `${reason}: ${refused.text}`)
          assert.deepInclude(refused.body as Body, { _tag: "BookingRefused", reason })
          assert.isString((refused.body as Body).message)
        }
        assert.strictEqual(yield* count(`/api/reservations?restaurantId=${id}`), 1)

        for (
          const args of [
            { party_size: 2, time: "20:00", offer_id: crypto.randomUUID() },
            { party_size: 2, time: "20:00", service_id: crypto.randomUUID() },
            { party_size: 2, time: "25:00" },
            { party_size: 0, time: "20:00" },
            // Not the 2nd of March, which Date.parse would make of it.
            { party_size: 2, time: "20:00", date: "2030-02-30" }
          ]
        ) {
          const invalid = yield* confirm(args)
          assert.strictEqual(invalid.status, 400, JSON.stringify(args))
          assert.strictEqual((invalid.body as Body)._tag, "ValidationError")
        }
        assert.strictEqual(yield* count(`/api/reservations?restaurantId=${id}`), 1)
        // At the last seating itself there is still room for two.
        assert.strictEqual((yield* confirm({ party_size: 2, time: "21:30" })).status, 201)
      }))

    it.effect("the calendar's first and last days are answered, the last one's slots booked", () =>
      Effect.gen(function*() {
        const id = restaurant()
        yield* create("/api/dining-services", { ...samples.diningService(id), dayOfWeek: [1, 2, 3, 4, 5, 6, 7] })
        const availability = (date: string) =>
          request("POST", "/api/voice-ai/tools/check_availability", { restaurantId: id, date, party_size: 2 })
        const last = yield* availability("9999-12-31")
        assert.strictEqual(last.status, 200, last.text)
        assert.deepInclude(slotsOf(last.body)[0], { time: "9999-12-31T18:00:00.000Z", localTime: "19:00" })
        // Long past: no slot, and no error from the day before it, which is in year 0.
        const first = yield* availability("0001-01-01")
        assert.strictEqual(first.status, 200, first.text)
        assert.deepStrictEqual(slotsOf(first.body), [])
        const booked = yield* request("POST", "/api/voice-ai/tools/confirm_reservation", {
          restaurantId: id,
          ...guest,
          date: "9999-12-31",
          time: "21:00",
          party_size: 2
        })
        assert.strictEqual(booked.status, 201, booked.text)
        assert.strictEqual((booked.body as Body).reservationTime, "9999-12-31T20:00:00.000Z")
      }))

    it.effect("concurrent confirmations cannot both take the last covers", () =>
      Effect.gen(function*() {
        const id = restaurant()
        yield* create("/api/dining-services", { ...samples.diningService(id), maxCovers: 6 })
        // Straight to the service, on a pool already holding enough connections: otherwise the first
        // call is through before the others have connected, and they never overlap.
        const transactor = yield* Transactor
        yield* Effect.forEach(Array.from({ length: 6 }), () => transactor.withTransaction(Effect.sleep("50 millis")), {
          concurrency: "unbounded"
        })
        const voiceAi = yield* VoiceAi
        const args = { ...guest, party_size: 4, date: FRIDAY, time: "20:00" }
        const outcomes = yield* Effect.forEach(Array.from({ length: 6 }), () =>
          Effect.either(voiceAi.confirmReservation(id as RestaurantId, args)), { concurrency: "unbounded" })
        assert.strictEqual(outcomes.filter(Either.isRight).length, 1)
        assert(
          outcomes.every((o) =>
            Either.isRight(o) || o.left._tag === "BookingRefused"
          ),
          JSON.stringify(outcomes)
        )
        assert.strictEqual(yield* count(`/api/reservations?restaurantId=${id}`), 1)
      }))
  })
})
