import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import {
  deliverooActionFor,
  deliverooStatusOf,
  orderStatusOf,
  statusTimeOf,
  toOrder
} from "../../../../src/adapters/platforms/deliveroo/mapper.js"
import {
  fromDeliverooMenu,
  toDeliverooMenu,
  unavailableIds
} from "../../../../src/adapters/platforms/deliveroo/mapper.js"
import type { DeliverooOrder } from "../../../../src/adapters/platforms/deliveroo/types.js"
import type { OrderStatus } from "../../../../src/domain/status.js"
import { sampleMenu } from "../conformance/menu-samples.js"

const plu = "0f8fad5b-d9cb-469f-a165-70867728950e"
const gbp = (fractional: number) => ({ fractional, currency_code: "GBP" })

const order = (over: Partial<DeliverooOrder> = {}): DeliverooOrder => ({
  id: "gb:1b7c3e52-9a0d-4f61-b2e8-5c4d7a90e3f1",
  display_id: "7421",
  location_id: "site-0042",
  status: "placed",
  status_log: [{ at: "2025-06-01T18:00:01Z", status: "pending" }, { at: "2025-06-01T18:00:02Z", status: "placed" }],
  fulfillment_type: "restaurant",
  asap: false,
  prepare_for: "2025-06-01T19:30:00Z",
  order_notes: "Nut allergy",
  total_price: gbp(3090),
  customer: { first_name: "Sam", contact_number: "+44 20 0000 0000", contact_access_code: "123 456 789" },
  delivery: {
    address: {
      address_line_1: "1 Long Lane",
      address_line_2: "Flat 2",
      city: "London",
      postcode: "SE1 4PG",
      country: "GB"
    }
  },
  items: [
    {
      pos_item_id: plu,
      name: "Veggie Burger",
      quantity: 2,
      unit_price: gbp(1225),
      modifiers: [{ name: "Fries", unit_price: gbp(250), modifiers: [{ name: "Salt", unit_price: gbp(0) }] }]
    },
    { pos_item_id: "PLU-7", name: "Lemonade", quantity: 1, unit_price: gbp(320), total_price: gbp(320) }
  ],
  ...over
})

describe("deliveroo mapper: orders", () => {
  it("maps an order: minor units, modifiers in the unit price, own-fleet address, scheduled time, notes", () => {
    const dto = Either.getOrThrow(toOrder(order()))
    assert.deepInclude(dto, {
      type: "delivery",
      status: "pending",
      customerName: "Sam",
      total: 30.9,
      currency: "GBP",
      scheduledFor: "2025-06-01T19:30:00Z"
    })
    assert.deepStrictEqual(dto.items.map((i) => [i.name, i.quantity, i.unitPrice, i.menuItemId, i.options]), [
      ["Veggie Burger", 2, 14.75, plu, ["Fries", "Salt"]],
      ["Lemonade", 1, 3.2, null, []]
    ])
    assert.deepInclude(dto.deliveryAddress, { street: "1 Long Lane, Flat 2", city: "London", postalCode: "SE1 4PG" })
    assert.strictEqual(dto.notes, "Nut allergy\nAccess code: 123 456 789")
  })

  it("collection is a pick-up; an ASAP order has no scheduled time", () => {
    const dto = Either.getOrThrow(toOrder(order({ fulfillment_type: "customer", asap: true, delivery: null })))
    assert.strictEqual(dto.type, "pickup")
    assert.isUndefined(dto.scheduledFor)
    assert.isUndefined(dto.deliveryAddress)
  })

  it("statuses: capitals and both spellings read; confirmed is preparing; unknown refused", () => {
    assert.deepStrictEqual(
      ["pending", "PLACED", "accepted", "confirmed", "rejected", "cancelled"].map((s) =>
        orderStatusOf(Either.getOrThrow(deliverooStatusOf(s)))
      ),
      [
        "pending",
        "pending",
        "accepted",
        "preparing",
        "denied",
        "cancelled"
      ]
    )
    assert.isTrue(Either.isLeft(deliverooStatusOf("teleported")))
  })

  it("the status time is the last log entry of the current status", () => {
    const accepted = order({
      status: "accepted",
      status_log: [...(order().status_log ?? []), { at: "2025-06-01T18:01:10Z", status: "ACCEPTED" }]
    })
    assert.strictEqual(statusTimeOf(accepted), "2025-06-01T18:01:10Z")
  })

  it("our statuses become PATCHes Deliveroo allows: once each, confirm for scheduled orders only", () => {
    const updates = (status: Parameters<typeof deliverooActionFor>[0], asap: boolean, target: OrderStatus) => {
      const action = deliverooActionFor(status, asap, target)
      return action._tag === "Patch" ? action.updates.map((u) => u.status) : action._tag
    }
    assert.deepStrictEqual(updates("placed", true, "accepted"), ["accepted"])
    assert.deepStrictEqual(updates("accepted", true, "accepted"), [])
    assert.deepStrictEqual(updates("placed", false, "preparing"), ["accepted", "confirmed"])
    assert.deepStrictEqual(updates("accepted", false, "ready"), ["confirmed"])
    assert.deepStrictEqual(updates("accepted", true, "ready"), [])
    assert.deepStrictEqual(updates("placed", true, "denied"), ["rejected"])
    assert.deepStrictEqual(updates("placed", true, "cancelled"), ["rejected"])
    assert.deepStrictEqual(updates("rejected", true, "cancelled"), [])
    assert.strictEqual(updates("accepted", true, "cancelled"), "Refused")
    assert.strictEqual(updates("rejected", true, "accepted"), "Refused")
    const reject = deliverooActionFor("placed", true, "denied")
    assert.deepStrictEqual(reject._tag === "Patch" ? reject.updates[0] : undefined, {
      status: "rejected",
      reject_reason: "other"
    })
  })

  it("kitchen statuses past acceptance become preparation stages; nothing else does", () => {
    const stage = (status: Parameters<typeof deliverooActionFor>[0], target: OrderStatus) => {
      const action = deliverooActionFor(status, true, target)
      return action._tag === "Patch" ? action.stage : action._tag
    }
    assert.strictEqual(stage("placed", "preparing"), "in_kitchen")
    assert.strictEqual(stage("accepted", "ready"), "ready_for_collection")
    assert.strictEqual(stage("accepted", "picked_up"), "collected")
    assert.strictEqual(stage("confirmed", "delivered"), "collected")
    assert.isUndefined(stage("placed", "accepted"))
    assert.isUndefined(stage("placed", "denied"))
    assert.strictEqual(stage("rejected", "ready"), "Refused")
  })
})

describe("deliveroo mapper: menus", () => {
  const target = { name: "AlloResto menu", siteId: "site-1" }

  it("an upload for the site: items with PLU and allergies, choices, modifiers, categories, one all-day mealtime", () => {
    const menu = sampleMenu(10)
    const upload = Either.getOrThrow(toDeliverooMenu(menu, target))
    assert.deepStrictEqual(upload.site_ids, ["site-1"])
    assert.strictEqual(upload.menu.items.filter((i) => i.type === "ITEM").length, 10)
    assert.strictEqual(upload.menu.items.filter((i) => i.type === "CHOICE").length, 60)
    assert.strictEqual(upload.menu.modifiers.length, 20)
    assert.strictEqual(upload.menu.mealtimes[0]?.category_ids.length, 5)
    const first = upload.menu.items[0]
    assert.deepInclude(first, {
      plu: menu.items[0]?.localId,
      allergies: menu.items[0]?.allergens,
      contains_alcohol: false
    })
    assert.deepStrictEqual(unavailableIds(menu), [menu.items[9]?.localId])
  })

  it("reads back what it writes, availability coming from the unavailable list", () => {
    const menu = sampleMenu(10)
    const upload = Either.getOrThrow(toDeliverooMenu(menu, target))
    const back = fromDeliverooMenu(upload.menu, new Set(unavailableIds(menu)), "EUR")
    assert.deepStrictEqual(back.items, menu.items)
    assert.deepStrictEqual(back.categories, menu.categories)
  })

  it("keeps to the documented text limits: short names refused, long descriptions cut, alcohol flagged", () => {
    const menu = sampleMenu(2)
    const [a, b] = menu.items
    if (a === undefined || b === undefined) return assert.fail("sample too small")
    const tooShort = toDeliverooMenu({ ...menu, items: [{ ...a, name: "X" }, b] }, target)
    assert.include(Either.isLeft(tooShort) ? tooShort.left : "", "item name")
    const badCategory = toDeliverooMenu({ ...menu, categories: [{ name: "Pi", itemLocalIds: [a.localId] }] }, target)
    assert.include(Either.isLeft(badCategory) ? badCategory.left : "", "category name")
    const long = Either.getOrThrow(
      toDeliverooMenu({ ...menu, items: [{ ...a, description: "d".repeat(700), allergens: ["Alcohol"] }, b] }, target)
    )
    assert.strictEqual(Object.values(long.menu.items[0]?.description ?? {})[0]?.length, 500)
    assert.isTrue(long.menu.items[0]?.contains_alcohol)
  })
})
