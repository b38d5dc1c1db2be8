import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { platforms } from "../../src/domain/ids.js"
import { simulatorStarters } from "../../src/simulators/index.js"

const control = (url: string, method: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const answer = (await response.json()) as {
      readonly message?: string
      readonly msg?: string
      readonly error?: { readonly message: string }
      readonly errors?: Record<string, ReadonlyArray<string>>
    }
    // Each in its platform's envelope: Uber's `{code, message}`, Deliveroo's `{error: {code, message}}`,
    // SevenRooms' `{status, msg}`, TheFork's `{statusCode, error, data}` with the control's `message`,
    // Zenchef's validation problem `{errors: {Field: [why]}}`.
    const problems = answer.errors && Object.entries(answer.errors).map(([field, why]) => `${field} ${why.join("; ")}`)
    return {
      status: response.status,
      message: answer.message ?? answer.msg ?? answer.error?.message ?? problems?.join(", ")
    }
  })
const placeOrder = (controlUrl: string, body: unknown) => control(`${controlUrl}/orders`, "POST", body)

const started = (platform: "sevenrooms" | "thefork") => simulatorStarters[platform]({ port: 0, rateLimited: false })
const sevenRoomsVenue = "ahNzfnNldmVucm9vbXMtc2VjdXJlchwLEg9WZW51ZRiAgICA"
const theForkRestaurant = "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48"

describe("a control body a simulator refuses", () => {
  for (const [platform, item] of [["ubereats", { title: "Burger" }], ["deliveroo", { name: "Burger" }]] as const) {
    it.scopedLive(`${platform}: names each field at fault on one line, not the whole expected type`, () =>
      Effect.gen(function*() {
        const running = yield* simulatorStarters[platform]({ port: 0, rateLimited: false })
        const refused = yield* placeOrder(running.controlUrl, { items: [{ ...item, quantity: 2 }] })
        assert.strictEqual(refused.status, 400)
        assert.strictEqual(refused.message, "items.0.unit_price is missing")
      }))
  }

  it.scopedLive("sevenrooms: names the fields at fault, and the event types a trigger takes", () =>
    Effect.gen(function*() {
      const { controlUrl } = yield* started("sevenrooms")
      const venue = `${controlUrl}/venues/${sevenRoomsVenue}`
      assert.deepStrictEqual(yield* control(`${venue}/webhook`, "PUT", { url: "http://127.0.0.1:3000/hook" }), {
        status: 400,
        message: "Invalid control body: secret is missing"
      })
      assert.deepStrictEqual(yield* control(`${controlUrl}/mode`, "PUT", { tokenLifetimeSeconds: -1 }), {
        status: 400,
        message: "Invalid control body: tokenLifetimeSeconds Expected a positive number, actual -1"
      })
      assert.deepStrictEqual(yield* control(`${venue}/reservations/any/webhooks/update`, "POST"), {
        status: 400,
        message: "Unknown event type: one of reservation.created, reservation.updated, reservation.cancelled"
      })
    }))

  it.scopedLive("thefork: adds the fields at fault to its envelope, and the event types a trigger takes", () =>
    Effect.gen(function*() {
      const { controlUrl } = yield* started("thefork")
      const restaurant = `${controlUrl}/restaurants/${theForkRestaurant}`
      assert.deepStrictEqual(yield* control(`${restaurant}/webhook`, "PUT", { url: "http://127.0.0.1:3000/hook" }), {
        status: 400,
        message: "token is missing"
      })
      assert.deepStrictEqual(yield* control(`${restaurant}/reservations/any/webhooks/created`, "POST"), {
        status: 400,
        message: "unknown event type: one of reservationCreated, reservationUpdated"
      })
    }))

  for (const platform of platforms) {
    it.scopedLive(`${platform}: a field the control route does not take is refused, not ignored`, () =>
      Effect.gen(function*() {
        const { controlUrl } = yield* simulatorStarters[platform]({ port: 0, rateLimited: false })
        const refused = yield* control(`${controlUrl}/webhooks`, "PUT", { reorder: true, reordr: true })
        assert.strictEqual(refused.status, 400)
        assert.match(refused.message ?? "", /reordr is unexpected/i)
      }))
  }

  it.scopedLive("sevenrooms: a staff change with a wire name instead of the control's is refused", () =>
    Effect.gen(function*() {
      const { controlUrl } = yield* started("sevenrooms")
      const refused = yield* control(`${controlUrl}/venues/${sevenRoomsVenue}/reservations/any`, "PATCH", {
        max_guests: 4
      })
      assert.deepStrictEqual(refused, {
        status: 400,
        message:
          "Invalid control body: max_guests is unexpected, expected: \"status\" | \"partySize\" | \"clientRequests\""
      })
    }))
})
