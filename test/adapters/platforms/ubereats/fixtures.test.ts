import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { fromUberMenu, toOrder } from "../../../../src/adapters/platforms/ubereats/mapper.js"
import { UberMenuUpload, UberOrder, UberWebhookEnvelope } from "../../../../src/adapters/platforms/ubereats/types.js"
import { ubereatsWebhooks } from "../../../../src/adapters/platforms/ubereats/webhooks.js"
import { assertKeepsPublishedPaths, fixtureJson, fixtureText } from "../../../fixtures/published.js"

/** Uber's published examples (test/fixtures/ubereats/*.md name each source) through our wire Schemas and mappers. */
describe("ubereats published examples", () => {
  it("the orders.notification example keeps every field we rely on", () =>
    assertKeepsPublishedPaths(UberWebhookEnvelope, fixtureJson("ubereats", "orders-notification.json"), [
      "event_id",
      "event_time",
      "event_type",
      "meta.user_id",
      "meta.resource_id",
      "resource_href"
    ]))

  it("the example menu keeps prices, tax_info, quantities, options and external data", () =>
    assertKeepsPublishedPaths(UberMenuUpload, fixtureJson("ubereats", "menu-example.json"), [
      "items.*.id",
      "items.*.title.translations.en_us",
      "items.*.external_data",
      "items.*.price_info.price",
      "items.*.tax_info.tax_rate",
      "items.*.modifier_group_ids.ids",
      "modifier_groups.*.modifier_options.*.id",
      "modifier_groups.*.quantity_info.quantity.max_permitted",
      "categories.*.entities.*.id",
      "menus.*.category_ids"
    ]))

  it("a v2 order in the published keys keeps the eater's location", () =>
    assertKeepsPublishedPaths(UberOrder, fixtureJson("ubereats", "order-v2.json"), [
      "id",
      "display_id",
      "current_state",
      "type",
      "store.id",
      "eater.first_name",
      "eater.phone",
      "eater.phone_code",
      "eater.delivery.location.street_address",
      "eater.delivery.location.unit_number",
      "eater.delivery.notes",
      "cart.items.*.external_data",
      "cart.items.*.quantity",
      "cart.items.*.price.unit_price.amount",
      "cart.items.*.selected_modifier_groups.*.selected_items.*.title",
      "cart.special_instructions",
      "payment.charges.total.amount",
      "payment.charges.total.currency_code"
    ]))

  it.effect("the notification example is a thin order.created event for its store", () =>
    Effect.gen(function*() {
      const [event] = yield* ubereatsWebhooks.parse({
        headers: {},
        query: {},
        rawBody: fixtureText("ubereats", "orders-notification.json")
      }, new Date())
      assert.deepInclude(event, {
        eventType: "order.created",
        externalRestaurantId: "9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f",
        externalId: "3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7",
        needsFetch: true
      })
    }))

  it("the v2 order maps to ours, its address from the location", () => {
    const dto = Either.getOrThrow(
      toOrder(Schema.decodeUnknownSync(UberOrder)(fixtureJson("ubereats", "order-v2.json")))
    )
    assert.deepStrictEqual(dto.deliveryAddress, {
      street: "12 rue des Martyrs, 75009 Paris, France, 3e étage",
      city: "Paris",
      postalCode: "75009",
      instructions: "Digicode 4521"
    })
    assert.deepInclude(dto, { total: 6.1, currency: "USD", displayId: "3C4D5" })
    assert.deepStrictEqual(dto.items.map((i) => [i.name, i.quantity, i.unitPrice, i.options]), [[
      "Fresh-baked muffin",
      2,
      3.05,
      ["Blueberry"]
    ]])
  })

  it("the example menu reads as ours: categorised items with their options", () => {
    const menu = fromUberMenu(
      Schema.decodeUnknownSync(UberMenuUpload)(fixtureJson("ubereats", "menu-example.json")),
      "USD",
      0
    )
    assert.deepStrictEqual(menu.items.map((i) => [i.localId, i.name, i.price, i.options.map((o) => o.name)]), [
      ["External data for coffee", "Coffee", 3, ["Add sugar"]],
      ["External data for muffin", "Fresh-baked muffin", 3, ["Choose flavor"]]
    ])
  })
})
