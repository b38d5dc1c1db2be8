import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { simulatorStarters } from "../../src/simulators/index.js"

const placeOrder = (controlUrl: string, body: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${controlUrl}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    })
    const answer = (await response.json()) as {
      readonly message?: string
      readonly error?: { readonly message: string }
    }
    // Each in its platform's envelope: Uber's `{code, message}`, Deliveroo's `{error: {code, message}}`.
    return { status: response.status, message: answer.message ?? answer.error?.message }
  })

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
})
