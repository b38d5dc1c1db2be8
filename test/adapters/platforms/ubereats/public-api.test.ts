import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleMenu } from "../conformance/menu-samples.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { startUberEats, uberSeed } from "./harness.js"

/**
 * Issue 23: the connector against a simulator that follows Uber's public documentation
 * (ubereats.md, "Checked against public sources"), not the connector's own reading.
 */
describe("ubereats connector against the documented API", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("with the default scopes a status update reads the v2 order (eats.store.orders.read) and accepts it", () =>
      Effect.gen(function*() {
        const { subject, sim, config } = yield* startUberEats()
        assert.notProperty(config.credentials, "scope")
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(uberSeed(sampleOrder()))
        yield* orders.updateStatus(order.id, "accepted")
        assert.strictEqual((yield* sim.order(order.id)).current_state, "ACCEPTED")
      }))

    it.scoped("merchant-delivery status goes out with eats.store.orders.restaurantdelivery.status", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startUberEats()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder({ ...uberSeed(sampleOrder()), type: "DELIVERY_BY_RESTAURANT" })
        yield* orders.updateStatus(order.id, "accepted")
        yield* orders.updateStatus(order.id, "delivered")
        assert.strictEqual((yield* sim.order(order.id)).current_state, "FINISHED")
      }))

    it.scoped("the delivery address comes from the v2 location: street address and unit", () =>
      Effect.gen(function*() {
        const { sim, registry, config } = yield* startUberEats()
        // The read scope named outright, so that only the address is on trial here.
        const reader = yield* registry.connectorFor({
          ...config,
          restaurantId: "resto-uber-reader" as typeof config.restaurantId,
          credentials: { ...config.credentials, scope: "eats.store eats.order eats.store.orders.read" }
        })
        const orders = yield* requireCapability(reader, "orders")
        const order = yield* sim.placeOrder({
          ...uberSeed(sampleOrder()),
          address: {
            street_address: "12 rue des Martyrs, 75009 Paris, France",
            unit_number: "3e étage",
            notes: "Digicode 4521"
          }
        })
        const { order: dto } = yield* orders.get(order.id)
        assert.deepStrictEqual(dto.deliveryAddress, {
          street: "12 rue des Martyrs, 75009 Paris, France, 3e étage",
          city: "Paris",
          postalCode: "75009",
          instructions: "Digicode 4521"
        })
      }))

    it.scoped("every uploaded item carries tax_info, as in Uber's example menus", () =>
      Effect.gen(function*() {
        const { subject, sim, storeId } = yield* startUberEats()
        const menu = yield* requireCapability(subject.connector, "menu")
        yield* menu.push(sampleMenu(5))
        const stored = yield* sim.menu(storeId)
        assert.isAbove(stored?.items.length ?? 0, 0)
        for (const item of stored?.items ?? []) assert.isNumber(item.tax_info.tax_rate, item.id)
      }))
  })
})
