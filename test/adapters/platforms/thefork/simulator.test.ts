import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TheForkSimulator } from "../../../../src/simulators/thefork/index.js"
import { CLIENT_ID, CLIENT_SECRET, RESTAURANT_UUID } from "./harness.js"

const send = (
  url: string,
  method: string,
  init: { readonly token?: string; readonly form?: Record<string, string>; readonly json?: unknown } = {}
) =>
  Effect.promise(async () => {
    const headers: Record<string, string> = {}
    if (init.token !== undefined) headers["authorization"] = `Bearer ${init.token}`
    if (init.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded"
    if (init.json !== undefined) headers["content-type"] = "application/json"
    const body = init.form !== undefined
      ? new URLSearchParams(init.form).toString()
      : init.json !== undefined
      ? JSON.stringify(init.json)
      : undefined
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) })
    const text = await response.text()
    return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as Record<string, unknown> }
  })

// The request body of postV1RestaurantsIdReservations in TheFork's specification (test/fixtures/thefork).
const created = {
  mealDate: "2030-06-07T17:30:00.000Z",
  partySize: 2,
  customer: {
    email: "john@example.com",
    firstName: "Doe",
    lastName: "John",
    phone: "+33612345678",
    locale: "fr_FR",
    civility: "mr"
  }
}

describe("TheFork simulator: what the specification refuses", () => {
  it.scopedLive("closed bodies refuse unknown fields (400); a wrong method is a 405; errors use the documented envelope", () =>
    Effect.gen(function*() {
      const sim = yield* TheForkSimulator.start({
        restaurants: [{ uuid: RESTAURANT_UUID, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }] }]
      })
      const auth = yield* send(sim.authUrl, "POST", {
        form: {
          grant_type: "client_credentials",
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          audience: "https://api.thefork.io"
        }
      })
      const token = String(auth.body["access_token"])
      const create = `${sim.url}/v1/restaurants/${RESTAURANT_UUID}/reservations`

      const made = yield* send(create, "POST", { token, json: created })
      assert.strictEqual(made.status, 200)
      const id = String(made.body["reservationUuid"])
      const refused = yield* send(create, "POST", { token, json: { ...created, externalReference: "resa-1" } })
      assert.deepStrictEqual([refused.status, refused.body["statusCode"], refused.body["error"]], [
        400,
        400,
        "Bad Request"
      ])
      const nested = yield* send(create, "POST", {
        token,
        json: { ...created, customer: { ...created.customer, birthDate: "1990-01-01" } }
      })
      assert.strictEqual(nested.status, 400)
      const patch = yield* send(`${sim.url}/v1/reservations/${id}`, "PATCH", {
        token,
        json: { mealDate: created.mealDate, partySize: 3, customerNote: "x" }
      })
      assert.strictEqual(patch.status, 400, "PATCH takes mealDate and partySize only")
      assert.strictEqual((yield* send(`${sim.url}/v1/reservations/${id}`, "PUT", { token, json: {} })).status, 405)
      assert.strictEqual((yield* send(`${sim.url}/v1/reservations/${id}/cancel`, "POST", { token })).status, 405)
      const missing = yield* send(`${sim.url}/v1/reservations/00000000-0000-4000-8000-000000000000`, "GET", { token })
      assert.deepStrictEqual(missing.body, {
        statusCode: 404,
        error: "Not Found",
        data: { code: "RESERVATION_NOT_FOUND" }
      })
    }))
})
