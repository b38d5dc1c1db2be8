import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { deliverooWebhooks } from "../../../../src/adapters/platforms/deliveroo/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"

// The documented example body (deliveroo.md) and its signatures, computed outside this code base:
// { printf '%s ' "$GUID"; printf '%s' "$BODY"; } | openssl dgst -sha256 -hmac "roo-webhook-secret"
// and the legacy form with printf '%s \n ' "$GUID" (space, newline, space).
const body =
  `{"event":"order.status_update","body":{"order":{"id":"gb:1b7c3e52-9a0d-4f61-b2e8-5c4d7a90e3f1","order_number":"31877421",` +
  `"location_id":"site-0042","display_id":"7421","status":"accepted","status_log":[{"at":"2025-06-01T18:00:01Z","status":"pending"},` +
  `{"at":"2025-06-01T18:00:02Z","status":"placed"},{"at":"2025-06-01T18:01:10Z","status":"accepted"}],"fulfillment_type":"deliveroo",` +
  `"asap":true,"order_notes":"Nut allergy","prepare_for":"2025-06-01T18:25:00Z","total_price":{"fractional":2450,"currency_code":"GBP"},` +
  `"items":[{"pos_item_id":"PLU-118","name":"Veggie Burger","quantity":2,"unit_price":{"fractional":1225,"currency_code":"GBP"},"modifiers":[]}]}}}`
const guid = "a1b2c3-guid-42"
const current = "cd671383df2585556a0572c1da617057d927dd34bfb44985566eb160350ad19b"
const legacy = "be2fcc9c6ef6b2fbc619b94f0d0e0f4db42d6d7e80ca2e682133a1e06ada22e7"
const secret = Redacted.make("roo-webhook-secret")
const now = new Date("2025-06-01T18:02:00Z")

const delivery = (signature: string, raw = body, sequence = guid): InboundRequest => ({
  headers: {
    "x-deliveroo-sequence-guid": sequence,
    "x-deliveroo-hmac-sha256": signature,
    "x-deliveroo-webhook-version": "1"
  },
  query: {},
  rawBody: raw
})

const rejection = (req: InboundRequest, s = secret) =>
  Effect.map(Effect.flip(deliverooWebhooks.authenticate(req, s, now)), (e) => e.reason)

describe("deliveroo webhooks: X-Deliveroo-Hmac-Sha256 over GUID and body", () => {
  it.effect("accepts the current form, GUID + space + body", () =>
    deliverooWebhooks.authenticate(delivery(current), secret, now))

  it.effect("accepts the legacy form, GUID + space-newline-space + body", () =>
    deliverooWebhooks.authenticate(delivery(legacy), secret, now))

  it.effect("rejects another secret, another GUID, a changed body and missing headers", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* rejection(delivery(current), Redacted.make("roo-client-secret")), "unauthenticated")
      assert.strictEqual(yield* rejection(delivery(current, body, "a1b2c3-guid-43")), "unauthenticated")
      assert.strictEqual(yield* rejection(delivery(current, body.replace("2450", "2451"))), "unauthenticated")
      assert.strictEqual(
        yield* rejection({ headers: { "x-deliveroo-hmac-sha256": current }, query: {}, rawBody: body }),
        "unauthenticated"
      )
      assert.strictEqual(
        yield* rejection({ headers: { "x-deliveroo-sequence-guid": guid }, query: {}, rawBody: body }),
        "unauthenticated"
      )
    }))

  it.effect("routes by the order's location_id", () =>
    Effect.map(
      deliverooWebhooks.restaurantOf(delivery(current)),
      (location) => assert.strictEqual(location, "site-0042")
    ))
})

const withStatus = (event: string, status: string) =>
  body.replace("\"event\":\"order.status_update\"", `"event":"${event}"`).replace(
    "\"status\":\"accepted\",\"status_log\"",
    `"status":"${status}","status_log"`
  )

describe("deliveroo webhooks: parsing to neutral events", () => {
  it.effect("order.status_update carries the whole order; the event id is GUID + order + status", () =>
    Effect.gen(function*() {
      const [event] = yield* deliverooWebhooks.parse(delivery(current), now)
      assert.deepInclude(event, {
        platform: "deliveroo",
        eventId: "a1b2c3-guid-42:gb:1b7c3e52-9a0d-4f61-b2e8-5c4d7a90e3f1:accepted",
        eventType: "order.status_changed",
        externalRestaurantId: "site-0042",
        externalId: "gb:1b7c3e52-9a0d-4f61-b2e8-5c4d7a90e3f1",
        occurredAt: "2025-06-01T18:01:10Z"
      })
      assert.deepInclude(event?.order, {
        status: "accepted",
        type: "delivery",
        total: 24.5,
        currency: "GBP",
        notes: "Nut allergy",
        displayId: "7421"
      })
      assert.deepStrictEqual(event?.order?.items.map((i) => [i.name, i.quantity, i.unitPrice, i.menuItemId]), [[
        "Veggie Burger",
        2,
        12.25,
        null
      ]])
    }))

  it.effect("order.new (and orders.new, new_order) is order.created; a canceled status update is order.cancelled", () =>
    Effect.gen(function*() {
      for (const name of ["order.new", "orders.new", "new_order"]) {
        const [event] = yield* deliverooWebhooks.parse(delivery("", withStatus(name, "placed")), now)
        assert.deepInclude(event, { eventType: "order.created" })
        assert.strictEqual(event?.order?.status, "pending")
      }
      const [cancelled] = yield* deliverooWebhooks.parse(
        delivery("", withStatus("order.status_update", "canceled")),
        now
      )
      assert.strictEqual(cancelled?.eventType, "order.cancelled")
    }))

  it.effect("the same GUID with another status is another event; a redelivery is the same", () =>
    Effect.gen(function*() {
      const [a] = yield* deliverooWebhooks.parse(delivery(current), now)
      const [b] = yield* deliverooWebhooks.parse(delivery(current), now)
      const [c] = yield* deliverooWebhooks.parse(delivery("", withStatus("order.status_update", "rejected")), now)
      assert.strictEqual(a?.eventId, b?.eventId)
      assert.notStrictEqual(a?.eventId, c?.eventId)
    }))

  it.effect("an unknown status or a body that is no order event is malformed", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        (yield* Effect.flip(
          deliverooWebhooks.parse(delivery("", withStatus("order.status_update", "teleported")), now)
        )).reason,
        "malformed"
      )
      assert.strictEqual((yield* Effect.flip(deliverooWebhooks.parse(delivery("", "{}"), now))).reason, "malformed")
    }))
})
