import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleMenu } from "../conformance/menu-samples.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { startWebhookReceiver } from "../conformance/webhook-receiver.js"
import { deliverooSeed, MENU_ID, startDeliveroo, storedItems } from "./harness.js"

/**
 * Issue 23: the connector against a simulator that follows Deliveroo's public documentation
 * (deliveroo.md, "Checked against public sources"), not the connector's own reading.
 */
describe("deliveroo connector against the documented API", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("a status update reads the order through v2 (the v1 path takes PATCH only), then accepts it", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* orders.updateStatus(order.id, "accepted")
        assert.strictEqual((yield* sim.order(order.id)).status, "accepted")
        const calls = (yield* sim.counters).requestsByRoute
        assert.isAtLeast(calls["GET /order/v2/orders/{orderId}"] ?? 0, 1)
        assert.strictEqual((yield* orders.get(order.id)).order.status, "accepted")
      }))

    it.scoped("sold-out items go to the documented item_unavailabilities once the upload is live, and one item changes through v2", () =>
      Effect.gen(function*() {
        const receiver = yield* startWebhookReceiver
        const { subject, sim, site } = yield* startDeliveroo({
          simulator: { menuProcessingMs: 300, menuWebhookUrl: receiver.url }
        })
        const menu = yield* requireCapability(subject.connector, "menu")
        const sample = sampleMenu(20)
        yield* menu.push(sample)
        assert.strictEqual(yield* sim.menuState(site.brandId, MENU_ID), "live")
        const unavailable = yield* sim.unavailableItems(site.siteId)
        const stored = storedItems(yield* sim.menu(site.brandId, MENU_ID), unavailable)
        assert.deepStrictEqual(
          stored.filter((i) => !i.available).map((i) => i.localId),
          sample.items.filter((i) => !i.isAvailable).map((i) => i.localId)
        )
        const calls = (yield* sim.counters).requestsByRoute
        assert.strictEqual(calls["PUT /menu/v1/brands/{brandId}/menus/{menuId}/item_unavailabilities/{siteId}"], 1)
        // The Menu Upload Result webhook is signed like order events and acknowledged without an event.
        const result = yield* receiver.next
        assert.strictEqual(yield* subject.webhooks.restaurantOf(result), site.siteId)
        yield* subject.webhooks.authenticate(result, subject.webhookSecret, new Date(), subject.credentials)
        assert.deepStrictEqual(yield* subject.webhooks.parse(result, new Date(), subject.credentials), [])
        const first = sample.items[0]!
        const updateItem = menu.updateItem
        if (updateItem === undefined) return assert.fail("deliveroo updates item availability")
        yield* updateItem({ localId: first.localId, isAvailable: false })
        assert.include(yield* sim.unavailableItems(site.siteId), first.localId)
        assert.strictEqual(
          (yield* sim.counters)
            .requestsByRoute["POST /menu/v2/brands/{brandId}/sites/{siteId}/menu/item_unavailabilities"],
          1
        )
      }))
  })
})
