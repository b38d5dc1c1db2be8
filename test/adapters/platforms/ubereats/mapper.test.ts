import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { orderStatusOf, toOrder, uberActionFor } from "../../../../src/adapters/platforms/ubereats/mapper.js"
import {
  fromUberMenu,
  SUSPENDED_UNTIL,
  toItemUpdate,
  toUberMenu
} from "../../../../src/adapters/platforms/ubereats/mapper.js"
import type { UberOrder } from "../../../../src/adapters/platforms/ubereats/types.js"
import type { OrderStatus } from "../../../../src/domain/status.js"
import { sampleMenu } from "../conformance/menu-samples.js"

const plu = "0f8fad5b-d9cb-469f-a165-70867728950e"
const money = (amount: number, currency_code = "EUR") => ({ amount, currency_code })

const order = (over: Partial<UberOrder> = {}): UberOrder => ({
  id: "3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7",
  display_id: "3C4D5",
  current_state: "CREATED",
  type: "DELIVERY_BY_RESTAURANT",
  store: { id: "store-1" },
  eater: {
    first_name: "Camille",
    last_name: "D.",
    phone: "+33 1 00 00 00 00",
    phone_code: "123 45 678",
    delivery: {
      location: {
        street_address: "12 rue de la Paix, 75002 Paris, France",
        unit_number: "3e",
        latitude: 48.869,
        longitude: 2.331
      },
      notes: "Code 1234"
    }
  },
  cart: {
    special_instructions: "Nut allergy",
    items: [
      {
        title: "Veggie Burger",
        external_data: plu,
        quantity: 2,
        price: { unit_price: money(1400), total_price: money(2800) },
        selected_modifier_groups: [{
          title: "Sides",
          selected_items: [{ title: "Fries", quantity: 1 }, { title: "Sauce", quantity: 2 }]
        }],
        special_instructions: "no onions"
      },
      { title: "Lemonade", external_data: "PLU-7", quantity: 1, price: { unit_price: money(320) } }
    ]
  },
  payment: { charges: { total: money(3120) } },
  ...over
})

describe("ubereats mapper: orders", () => {
  it("maps an order: minor units to decimals, our PLU back to the item id, address, notes", () => {
    const dto = Either.getOrThrow(toOrder(order()))
    assert.deepInclude(dto, {
      type: "delivery",
      status: "pending",
      customerName: "Camille D.",
      customerPhone: "+33 1 00 00 00 00",
      total: 31.2,
      currency: "EUR",
      displayId: "3C4D5"
    })
    assert.deepStrictEqual(dto.items.map((i) => [i.name, i.quantity, i.unitPrice, i.menuItemId, i.options]), [
      ["Veggie Burger", 2, 14, plu, ["Fries", "2 × Sauce"]],
      ["Lemonade", 1, 3.2, null, []]
    ])
    assert.deepStrictEqual(dto.deliveryAddress, {
      street: "12 rue de la Paix, 75002 Paris, France, 3e",
      city: "Paris",
      postalCode: "75002",
      instructions: "Code 1234"
    })
    assert.strictEqual(dto.notes, "Nut allergy\nVeggie Burger: no onions\nPhone code: 123 45 678")
  })

  it("the city and postcode come from the formatted street address, either way round; none found is \"-\"", () => {
    const at = (street_address: string) =>
      Either.getOrThrow(toOrder(order({ eater: { delivery: { location: { street_address } } } }))).deliveryAddress
    assert.deepInclude(at("10 Downing Street, London SW1A 2AA, UK"), { city: "London", postalCode: "SW1A 2AA" })
    assert.deepInclude(at("Kaiserstraße 5, 60311 Frankfurt am Main, Germany"), {
      city: "Frankfurt am Main",
      postalCode: "60311"
    })
    assert.deepInclude(at("Somewhere without a postcode"), {
      street: "Somewhere without a postcode",
      city: "-",
      postalCode: "-"
    })
  })

  it("a pick-up has no address; yen have no minor unit", () => {
    const dto = Either.getOrThrow(
      toOrder(order({ type: "PICK_UP", payment: { charges: { total: money(3120, "JPY") } } }))
    )
    assert.strictEqual(dto.type, "pickup")
    assert.isUndefined(dto.deliveryAddress)
    assert.strictEqual(dto.total, 3120)
  })

  it("an order without items is refused, naming the field", () => {
    const refused = toOrder(order({ cart: { items: [] } }))
    assert.isTrue(Either.isLeft(refused))
    assert.include(Either.getLeft(refused).pipe((o) => (o._tag === "Some" ? o.value : "")), "items")
  })

  it("states read as our statuses; FINISHED depends on the type", () => {
    assert.deepStrictEqual(
      (["CREATED", "ACCEPTED", "DENIED", "CANCELED"] as const).map((s) => orderStatusOf(s, "PICK_UP")),
      ["pending", "accepted", "denied", "cancelled"]
    )
    assert.strictEqual(orderStatusOf("FINISHED", "PICK_UP"), "picked_up")
    assert.strictEqual(orderStatusOf("FINISHED", "DELIVERY_BY_UBER"), "delivered")
  })

  it("our statuses become Uber's actions, and only where Uber allows them", () => {
    const act = (
      state: UberOrder["current_state"],
      target: OrderStatus,
      type: UberOrder["type"] = "DELIVERY_BY_UBER"
    ) => uberActionFor(state, type, target)._tag
    assert.strictEqual(act("CREATED", "accepted"), "Accept")
    assert.strictEqual(act("CREATED", "preparing"), "Accept")
    assert.strictEqual(act("ACCEPTED", "accepted"), "None")
    assert.strictEqual(act("CREATED", "denied"), "Deny")
    assert.strictEqual(act("CREATED", "cancelled"), "Deny")
    assert.strictEqual(act("ACCEPTED", "cancelled"), "Cancel")
    assert.strictEqual(act("CANCELED", "cancelled"), "None")
    assert.strictEqual(act("DENIED", "accepted"), "Refused")
    assert.strictEqual(act("FINISHED", "cancelled"), "Refused")
    assert.strictEqual(act("ACCEPTED", "delivered"), "None")
    assert.deepStrictEqual(uberActionFor("ACCEPTED", "DELIVERY_BY_RESTAURANT", "delivered"), {
      _tag: "RestaurantDelivery",
      status: "delivered"
    })
    assert.deepStrictEqual(uberActionFor("ACCEPTED", "DELIVERY_BY_RESTAURANT", "picked_up"), {
      _tag: "RestaurantDelivery",
      status: "started"
    })
  })
})

describe("ubereats mapper: menus", () => {
  it("an upload has all four arrays; options are modifier groups of priced items; sold-out items are suspended", () => {
    const menu = sampleMenu(10)
    const upload = toUberMenu(menu, 10)
    const first = menu.items[0]
    const item = upload.items.find((i) => i.id === first?.localId)
    assert.strictEqual(upload.menus.length, 1)
    assert.strictEqual(upload.categories.length, 5)
    assert.strictEqual(upload.items.length, 10 + 10 * 6)
    assert.strictEqual(upload.modifier_groups.length, 20)
    assert.deepInclude(item, {
      external_data: first?.localId,
      price_info: { price: Math.round((first?.price ?? 0) * 100) },
      tax_info: { tax_rate: 10 }
    })
    const sizes = upload.modifier_groups.find((g) => g.id === item?.modifier_group_ids?.ids[0])
    assert.deepStrictEqual(sizes?.quantity_info, { quantity: { min_permitted: 1, max_permitted: 1 } })
    const large = upload.items.find((i) => i.id === sizes?.modifier_options[1]?.id)
    assert.strictEqual(large?.price_info.price, 250)
    assert.deepStrictEqual(large?.tax_info, { tax_rate: 10 })
    const soldOut = upload.items.find((i) => i.id === menu.items[9]?.localId)
    assert.strictEqual(soldOut?.suspension_info?.suspension?.suspend_until, SUSPENDED_UNTIL)
  })

  it("reads back what it writes", () => {
    const menu = sampleMenu(10)
    const back = fromUberMenu(toUberMenu(menu, 10), "EUR", 1_700_000_000)
    assert.deepStrictEqual(back.items, menu.items)
    assert.deepStrictEqual(back.categories, menu.categories)
  })

  it("a sparse item update: a price, or a suspension lifted with 0", () => {
    assert.deepStrictEqual(toItemUpdate({ localId: "a", price: 12.5 }, "EUR"), { price_info: { price: 1250 } })
    assert.deepStrictEqual(toItemUpdate({ localId: "a", isAvailable: true }, "EUR"), {
      suspension_info: { suspension: { suspend_until: 0 } }
    })
    assert.deepStrictEqual(toItemUpdate({ localId: "a" }, "EUR"), {})
  })
})
