import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleMenu } from "../conformance/menu-samples.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { deliverooSeed, startDeliveroo } from "./harness.js"

const PATCH_ROUTE = "PATCH /order/v1/orders/{orderId}"

describe("deliveroo connector: order rules, sync status, deadlines, menus", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("accepting twice sends one PATCH: the status is set once", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* orders.updateStatus(order.id, "accepted")
        yield* orders.updateStatus(order.id, "accepted")
        assert.strictEqual((yield* sim.order(order.id)).status, "accepted")
        assert.strictEqual((yield* sim.counters).requestsByRoute[PATCH_ROUTE], 1)
      }))

    it.scoped("a scheduled order being prepared is accepted, then confirmed", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder({ ...deliverooSeed(sampleOrder()), asap: false })
        yield* orders.updateStatus(order.id, "preparing")
        const stored = yield* sim.order(order.id)
        assert.deepStrictEqual(stored.status_log.map((e) => e.status), ["pending", "placed", "accepted", "confirmed"])
        assert.strictEqual((yield* orders.get(order.id)).order.status, "preparing")
      }))

    it.scoped("once accepted, an order cannot be cancelled through the API: a conflict, and nothing sent", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* orders.updateStatus(order.id, "accepted")
        const refused = yield* Effect.flip(orders.updateStatus(order.id, "cancelled"))
        assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "conflict" })
        assert.strictEqual((yield* sim.counters).requestsByRoute[PATCH_ROUTE], 1)
      }))

    it.scoped("acknowledging sets the sync status; a failure reason outside Deliveroo's list travels as other", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const acknowledge = orders.acknowledge
        if (acknowledge === undefined) return assert.fail("deliveroo acknowledges orders")
        const [a, b, c] = yield* Effect.forEach(
          [1, 2, 3],
          () => Effect.map(sim.placeOrder(deliverooSeed(sampleOrder())), (o) => o.id)
        )
        yield* acknowledge(a ?? "")
        yield* acknowledge(b ?? "", "items_out_of_stock")
        yield* acknowledge(c ?? "", "printer jammed")
        assert.deepInclude(yield* sim.syncStatus(a ?? ""), { status: "succeeded" })
        assert.deepInclude(yield* sim.syncStatus(b ?? ""), { status: "failed", reason: "items_out_of_stock" })
        assert.deepInclude(yield* sim.syncStatus(c ?? ""), {
          status: "failed",
          reason: "other",
          notes: "printer jammed"
        })
      }))

    it.scoped("a second acknowledgement within 10 s meets the per-order limit; after the 3-minute window it is a conflict", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const orders = yield* requireCapability(subject.connector, "orders")
        const acknowledge = orders.acknowledge
        if (acknowledge === undefined) return assert.fail("deliveroo acknowledges orders")
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* acknowledge(order.id)
        assert.deepInclude(yield* Effect.flip(acknowledge(order.id)), { reason: "rate_limited", status: 429 })
        yield* sim.configure({ syncWindowMs: 0 })
        const late = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* Effect.sleep("5 millis")
        assert.deepInclude(yield* Effect.flip(acknowledge(late.id)), { reason: "conflict", status: 409 })
      }))

    it.scoped("unanswered past the timeout, an ASAP order is auto-rejected with an order.status_update", () =>
      Effect.gen(function*() {
        const { subject, sim, receiver } = yield* startDeliveroo({ simulator: { autoRejectMs: 300 } })
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        yield* receiver.next
        const update = yield* receiver.next
        yield* subject.webhooks.authenticate(update, subject.webhookSecret, new Date(), subject.credentials)
        const [event] = yield* subject.webhooks.parse(update, new Date(), subject.credentials)
        assert.deepInclude(event, { eventType: "order.status_changed", externalId: order.id })
        assert.strictEqual(event?.order?.status, "denied")
        assert.deepInclude(yield* Effect.flip(orders.updateStatus(order.id, "accepted")), { reason: "conflict" })
      }))

    it.scoped("legacy POS events (new_order) are signed with space-newline-space and still verify", () =>
      Effect.gen(function*() {
        const { subject, sim, receiver } = yield* startDeliveroo({ simulator: { legacyWebhooks: true } })
        const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
        const delivery = yield* receiver.next
        assert.strictEqual(delivery.headers["x-deliveroo-payload-type"], "event/new_order")
        yield* subject.webhooks.authenticate(delivery, subject.webhookSecret, new Date(), subject.credentials)
        const [event] = yield* subject.webhooks.parse(delivery, new Date(), subject.credentials)
        assert.deepInclude(event, { eventType: "order.created", externalId: order.id })
      }))

    it.scoped("menus: a price alone cannot change without an upload; a name too short is refused before any call", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startDeliveroo()
        const menu = yield* requireCapability(subject.connector, "menu")
        const updateItem = menu.updateItem
        if (updateItem === undefined) return assert.fail("deliveroo updates item availability")
        assert.deepInclude(yield* Effect.flip(updateItem({ localId: "x", price: 3 })), { reason: "unsupported" })
        const sample = sampleMenu(3)
        const refused = yield* Effect.flip(
          menu.push({ ...sample, items: sample.items.map((i, n) => (n === 0 ? { ...i, name: "X" } : i)) })
        )
        assert.deepInclude(refused, { reason: "validation" })
        assert.isUndefined((yield* sim.counters).requestsByRoute["PUT /menu/v1/brands/{brandId}/menus/{menuId}"])
      }))
  })
})
