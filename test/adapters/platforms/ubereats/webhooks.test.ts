import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { ubereatsWebhooks } from "../../../../src/adapters/platforms/ubereats/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"

// The documented example body (ubereats.md) and its signature, computed outside this code base:
// printf '%s' "$BODY" | openssl dgst -sha256 -hmac "uber-client-secret-1"
const body =
  `{"event_id":"5b0e8f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b","event_time":1717264991,"event_type":"orders.notification",` +
  `"meta":{"user_id":"9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f","resource_id":"3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7","status":"pos"},` +
  `"resource_href":"https://api.uber.com/v2/eats/order/3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7"}`
const signature = "9cf24b3e4a1cbc5d81828998b513e9512bc8cb16128862a54a91250036d9d54d"
const secret = Redacted.make("uber-client-secret-1")
const now = new Date("2024-06-01T18:03:30Z")

const delivery = (
  raw = body,
  headers: Record<string, string> = { "x-uber-signature": signature, "x-environment": "sandbox" }
): InboundRequest => ({
  headers,
  query: {},
  rawBody: raw
})

const rejection = (req: InboundRequest, s = secret) =>
  Effect.map(Effect.flip(ubereatsWebhooks.authenticate(req, s, now)), (e) => e.reason)

describe("ubereats webhooks: X-Uber-Signature", () => {
  it.effect("accepts the documented example signed with the client secret", () =>
    ubereatsWebhooks.authenticate(delivery(), secret, now))

  it.effect("accepts the digest written in capitals (the bytes are what count)", () =>
    ubereatsWebhooks.authenticate(delivery(body, { "x-uber-signature": signature.toUpperCase() }), secret, now))

  it.effect("rejects another secret, a changed body, a missing header, a sha256= prefix and a truncated digest", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* rejection(delivery(), Redacted.make("uber-client-secret-2")), "unauthenticated")
      assert.strictEqual(yield* rejection(delivery(body.replace("1717264991", "1717264992"))), "unauthenticated")
      assert.strictEqual(yield* rejection(delivery(body, {})), "unauthenticated")
      assert.strictEqual(
        yield* rejection(delivery(body, { "x-uber-signature": `sha256=${signature}` })),
        "unauthenticated"
      )
      assert.strictEqual(
        yield* rejection(delivery(body, { "x-uber-signature": signature.slice(0, 62) })),
        "unauthenticated"
      )
    }))

  it.effect("routes by meta.user_id, the store", () =>
    Effect.map(
      ubereatsWebhooks.restaurantOf(delivery()),
      (store) => assert.strictEqual(store, "9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f")
    ))
})

const envelope = (eventType: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...JSON.parse(body), event_type: eventType, ...extra })

describe("ubereats webhooks: parsing to neutral events", () => {
  it.effect("orders.notification is a thin order.created: dedupe on event_id, fetch the order", () =>
    Effect.gen(function*() {
      const [event] = yield* ubereatsWebhooks.parse(delivery(), now)
      assert.deepInclude(event, {
        platform: "ubereats",
        eventId: "5b0e8f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
        eventType: "order.created",
        externalRestaurantId: "9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f",
        externalId: "3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7",
        occurredAt: "2024-06-01T18:03:11.000Z",
        needsFetch: true
      })
      assert.isUndefined(event?.order)
    }))

  it.effect("orders.cancel and orders.failure (API 1.0.0 stores) are cancellations", () =>
    Effect.gen(function*() {
      for (const type of ["orders.cancel", "orders.failure"]) {
        const [event] = yield* ubereatsWebhooks.parse(delivery(envelope(type)), now)
        assert.strictEqual(event?.eventType, "order.cancelled")
      }
    }))

  it.effect("store events name the store in store_id; unknown events stay unknown", () =>
    Effect.gen(function*() {
      const storeBody = JSON.stringify({
        event_id: "e-2",
        event_type: "eats.store.status.notification",
        store_id: "store-1",
        resource_href: "x"
      })
      const [store] = yield* ubereatsWebhooks.parse(delivery(storeBody), now)
      assert.deepInclude(store, {
        eventType: "store.status_changed",
        externalRestaurantId: "store-1",
        externalId: "store-1"
      })
      assert.strictEqual(yield* ubereatsWebhooks.restaurantOf(delivery(storeBody)), "store-1")
      const [other] = yield* ubereatsWebhooks.parse(delivery(envelope("eats.report.success")), now)
      assert.strictEqual(other?.eventType, "unknown")
    }))

  it.effect("store.provisioned and store.deprovisioned keep their meaning, naming the store", () =>
    Effect.gen(function*() {
      for (const type of ["store.provisioned", "store.deprovisioned"] as const) {
        const body = JSON.stringify({
          event_id: `e-${type}`,
          event_type: type,
          store_id: "store-1",
          resource_href: "x"
        })
        const [event] = yield* ubereatsWebhooks.parse(delivery(body), now)
        assert.deepInclude(event, { eventType: type, externalRestaurantId: "store-1", externalId: "store-1" })
      }
    }))

  it.effect("store.menu_refresh_request asks for the store's menu: menu.updated, naming the store", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({
        event_id: "e-4",
        event_type: "store.menu_refresh_request",
        store_id: "store-1",
        resource_href: "x"
      })
      const [event] = yield* ubereatsWebhooks.parse(delivery(body), now)
      assert.deepInclude(event, { eventType: "menu.updated", externalRestaurantId: "store-1", externalId: "store-1" })
    }))

  it.effect("a body that is not an Uber event, or names no store, is malformed", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* Effect.flip(ubereatsWebhooks.parse(delivery("not json"), now))).reason, "malformed")
      const noStore = JSON.stringify({
        event_id: "e-3",
        event_type: "orders.notification",
        meta: { resource_id: "o-1" }
      })
      assert.strictEqual((yield* Effect.flip(ubereatsWebhooks.parse(delivery(noStore), now))).reason, "malformed")
      assert.strictEqual((yield* Effect.flip(ubereatsWebhooks.restaurantOf(delivery(noStore)))).reason, "malformed")
    }))
})
