import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  DeliverooErrorBody,
  DeliverooLegacyEnvelope,
  DeliverooWebhookEnvelope
} from "../../../../src/adapters/platforms/deliveroo/types.js"
import { deliverooWebhooks } from "../../../../src/adapters/platforms/deliveroo/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"
import { assertKeepsPublishedPaths, fixtureJson, fixtureText } from "../../../fixtures/published.js"

/** Deliveroo's published examples (test/fixtures/deliveroo/*.md name each source) through our wire Schemas and mappers. */
const delivery = (name: string, headers: Readonly<Record<string, string>> = {}): InboundRequest => ({
  headers: { "x-deliveroo-sequence-guid": "1499765769", ...headers },
  query: {},
  rawBody: fixtureText("deliveroo", name)
})

/** What the mapper reads from an Order Events order. */
const ORDER_FIELDS = [
  "event",
  "body.order.id",
  "body.order.display_id",
  "body.order.location_id",
  "body.order.status",
  "body.order.status_log.*.at",
  "body.order.status_log.*.status",
  "body.order.fulfillment_type",
  "body.order.asap",
  "body.order.prepare_for",
  "body.order.order_notes",
  "body.order.total_price.fractional",
  "body.order.total_price.currency_code",
  "body.order.items.*.pos_item_id",
  "body.order.items.*.name",
  "body.order.items.*.quantity",
  "body.order.items.*.unit_price.fractional",
  "body.order.items.*.unit_price.currency_code"
]

describe("deliveroo published examples", () => {
  it("the order.status_update example keeps every field we rely on", () =>
    assertKeepsPublishedPaths(
      DeliverooWebhookEnvelope,
      fixtureJson("deliveroo", "order-status-update.json"),
      ORDER_FIELDS
    ))

  it("the scheduled order.new example keeps them too, with its cutlery notes", () =>
    assertKeepsPublishedPaths(DeliverooWebhookEnvelope, fixtureJson("deliveroo", "order-new-scheduled.json"), [
      ...ORDER_FIELDS,
      "body.order.cutlery_notes"
    ]))

  it("the legacy new_order envelope keeps its location, order and items", () =>
    assertKeepsPublishedPaths(DeliverooLegacyEnvelope, fixtureJson("deliveroo", "legacy-new-order.json"), [
      "event",
      "location_id",
      "restaurant_acknowledged_at",
      "order.id",
      "order.display_id",
      "order.total_price.fractional",
      "order.total_price.currency_code",
      "order.items.*.pos_item_id",
      "order.items.*.quantity",
      "order.items.*.unit_price.fractional",
      "order.items.*.modifiers.*.pos_item_id",
      "order.asap",
      "order.notes"
    ]))

  it("an error body keeps its code", () =>
    assertKeepsPublishedPaths(DeliverooErrorBody, fixtureJson("deliveroo", "error-unauthorized.json"), ["error.code"]))

  it.effect("the order.status_update example parses to our order", () =>
    Effect.gen(function*() {
      const [event] = yield* deliverooWebhooks.parse(delivery("order-status-update.json"), new Date())
      assert.deepInclude(event, {
        eventType: "order.status_changed",
        externalRestaurantId: "site-0042",
        externalId: "gb:1b7c3e52-9a0d-4f61-b2e8-5c4d7a90e3f1"
      })
      assert.deepInclude(event?.order, {
        status: "accepted",
        type: "delivery",
        total: 24.5,
        currency: "GBP",
        displayId: "7421"
      })
    }))

  it.effect("the scheduled order.new example is a pending order wanted at prepare_for", () =>
    Effect.gen(function*() {
      const [event] = yield* deliverooWebhooks.parse(delivery("order-new-scheduled.json"), new Date())
      assert.deepInclude(event, { eventType: "order.created", externalRestaurantId: "4163" })
      assert.deepInclude(event?.order, { status: "pending", scheduledFor: "2022-05-30T15:42:00Z", total: 8.85 })
      assert.include(event?.order?.notes ?? "", "No pickles please.")
    }))

  it.effect("the legacy new_order example is an accepted order of its location, items named by PLU", () =>
    Effect.gen(function*() {
      const req = delivery("legacy-new-order.json", { "x-deliveroo-payload-type": "event/new_order" })
      assert.strictEqual(yield* deliverooWebhooks.restaurantOf(req), "72")
      const [event] = yield* deliverooWebhooks.parse(req, new Date())
      assert.deepInclude(event, {
        eventType: "order.created",
        externalRestaurantId: "72",
        externalId: "1544539233-7465",
        occurredAt: "2018-12-11T14:40:35Z"
      })
      assert.deepInclude(event?.order, { status: "accepted", total: 17.95, currency: "EUR", notes: "NO CUTLERY" })
      assert.deepStrictEqual(event?.order?.items.map((i) => [i.name, i.quantity, i.unitPrice]), [
        ["30086/dog", 1, 5.5],
        ["30097/cjfries-s", 1, 3.45],
        ["30114/shake", 1, 5.25],
        ["30088/grcheese", 1, 3.75]
      ])
    }))
})
