import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { startUberEats, ubereatsConfig, uberSeed } from "./harness.js"

const CANCEL_ROUTE = "POST /v1/eats/orders/{orderId}/cancel"

describe("ubereats connector and simulator: order rules, deadlines, stores", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
    it.scoped("cancelling an accepted order reaches Uber once; cancelling again calls nothing", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startUberEats()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(uberSeed(sampleOrder()))
        yield* orders.updateStatus(order.id, "accepted")
        yield* orders.updateStatus(order.id, "cancelled")
        assert.strictEqual((yield* sim.order(order.id)).current_state, "CANCELED")
        yield* orders.updateStatus(order.id, "cancelled")
        assert.strictEqual((yield* sim.counters).requestsByRoute[CANCEL_ROUTE], 1)
      }))

    it.scoped("unanswered past the accept deadline, the order auto-cancels with orders.cancel; accepting it is then a conflict", () =>
      Effect.gen(function*() {
        const { subject, sim, receiver } = yield* startUberEats({ simulator: { acceptDeadlineMs: 300 } })
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder(uberSeed(sampleOrder()))
        yield* receiver.next
        const [cancelled] = yield* Effect.flatMap(
          receiver.next,
          (d) => subject.webhooks.parse(d, new Date(), subject.credentials)
        )
        assert.deepInclude(cancelled, { eventType: "order.cancelled", externalId: order.id })
        const refused = yield* Effect.flip(orders.updateStatus(order.id, "accepted"))
        assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "conflict" })
      }))

    it.scoped("a merchant-delivered order: delivered reaches Uber and finishes it", () =>
      Effect.gen(function*() {
        const { subject, sim } = yield* startUberEats()
        const orders = yield* requireCapability(subject.connector, "orders")
        const order = yield* sim.placeOrder({ ...uberSeed(sampleOrder()), type: "DELIVERY_BY_RESTAURANT" })
        yield* orders.updateStatus(order.id, "accepted")
        yield* orders.updateStatus(order.id, "delivered")
        assert.strictEqual((yield* sim.order(order.id)).current_state, "FINISHED")
        assert.strictEqual((yield* orders.get(order.id)).order.status, "delivered")
      }))

    it.scoped("an order of another store of the same app is not this restaurant's", () =>
      Effect.gen(function*() {
        const other = randomUUID()
        const { subject, sim, storeId } = yield* startUberEats({
          simulator: { stores: [{ id: randomUUID() }, { id: other }] }
        })
        assert.deepStrictEqual(sim.storeIds, [storeId, other])
        const order = yield* sim.placeOrder({ ...uberSeed(sampleOrder()), storeId: other })
        const orders = yield* requireCapability(subject.connector, "orders")
        assert.deepInclude(yield* Effect.flip(orders.get(order.id)), { reason: "not_found" })
        assert.deepInclude(yield* Effect.flip(orders.updateStatus(order.id, "accepted")), { reason: "not_found" })
        assert.strictEqual((yield* sim.order(order.id)).current_state, "CREATED")
      }))

    it.scoped("store status: paused until a time, read back, then open again", () =>
      Effect.gen(function*() {
        const { subject, sim, storeId } = yield* startUberEats()
        const store = yield* requireCapability(subject.connector, "store")
        assert.deepStrictEqual(yield* store.status(), { status: "open" })
        const until = new Date(Date.now() + 3_600_000).toISOString()
        yield* store.setStatus("paused", until)
        const paused = yield* sim.storeStatus(storeId)
        assert.strictEqual(paused.status, "PAUSED")
        assert.strictEqual(paused.pausedUntil, Date.parse(until))
        assert.deepStrictEqual(yield* store.status(), { status: "paused", reason: "PAUSED_BY_RESTAURANT" })
        yield* store.setStatus("open")
        assert.strictEqual((yield* sim.storeStatus(storeId)).status, "ONLINE")
      }))

    it.scoped("a sparse item update before any upload is Uber's 404", () =>
      Effect.gen(function*() {
        const { subject } = yield* startUberEats()
        const menu = yield* requireCapability(subject.connector, "menu")
        const updateItem = menu.updateItem
        if (updateItem === undefined) return assert.fail("ubereats updates single items")
        assert.deepInclude(yield* Effect.flip(updateItem({ localId: randomUUID(), isAvailable: false })), {
          reason: "not_found"
        })
      }))

    it.scoped("a webhook nobody acknowledges is tried again with the same event id and signature, then given up", () =>
      Effect.gen(function*() {
        const { sim } = yield* startUberEats({
          simulator: { webhookRetry: { initialDelayMs: 20, maxAttempts: 4, timeoutMs: 500 } }
        })
        yield* sim.setWebhookUrl("http://127.0.0.1:9/unreachable")
        yield* sim.placeOrder(uberSeed(sampleOrder()))
        yield* sim.webhooks.awaitIdle
        const attempts = yield* sim.webhooks.attempts
        assert.strictEqual(attempts.length, 4)
        assert.strictEqual(new Set(attempts.map((a) => a.id)).size, 1)
        assert.strictEqual((yield* sim.counters).webhooks.exhausted, 1)
      }))

    it.scoped("held notifications are released newest first: order is not guaranteed", () =>
      Effect.gen(function*() {
        const { subject, sim, receiver } = yield* startUberEats()
        yield* sim.webhooks.configure({ reorder: true })
        const first = yield* sim.placeOrder(uberSeed(sampleOrder()))
        const second = yield* sim.placeOrder(uberSeed(sampleOrder()))
        yield* sim.webhooks.flush
        const ids = yield* Effect.forEach([1, 2], () =>
          Effect.flatMap(receiver.next, (d) =>
            Effect.map(subject.webhooks.parse(d, new Date(), subject.credentials), (e) =>
              e[0]?.externalId)))
        assert.deepStrictEqual(ids, [second.id, first.id])
      }))

    it.scoped("an app lacking a scope gets 403 from its endpoints: a permanent auth failure", () =>
      Effect.gen(function*() {
        const { sim, registry, storeId } = yield* startUberEats({ simulator: { scopes: ["eats.order"] } })
        const config = ubereatsConfig(sim, storeId)
        const connector = yield* registry.connectorFor({
          ...config,
          restaurantId: "resto-uber-orders-only" as typeof config.restaurantId,
          credentials: { ...config.credentials, scope: "eats.order" }
        })
        const store = yield* requireCapability(connector, "store")
        assert.deepInclude(yield* Effect.flip(store.status()), {
          _tag: "PlatformPermanentError",
          reason: "auth",
          status: 403
        })
      }))
  })
})
