import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { createHmac } from "node:crypto"
import { OrderRepository } from "../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { bigMenu, type Body, createMenu, deliverooWorld, list, post, put } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

const PATCH = "PATCH /order/v1/orders/{orderId}"

const customer = { first_name: "Léa", contact_number: "+33 6 98 76 54 32", contact_access_code: "111 222 333" }

type World = Effect.Effect.Success<ReturnType<typeof deliverooWorld>>

const getOrder = (id: unknown) => Effect.map(request("GET", `/api/orders/${id}`), (r) => r.body as Body)

const patchOrder = (id: unknown, status: string) =>
  Effect.flatMap(
    request("PATCH", `/api/orders/${id}`, { status }),
    (r) => (r.status === 200 ? Effect.void : Effect.dieMessage(`PATCH ${r.status} ${r.text}`))
  )

const localIdOf = (w: World, externalId: string) =>
  Effect.map(list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=order`), (mappings) => {
    const found = mappings.find((m) => m.externalId === externalId)
    assert.isDefined(found, `order ${externalId} is mapped`)
    return found!.entityId as string
  })

/** Places a Deliveroo order, lets `order.new` arrive and be applied: both sides' ids. */
const placed = (w: World, seed: { readonly asap?: boolean } = {}) =>
  Effect.gen(function*() {
    const order = yield* w.sim.placeOrder({ ...seed, items: [{ name: "Burger", quantity: 1, unit_price: 1290 }] })
    yield* w.sim.webhooks.awaitIdle
    yield* drainAll
    return { roo: order, localId: yield* localIdOf(w, order.id) }
  })

/** Lets the status_update our own PATCH caused come back and be applied. */
const settle = (w: World) => Effect.zipRight(w.sim.webhooks.awaitIdle, drainAll)

const failures = (restaurantId: string) => list(`/api/sync/logs?restaurantId=${restaurantId}&status=failed`)
const patches = (w: World) => Effect.map(w.sim.counters, (c) => c.requestsByRoute[PATCH] ?? 0)

/** The test's own reading of the upload the simulator kept, apart from the connector's types. */
const Text = Schema.Record({ key: Schema.String, value: Schema.String })
const StoredUpload = Schema.Struct({
  name: Schema.String,
  site_ids: Schema.Array(Schema.String),
  menu: Schema.Struct({
    categories: Schema.Array(Schema.Struct({ id: Schema.String, name: Text, item_ids: Schema.Array(Schema.String) })),
    items: Schema.Array(Schema.Struct({
      id: Schema.String,
      name: Text,
      description: Schema.optional(Text),
      plu: Schema.optional(Schema.String),
      type: Schema.optional(Schema.String),
      price_info: Schema.Struct({ price: Schema.Number }),
      allergies: Schema.optional(Schema.Array(Schema.String)),
      modifier_ids: Schema.optional(Schema.Array(Schema.String))
    })),
    modifiers: Schema.Array(
      Schema.Struct({
        id: Schema.String,
        name: Text,
        min_selection: Schema.Number,
        max_selection: Schema.Number,
        item_ids: Schema.Array(Schema.String)
      })
    )
  })
})

describe("sync engine end to end with Deliveroo: signed webhooks carrying the order, status PATCHes, menus", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a signed order.new becomes one local order with its items, total, address and customer, even delivered twice", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        const tatin = yield* post("/api/menu-items", samples.menuItem(w.restaurantId))
        yield* w.sim.webhooks.configure({ duplicate: true })
        const order = yield* w.sim.placeOrder({
          fulfillment_type: "deliveroo",
          customer,
          address: { address_line_1: "12 rue des Martyrs", city: "Paris", postcode: "75009", country: "FR" },
          items: [
            {
              name: "Tarte Tatin",
              pos_item_id: tatin.id,
              quantity: 2,
              unit_price: 950,
              modifiers: [{ name: "Crème fraîche", unit_price: 150 }]
            },
            { name: "Café", quantity: 1, unit_price: 250 }
          ],
          order_notes: "Allergies: arachides"
        })
        yield* w.sim.webhooks.awaitIdle
        // And the same event once more as a new delivery (a new GUID).
        yield* w.sim.notify(order.id)
        yield* w.sim.webhooks.awaitIdle
        const attempts = yield* w.sim.webhooks.attempts
        assert.deepStrictEqual(attempts.map((a) => a.status), [200, 200, 200, 200])
        yield* drainAll

        const orders = yield* list(`/api/orders?restaurantId=${w.restaurantId}`)
        assert.strictEqual(orders.length, 1, JSON.stringify(orders))
        const local = orders[0]!
        assert.strictEqual(local.source, "deliveroo")
        assert.strictEqual(local.type, "delivery")
        assert.strictEqual(local.status, "pending")
        assert.strictEqual(local.customerName, "Léa")
        assert.strictEqual(local.customerPhone, "+33 6 98 76 54 32")
        assert.strictEqual(local.total, 24.5)
        // Deliveroo hears that the order reached the restaurant (sync status), once it is stored.
        assert.isNotNull(yield* w.sim.syncStatus(order.id), "order acknowledged")
        assert.strictEqual(local.currency, "EUR")
        assert.deepStrictEqual(local.items, [
          { menuItemId: tatin.id, name: "Tarte Tatin", quantity: 2, unitPrice: 11, options: ["Crème fraîche"] },
          { menuItemId: null, name: "Café", quantity: 1, unitPrice: 2.5, options: [] }
        ])
        assert.deepStrictEqual(local.deliveryAddress, {
          street: "12 rue des Martyrs",
          city: "Paris",
          postalCode: "75009",
          country: "FR",
          instructions: null
        })
        assert.include(local.notes, "arachides")
        assert.isNull(local.scheduledFor)
        const customers = yield* list(`/api/customers?restaurantId=${w.restaurantId}`)
        assert.strictEqual(customers.length, 1)
        assert.strictEqual(local.customerId, customers[0]!.id)
        const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=order`)
        assert.deepStrictEqual(mappings.map((m) => [m.entityId, m.externalId, m.externalSecondaryId]), [[
          local.id,
          order.id,
          order.display_id
        ]])
      }))

    it.scoped("a bad or missing X-Deliveroo-Hmac-Sha256 gets 401 and changes nothing: no job, no order", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        yield* w.sim.configure({ webhookUrl: null })
        const order = yield* w.sim.placeOrder({ customer, items: [{ name: "Burger", quantity: 1, unit_price: 1290 }] })
        const body = JSON.stringify({ event: "order.new", body: { order } })
        const guid = "424242"
        const sign = (secret: string, text = body) =>
          createHmac("sha256", secret).update(`${guid} ${text}`).digest("hex")
        const deliver = (headers: Record<string, string>, rawBody = body) =>
          request("POST", "/api/webhooks/deliveroo", undefined, { rawBody, headers })
        const responses = [
          yield* deliver({}),
          yield* deliver({ "x-deliveroo-sequence-guid": guid }),
          // Signed with the client secret: Deliveroo's webhook secret is another one.
          yield* deliver({ "x-deliveroo-sequence-guid": guid, "x-deliveroo-hmac-sha256": sign(w.sim.clientSecret) }),
          // Rightly signed, then the GUID changed.
          yield* deliver({
            "x-deliveroo-sequence-guid": "424243",
            "x-deliveroo-hmac-sha256": sign(w.sim.webhookSecret)
          }),
          // Rightly signed, then the body changed (a bigger total).
          yield* deliver(
            { "x-deliveroo-sequence-guid": guid, "x-deliveroo-hmac-sha256": sign(w.sim.webhookSecret) },
            body.replace("\"fractional\":1290", "\"fractional\":1")
          )
        ]
        assert.deepStrictEqual(
          responses.map((r) => r.status),
          [401, 401, 401, 401, 401],
          JSON.stringify(responses.map((r) => r.text))
        )
        assert.strictEqual((responses[2]!.body as Body)._tag, "Unauthorized")
        const queue = yield* SyncJobQueue
        assert.deepStrictEqual(yield* queue.counts(), { pending: 0, retrying: 0, dead: 0 })
        yield* drainAll
        assert.deepStrictEqual(yield* list(`/api/orders?restaurantId=${w.restaurantId}`), [])
        const orders = yield* OrderRepository
        assert.strictEqual(
          (yield* orders.list({ restaurantId: w.restaurantId as never, limit: 10, offset: 0 })).total,
          0
        )

        // The same delivery rightly signed is taken: the rejections above were about the signature only.
        const signed = yield* deliver({
          "x-deliveroo-sequence-guid": guid,
          "x-deliveroo-hmac-sha256": sign(w.sim.webhookSecret)
        })
        assert.strictEqual(signed.status, 200, signed.text)
        yield* drainAll
        assert.strictEqual((yield* list(`/api/orders?restaurantId=${w.restaurantId}`)).length, 1)
      }))

    it.scoped("accepting locally PATCHes accepted once; ready is the ready_for_collection prep stage; a Deliveroo cancel arrives as cancelled; nothing goes backwards", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        const { roo, localId } = yield* placed(w)
        yield* patchOrder(localId, "accepted")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(roo.id)).status, "accepted")
        assert.strictEqual(yield* patches(w), 1)
        yield* settle(w)
        assert.strictEqual((yield* getOrder(localId)).status, "accepted", "the echo of our PATCH changes nothing")

        yield* patchOrder(localId, "ready")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(roo.id)).status, "accepted")
        assert.strictEqual(yield* patches(w), 1, "PATCHed once: an ASAP order has nothing more to PATCH")
        assert.deepStrictEqual((yield* w.sim.prepStages(roo.id)).map((s) => s.stage), ["ready_for_collection"])

        // A late copy of the accepted event must not undo our "ready".
        yield* w.sim.notify(roo.id)
        yield* settle(w)
        assert.strictEqual((yield* getOrder(localId)).status, "ready")

        yield* w.sim.cancelOrder(roo.id)
        yield* settle(w)
        const cancelled = yield* getOrder(localId)
        assert.strictEqual(cancelled.status, "cancelled")
        // order.new delivered again, late: the order is not reopened.
        const body = JSON.stringify({ event: "order.new", body: { order: roo } })
        const guid = "9999999"
        const late = yield* request("POST", "/api/webhooks/deliveroo", undefined, {
          rawBody: body,
          headers: {
            "x-deliveroo-sequence-guid": guid,
            "x-deliveroo-hmac-sha256": createHmac("sha256", w.sim.webhookSecret).update(`${guid} ${body}`).digest("hex")
          }
        })
        assert.strictEqual(late.status, 200)
        yield* drainAll
        const after = yield* getOrder(localId)
        assert.strictEqual(after.status, "cancelled")
        assert.strictEqual(after.version, cancelled.version)
        assert.deepStrictEqual(yield* failures(w.restaurantId), [])
      }))

    it.scoped("a local deny rejects a placed order; a scheduled order is accepted then confirmed; cancelling an accepted order is refused and logged", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        const first = yield* placed(w)
        yield* patchOrder(first.localId, "denied")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(first.roo.id)).status, "rejected")
        yield* settle(w)
        assert.strictEqual((yield* getOrder(first.localId)).status, "denied")

        const scheduled = yield* placed(w, { asap: false })
        assert.strictEqual((yield* getOrder(scheduled.localId)).scheduledFor, scheduled.roo.prepare_for)
        yield* patchOrder(scheduled.localId, "preparing")
        yield* drainAll
        const confirmed = yield* w.sim.order(scheduled.roo.id)
        assert.deepStrictEqual(confirmed.status_log.map((e) => e.status), [
          "pending",
          "placed",
          "accepted",
          "confirmed"
        ])
        yield* settle(w)
        assert.strictEqual(
          (yield* getOrder(scheduled.localId)).status,
          "preparing",
          "the echoes (accepted, confirmed) are behind"
        )
        assert.deepStrictEqual(yield* failures(w.restaurantId), [])

        yield* patchOrder(scheduled.localId, "cancelled")
        yield* drainAll
        assert.strictEqual(
          (yield* w.sim.order(scheduled.roo.id)).status,
          "confirmed",
          "only Deliveroo cancels an accepted order"
        )
        const refused = yield* failures(w.restaurantId)
        assert.strictEqual(refused.length, 1, JSON.stringify(refused))
        assert.include(refused[0]!.errorMessage, "only Deliveroo can cancel")
      }))

    it.scoped("a cancellation delivered before the order itself still leaves the order cancelled", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        yield* w.sim.webhooks.configure({ reorder: true })
        const order = yield* w.sim.placeOrder({ customer, items: [{ name: "Burger", quantity: 1, unit_price: 1290 }] })
        yield* w.sim.cancelOrder(order.id)
        yield* w.sim.webhooks.flush
        const attempts = yield* w.sim.webhooks.attempts
        assert.deepStrictEqual(
          attempts.map((a) => a.label),
          ["order.status_update", "order.new"],
          "the cancellation went first"
        )
        yield* drainAll
        const orders = yield* list(`/api/orders?restaurantId=${w.restaurantId}`)
        assert.strictEqual(orders.length, 1)
        assert.strictEqual(orders[0]!.status, "cancelled")
      }))

    it.scoped("a menu of 200 items with options and an offer arrives whole in one upload: prices, allergens, categories, options and availability intact", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        const created = yield* createMenu(bigMenu(w.restaurantId))
        // Issue 20, item 2: a formula (steps of eligible dishes, a price) is published as a combo;
        // a promotion without steps has no place in a Deliveroo menu and is logged as skipped.
        const formula = yield* post("/api/offers", {
          ...samples.offer(w.restaurantId),
          name: "Formule du midi",
          price: 24.5,
          steps: [{ name: "Entrée", menuItemIds: [created[0]!.id, created[1]!.id] }, {
            name: "Plat",
            menuItemIds: [created[2]!.id, created[3]!.id, created[4]!.id]
          }]
        })
        const promo = yield* post("/api/offers", {
          ...samples.offer(w.restaurantId),
          type: "promo",
          discountPercent: 10
        })
        yield* drainAll
        assert.strictEqual(yield* w.menuUploads, 1, "one coalesced whole-menu upload")
        const upload = Schema.decodeUnknownSync(StoredUpload)(yield* w.menu)
        assert.deepStrictEqual(upload.site_ids, [w.site.siteId])
        const { menu } = upload
        const items = new Map(menu.items.map((i) => [i.id, i]))
        const modifiers = new Map(menu.modifiers.map((m) => [m.id, m]))
        const categoryOf = new Map(menu.categories.flatMap((c) => c.item_ids.map((id) => [id, c.name["en"]] as const)))
        const dishes = menu.items.filter((i) => i.type === "ITEM" && !(i.plu ?? "").startsWith("offer:"))
        assert.strictEqual(dishes.length, 200)
        assert.strictEqual(
          menu.categories.filter((c) => c.item_ids.some((id) => dishes.some((d) => d.id === id))).length,
          8
        )
        for (const local of created) {
          const item = dishes.find((i) => i.plu === local.id)
          assert.isDefined(item, local.name)
          assert.strictEqual(item!.name["en"], local.name)
          assert.strictEqual(item!.description?.["en"] ?? null, local.description)
          assert.strictEqual(item!.price_info.price, Math.round(local.price * 100), local.name)
          assert.deepStrictEqual(item!.allergies ?? [], local.allergens, local.name)
          assert.strictEqual(categoryOf.get(item!.id), local.category)
          assert.deepStrictEqual(
            (item!.modifier_ids ?? []).map((id) => modifiers.get(id)!).map((m) => ({
              name: m.name["en"],
              required: m.min_selection >= 1,
              maxChoices: m.max_selection,
              choices: m.item_ids.map((c) => ({
                name: items.get(c)?.name["en"],
                priceDelta: (items.get(c)?.price_info.price ?? -1) / 100
              }))
            })),
            local.options,
            `${local.name} options`
          )
        }
        assert.sameMembers(
          [...(yield* w.sim.unavailableItems(w.site.siteId))],
          created.filter((i) => !i.isAvailable).map((i) => i.id)
        )
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.strictEqual(pushes.filter((l) => l.action === "push_menu").length, 1, JSON.stringify(pushes))

        // The formula as customers meet it: one item at its price, one single-choice modifier per step.
        assert.isDefined(menu.items.find((i) => i.plu === `offer:${formula.id}`), "the formula is uploaded as an item")
        const combo = yield* w.sim.menuItem(w.site.brandId, w.menuId, `offer:${formula.id}`)
        assert.isNotNull(combo, "the formula is on the menu")
        assert.strictEqual(combo!.name, "Formule du midi")
        assert.strictEqual(combo!.price, 2450)
        assert.deepStrictEqual(
          combo!.modifiers.map((m) => ({
            name: m.name,
            min: m.minSelection,
            max: m.maxSelection,
            dishes: m.items.map((i) => [i.plu, i.name, i.price])
          })),
          [
            { name: "Entrée", min: 1, max: 1, dishes: created.slice(0, 2).map((d) => [d.id, d.name, 0]) },
            { name: "Plat", min: 1, max: 1, dishes: created.slice(2, 5).map((d) => [d.id, d.name, 0]) }
          ]
        )
        assert.isDefined(
          menu.categories.find((c) => c.item_ids.includes(combo!.id)),
          "the combo is listed in a category"
        )
        const skipped = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=skipped&entityType=offer`)
        assert.deepStrictEqual(skipped.map((l) => [l.entityId, l.platform, l.direction]), [[
          promo.id,
          "deliveroo",
          "outbound"
        ]])
        assert.match(skipped[0]!.errorMessage, /promotion without steps/)
      }))

    it.scoped("two restaurants editing their menus at the same time each get their own menu uploaded", () =>
      Effect.gen(function*() {
        const a = yield* deliverooWorld()
        const b = yield* deliverooWorld()
        const menuA = yield* createMenu(bigMenu(a.restaurantId, 5))
        const menuB = yield* createMenu(bigMenu(b.restaurantId, 7))
        yield* drainAll
        const plus = (raw: unknown) =>
          raw === null
            ? []
            : Schema.decodeUnknownSync(StoredUpload)(raw).menu.items.filter((i) => i.type === "ITEM").map((i) => i.plu)
        assert.sameMembers(plus(yield* a.menu), menuA.map((i) => i.id))
        assert.sameMembers(plus(yield* b.menu), menuB.map((i) => i.id))
      }))

    it.scoped("store status: pausing through the API closes the site through Deliveroo's Site API and reads back; a timed pause is refused; Zenchef answers 409", () =>
      Effect.gen(function*() {
        const w = yield* deliverooWorld()
        const path = `/api/platform-configs/${w.config.id}/store-status`
        assert.deepStrictEqual((yield* request("GET", path)).body, { status: "open" })
        const paused = yield* put(path, { status: "paused" })
        assert.strictEqual(paused.status, 200, paused.text)
        assert.strictEqual(yield* w.sim.siteStatus(w.site.siteId), "CLOSED")
        assert.deepStrictEqual((yield* request("GET", path)).body, { status: "paused" })
        yield* put(path, { status: "open" })
        assert.strictEqual(yield* w.sim.siteStatus(w.site.siteId), "OPEN")
        const timed = yield* put(path, { status: "paused", until: new Date(Date.now() + 3_600_000).toISOString() })
        assert.isAtLeast(timed.status, 400, timed.text)
        assert.strictEqual(yield* w.sim.siteStatus(w.site.siteId), "OPEN")
        const z = yield* zenchefWorld()
        assert.strictEqual(
          (yield* put(`/api/platform-configs/${z.config.id}/store-status`, { status: "paused" })).status,
          409
        )
        assert.strictEqual(
          (yield* put("/api/platform-configs/00000000-0000-4000-8000-000000000000/store-status", { status: "open" }))
            .status,
          404
        )
      }))
  })
})
