import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DeliverooSimulator } from "../../../../src/simulators/deliveroo/index.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { deliverooSeed } from "./harness.js"

/** The simulator's own contract, over raw HTTP (the connector always sends form credentials and valid bodies). */
const call = (url: string, init: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.text()) || "null" }
  })

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString()
})

// Live clock: the simulator is a real server whose tokens expire in real time.
describe("deliveroo simulator", () => {
  it.scopedLive("the token endpoint takes Basic credentials as well as form fields, and refuses a wrong secret", () =>
    Effect.gen(function* () {
      const sim = yield* DeliverooSimulator.start()
      const basic = `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString("base64")}`
      const viaBasic = yield* call(sim.tokenUrl, { ...form({ grant_type: "client_credentials" }), headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic } })
      assert.strictEqual(viaBasic.status, 200)
      assert.deepInclude(JSON.parse(viaBasic.body), { token_type: "Bearer", expires_in: 300 })
      const viaForm = yield* call(sim.tokenUrl, form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret }))
      assert.strictEqual(viaForm.status, 200)
      const wrong = yield* call(sim.tokenUrl, form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: "nope" }))
      assert.strictEqual(wrong.status, 401)
      assert.strictEqual((yield* sim.counters).tokenRequests, 3)
    }))

  it.scopedLive("PATCH: reject_reason is required; past 5 per minute per order a 429 comes without Retry-After", () =>
    Effect.gen(function* () {
      const sim = yield* DeliverooSimulator.start()
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse((yield* call(sim.tokenUrl, form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret }))).body) as { access_token: string }
      const patch = (body: unknown) =>
        call(`${sim.url}/order/v1/orders/${encodeURIComponent(order.id)}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
          body: JSON.stringify(body)
        })
      const answers = yield* Effect.forEach(Array.from({ length: 6 }), () => patch({ status: "rejected" }))
      assert.deepStrictEqual(answers.map((a) => a.status), [400, 400, 400, 400, 400, 429])
      assert.isNull(answers[5]?.retryAfter ?? null)
      assert.strictEqual((yield* sim.order(order.id)).status, "placed")
    }))

  it.scopedLive("an expired token is refused with 401 and counted", () =>
    Effect.gen(function* () {
      const sim = yield* DeliverooSimulator.start({ tokenLifetimeSeconds: 1 })
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse((yield* call(sim.tokenUrl, form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret }))).body) as { access_token: string }
      const get = call(`${sim.url}/order/v1/orders/${encodeURIComponent(order.id)}`, { headers: { authorization: `Bearer ${token.access_token}` } })
      assert.strictEqual((yield* get).status, 200)
      yield* Effect.sleep("1100 millis")
      assert.strictEqual((yield* get).status, 401)
      assert.strictEqual((yield* sim.counters).expiredTokens, 1)
    }))
})
