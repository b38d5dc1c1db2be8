import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { UberEatsSimulator } from "../../../../src/simulators/ubereats/index.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { uberSeed } from "./harness.js"

/** The simulator's own contract, over raw HTTP: what Uber's references refuse, it refuses. */
const call = (url: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: (await response.text()) || "null" }
  })

const tokenFor = (
  sim: { readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string },
  scope: string
) =>
  Effect.map(
    call(sim.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
        scope
      }).toString()
    }),
    (r) => ({
      authorization: `Bearer ${(JSON.parse(r.body) as { access_token: string }).access_token}`,
      "content-type": "application/json"
    })
  )

describe("ubereats simulator", () => {
  it.scopedLive("a v2 order needs eats.store.orders.read (eats.order is not enough); merchant delivery its own scope", () =>
    Effect.gen(function*() {
      const sim = yield* UberEatsSimulator.start({ rateLimit: null })
      const order = yield* sim.placeOrder({ ...uberSeed(sampleOrder()), type: "DELIVERY_BY_RESTAURANT" })
      const orderOnly = yield* tokenFor(sim, "eats.order eats.store")
      assert.strictEqual((yield* call(`${sim.url}/v2/eats/order/${order.id}`, { headers: orderOnly })).status, 403)
      assert.strictEqual(
        (yield* call(`${sim.url}/v1/eats/stores/${order.store.id}/created-orders`, { headers: orderOnly })).status,
        403
      )
      const reader = yield* tokenFor(sim, "eats.order eats.store.orders.read")
      assert.strictEqual((yield* call(`${sim.url}/v2/eats/order/${order.id}`, { headers: reader })).status, 200)
      assert.strictEqual(
        (yield* call(`${sim.url}/v1/eats/orders/${order.id}/accept_pos_order`, {
          method: "POST",
          headers: reader,
          body: JSON.stringify({ reason: "ok" })
        })).status,
        204
      )
      const delivered = { method: "POST", body: JSON.stringify({ status: "delivered" }) }
      assert.strictEqual(
        (yield* call(`${sim.url}/v1/eats/orders/${order.id}/restaurantdelivery/status`, {
          ...delivered,
          headers: reader
        })).status,
        403
      )
      const courier = yield* tokenFor(sim, "eats.store.orders.restaurantdelivery.status")
      assert.strictEqual(
        (yield* call(`${sim.url}/v1/eats/orders/${order.id}/restaurantdelivery/status`, {
          ...delivered,
          headers: courier
        })).status,
        204
      )
    }))

  it.scopedLive("a wrong method is 405, an unknown field on an action body 400, a menu item without tax_info 400", () =>
    Effect.gen(function*() {
      const sim = yield* UberEatsSimulator.start({ rateLimit: null })
      const order = yield* sim.placeOrder(uberSeed(sampleOrder()))
      const headers = yield* tokenFor(sim, "eats.order eats.store eats.store.orders.read")
      assert.strictEqual(
        (yield* call(`${sim.url}/v2/eats/order/${order.id}`, { method: "DELETE", headers })).status,
        405
      )
      const extra = yield* call(`${sim.url}/v1/eats/orders/${order.id}/accept_pos_order`, {
        method: "POST",
        headers,
        body: JSON.stringify({ reason: "ok", ready_at: 5 })
      })
      assert.strictEqual(extra.status, 400)
      assert.strictEqual((yield* sim.order(order.id)).current_state, "CREATED")
      const item = { id: "coffee", title: { translations: { en_us: "Coffee" } }, price_info: { price: 300 } }
      const menu = (items: ReadonlyArray<unknown>) => ({
        menus: [{ id: "m", title: { translations: { en_us: "Menu" } }, service_availability: [], category_ids: ["c"] }],
        categories: [{
          id: "c",
          title: { translations: { en_us: "Drinks" } },
          entities: [{ id: "coffee", type: "ITEM" }]
        }],
        items,
        modifier_groups: []
      })
      const put = (items: ReadonlyArray<unknown>) =>
        call(`${sim.url}/v2/eats/stores/${order.store.id}/menus`, {
          method: "PUT",
          headers,
          body: JSON.stringify(menu(items))
        })
      assert.strictEqual((yield* put([item])).status, 400)
      assert.strictEqual((yield* put([{ ...item, tax_info: { tax_rate: 8 } }])).status, 204)
    }))

  it.scopedLive("the eater's delivery location is the v2 shape: one street address, a unit, coordinates", () =>
    Effect.gen(function*() {
      const sim = yield* UberEatsSimulator.start({ rateLimit: null })
      const order = yield* sim.placeOrder({
        ...uberSeed(sampleOrder()),
        address: { street_address: "12 rue des Martyrs, 75009 Paris, France", unit_number: "3e" }
      })
      const headers = yield* tokenFor(sim, "eats.store.orders.read")
      const served = JSON.parse((yield* call(`${sim.url}/v2/eats/order/${order.id}`, { headers })).body) as {
        eater: { delivery: { location: Record<string, unknown> } }
      }
      assert.deepInclude(served.eater.delivery.location, {
        street_address: "12 rue des Martyrs, 75009 Paris, France",
        unit_number: "3e",
        type: "GOOGLE_PLACE"
      })
      assert.isNumber(served.eater.delivery.location["latitude"])
      assert.notProperty(served.eater.delivery.location, "address_1")
    }))
})
