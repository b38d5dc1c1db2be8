import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { ZenchefSimulator } from "../../src/simulators/zenchef/index.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"

type Body = Record<string, any>

const ok = (answer: { readonly status: number; readonly text: string; readonly body: unknown }) => {
  assert.isBelow(answer.status, 300, answer.text)
  return answer.body as Body
}

describe("a restaurant's time zone, set once in its settings, is the one its platforms are spoken to in", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped(
      "a booking reaches Zenchef at the restaurant's own hour; a change of zone applies to the next push",
      () =>
        Effect.gen(function*() {
          const sim = yield* ZenchefSimulator.start({ rateLimit: null })
          const apiKey = `key-${randomBytes(6).toString("hex")}`
          const seeded = yield* sim.seedRestaurant({ apiKeys: [apiKey], timeZone: "America/New_York" })
          yield* sim.setMode({ apiChangesEmitWebhooks: false })
          const restaurantId = `resto-${randomBytes(4).toString("hex")}`
          ok(yield* request("PUT", `/api/restaurants/${restaurantId}/settings`, { timezone: "America/New_York" }))
          // The credentials name no time zone: the restaurant's applies.
          ok(
            yield* request("POST", "/api/platform-configs", {
              restaurantId,
              platform: "zenchef",
              credentials: { apiKey, restaurantUid: seeded.uid, baseUrl: sim.url },
              syncEntities: ["reservation"]
            })
          )
          const created = ok(
            yield* request("POST", "/api/reservations", {
              ...samples.reservation(restaurantId),
              reservationTime: "2030-01-10T00:30:00.000Z"
            })
          )
          yield* drainAll
          const [booking] = yield* sim.bookings(seeded.uid)
          // 00:30 UTC is 19:30 the evening before in New York, 01:30 in Paris.
          assert.strictEqual(booking?.bookingDateTime.slice(0, 16), "2030-01-09T19:30")

          // The restaurant was in fact in Paris: the next push speaks Paris time.
          ok(yield* request("PUT", `/api/restaurants/${restaurantId}/settings`, { timezone: "Europe/Paris" }))
          yield* Effect.sleep("1100 millis") // the configs' cache lives a second
          ok(yield* request("PATCH", `/api/reservations/${created.id}`, { partySize: 5 }))
          yield* drainAll
          const [moved] = yield* sim.bookings(seeded.uid)
          assert.strictEqual(moved?.numberOfPeople, 5)
          assert.strictEqual(moved?.bookingDateTime.slice(0, 16), "2030-01-10T01:30")
        }),
      30_000
    )
  })
})
