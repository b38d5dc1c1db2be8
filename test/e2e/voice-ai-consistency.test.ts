import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, unknown>
interface Slot {
  readonly time: string
  readonly localTime: string
}

const create = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (r) =>
      r.status === 201
        ? Effect.succeed(r.body as Body & { id: string })
        : Effect.dieMessage(`${path}: ${r.status} ${r.text}`)
  )
const check = (body: Body, query = "") =>
  Effect.map(
    request("POST", `/api/voice-ai/tools/check_availability${query}`, body),
    (r) => (r.body as { slots: Array<Slot> }).slots
  )
const confirm = (body: Body, query = "") => request("POST", `/api/voice-ai/tools/confirm_reservation${query}`, body)

// 2030-06-07 is a Friday.
const day = { date: "2030-06-07" }
const guest = { customer_name: "Léa Martin", customer_phone: "+33698765432", ...day }

// Issue 20, item 5: the voice AI's two tools agreed on nothing at 19:10 (check offered no slot,
// confirm answered 201), a last seating after the service's end was stored and then offered slots
// confirmation refused, and the time zone was whatever each request said.
describe("voice AI: confirm only what check offers, services consistent on write, the restaurant's own time zone", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("19:10 on a quarter-hour service: check offers nothing, confirm refuses with the nearest slots and Zenchef gets nothing; 19:15 is booked and pushed", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const dinner = yield* create("/api/dining-services", samples.diningService(w.restaurantId))
        assert.deepStrictEqual(
          yield* check({ restaurantId: w.restaurantId, ...day, party_size: 2, time: "19:10" }),
          []
        )
        const refused = yield* confirm({
          restaurantId: w.restaurantId,
          ...guest,
          party_size: 2,
          time: "19:10",
          service_id: dinner.id
        })
        assert.strictEqual(refused.status, 409, refused.text)
        assert.deepInclude(refused.body as Body, { reason: "not_a_slot" })
        assert.include((refused.body as Body).message as string, "19:00 and 19:15")

        const offered = yield* check({ restaurantId: w.restaurantId, ...day, party_size: 2, time: "19:15" })
        assert.strictEqual(offered.length, 1)
        const booked = yield* confirm({ restaurantId: w.restaurantId, ...guest, party_size: 2, time: "19:15" })
        assert.strictEqual(booked.status, 201, booked.text)
        assert.strictEqual((booked.body as Body).reservationTime, offered[0]!.time)
        yield* drainAll
        const bookings = yield* w.sim.bookings(w.restaurantUid)
        assert.deepStrictEqual(bookings.map((b) => b.bookingDateTime.slice(11, 16)), ["19:15"])
      }))

    it.effect("a last seating outside its service is refused on create and on update, naming the field", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
        const lunch = { ...samples.diningService(restaurantId), name: "Déjeuner", startTime: "12:00", endTime: "14:00" }
        const late = yield* request("POST", "/api/dining-services", { ...lunch, lastSeatingTime: "14:30" })
        assert.strictEqual(late.status, 400, late.text)
        assert.deepStrictEqual(((late.body as Body).issues as Array<Body>).map((i) => i.path), ["lastSeatingTime"])
        const early = yield* request("POST", "/api/dining-services", { ...lunch, lastSeatingTime: "11:30" })
        assert.strictEqual(early.status, 400, early.text)
        const stored = yield* create("/api/dining-services", { ...lunch, lastSeatingTime: "13:30" })
        const patched = yield* request("PATCH", `/api/dining-services/${stored.id}`, { endTime: "13:00" })
        assert.strictEqual(patched.status, 400, patched.text)
        // A late service past midnight keeps its after-midnight last seating.
        yield* create("/api/dining-services", {
          ...lunch,
          name: "Souper",
          startTime: "22:00",
          endTime: "02:00",
          lastSeatingTime: "01:00"
        })
        const services = (yield* request("GET", `/api/dining-services?restaurantId=${restaurantId}`)).body as {
          total: number
        }
        assert.strictEqual(services.total, 2)
      }))

    it.effect("the restaurant's stored time zone decides the instant; a ?timezone= in the request cannot move the booking", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
        yield* create("/api/dining-services", samples.diningService(restaurantId))
        assert.deepStrictEqual((yield* request("GET", `/api/restaurants/${restaurantId}/settings`)).body, {
          restaurantId,
          timezone: "Europe/Paris",
          updatedAt: null
        })
        const put = yield* request("PUT", `/api/restaurants/${restaurantId}/settings`, { timezone: "America/New_York" })
        assert.strictEqual(put.status, 200, put.text)
        assert.strictEqual(
          ((yield* request("GET", `/api/restaurants/${restaurantId}/settings`)).body as Body).timezone,
          "America/New_York"
        )

        const slots = yield* check({ restaurantId, ...day, party_size: 2, time: "19:30" }, "?timezone=Europe/Paris")
        assert.deepStrictEqual(slots.map((s) => s.time), ["2030-06-07T23:30:00.000Z"])
        const booked = yield* confirm(
          { restaurantId, ...guest, party_size: 2, time: "19:30" },
          "?timezone=Europe/Paris"
        )
        assert.strictEqual(booked.status, 201, booked.text)
        assert.strictEqual((booked.body as Body).reservationTime, "2030-06-07T23:30:00.000Z")
        const zone = yield* request("PUT", `/api/restaurants/${restaurantId}/settings`, { timezone: "Mars/Olympus" })
        assert.strictEqual(zone.status, 400)
      }))
  })
})
