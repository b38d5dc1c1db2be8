import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { createHmac } from "node:crypto"
import { OrderRepository } from "../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import type { UberSimMenu } from "../../src/simulators/ubereats/index.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { bigMenu, type Body, createMenu, list, post, put, uberWorld } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

const ACCEPT = "POST /v1/eats/orders/{orderId}/accept_pos_order"
const DENY = "POST /v1/eats/orders/{orderId}/deny_pos_order"
const CANCEL = "POST /v1/eats/orders/{orderId}/cancel"

const eater = { first_name: "Léa", last_name: "Martin", phone: "+33 6 98 76 54 32", phone_code: "111 22 333" }

const orderOf = (restaurantId: string) =>
  Effect.map(list(`/api/orders?restaurantId=${restaurantId}`), (orders) => {
    assert.strictEqual(orders.length, 1, JSON.stringify(orders))
    return orders[0]!
  })

const patchOrder = (id: unknown, status: string) =>
  Effect.flatMap(
    request("PATCH", `/api/orders/${id}`, { status }),
    (r) => (r.status === 200 ? Effect.void : Effect.dieMessage(`PATCH ${r.status} ${r.text}`))
  )

/** Places an Uber order, lets its notification arrive and be applied: the local order. */
const placed = (w: Effect.Effect.Success<ReturnType<typeof uberWorld>>) =>
  Effect.gen(function*() {
    const order = yield* w.sim.placeOrder({ items: [{ title: "Burger", quantity: 1, unit_price: 1290 }] })
    yield* w.sim.webhooks.awaitIdle
    yield* drainAll
    const locals = yield* list(`/api/orders?restaurantId=${w.restaurantId}`)
    const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=order`)
    const mapping = mappings.find((m) => m.externalId === order.id)
    assert.isDefined(mapping, "the order was mapped")
    return { uber: order, local: locals.find((o) => o.id === mapping!.entityId)! }
  })

const failures = (restaurantId: string) => list(`/api/sync/logs?restaurantId=${restaurantId}&status=failed`)

describe("sync engine end to end with Uber Eats: signed thin webhooks, order actions, menus, store status", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a signed order notification becomes one local order with its items, total, address and customer, even delivered twice", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const tatin = yield* post("/api/menu-items", samples.menuItem(w.restaurantId))
        yield* w.sim.webhooks.configure({ duplicate: true })
        const order = yield* w.sim.placeOrder({
          type: "DELIVERY_BY_UBER",
          eater,
          address: {
            street_address: "12 rue des Martyrs, 75009 Paris, France",
            unit_number: "3e étage",
            notes: "Digicode 4521"
          },
          items: [
            {
              title: "Tarte Tatin",
              external_data: tatin.id,
              quantity: 2,
              unit_price: 950,
              modifiers: [{ group: "Accompagnement", title: "Crème fraîche", price: 150 }]
            },
            { title: "Café", quantity: 1, unit_price: 250 }
          ],
          special_instructions: "Allergies: arachides"
        })
        yield* w.sim.webhooks.awaitIdle
        // And Uber sends the notification once more, as a new event.
        yield* w.sim.notify(order.id, "orders.notification")
        yield* w.sim.webhooks.awaitIdle
        const attempts = yield* w.sim.webhooks.attempts
        assert.deepStrictEqual(attempts.map((a) => a.status), [200, 200, 200, 200])
        yield* drainAll

        const local = yield* orderOf(w.restaurantId)
        assert.strictEqual(local.source, "ubereats")
        assert.strictEqual(local.type, "delivery")
        assert.strictEqual(local.status, "pending")
        assert.strictEqual(local.customerName, "Léa Martin")
        assert.strictEqual(local.customerPhone, "+33 6 98 76 54 32")
        assert.strictEqual(local.total, 24.5)
        assert.strictEqual(local.currency, "EUR")
        assert.deepStrictEqual(local.items, [
          { menuItemId: tatin.id, name: "Tarte Tatin", quantity: 2, unitPrice: 11, options: ["Crème fraîche"] },
          { menuItemId: null, name: "Café", quantity: 1, unitPrice: 2.5, options: [] }
        ])
        // A v2 location is one formatted street address (with the unit); it has no city or postcode of its own.
        assert.deepStrictEqual(local.deliveryAddress, {
          street: "12 rue des Martyrs, 75009 Paris, France, 3e étage",
          city: "Paris",
          postalCode: "75009",
          country: null,
          instructions: "Digicode 4521"
        })
        assert.include(local.notes, "arachides")
        const customers = yield* list(`/api/customers?restaurantId=${w.restaurantId}`)
        assert.strictEqual(customers.length, 1)
        assert.strictEqual(local.customerId, customers[0]!.id)
        assert.strictEqual(customers[0]!.name, "Léa Martin")
        const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=order`)
        assert.deepStrictEqual(mappings.map((m) => [m.entityId, m.externalId]), [[local.id, order.id]])
        const created = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=inbound&status=success`)
        assert.strictEqual(created.filter((l) => l.action === "create").length, 1)
      }))

    it.scoped("eaters behind Uber's shared relay phone number are told apart by name: one customer each, the same one when they order again", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const relay = { phone: "+33 1 00 00 00 00", phone_code: "123 45 678" }
        const order = (first_name: string, last_name: string) =>
          w.sim.placeOrder({
            eater: { first_name, last_name, ...relay },
            items: [{ title: "Burger", quantity: 1, unit_price: 1290 }]
          })
        yield* order("Léa", "Martin")
        yield* order("Hugo", "Bernard")
        yield* order("Léa", "Martin")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const orders = yield* list(`/api/orders?restaurantId=${w.restaurantId}`)
        const customers = yield* list(`/api/customers?restaurantId=${w.restaurantId}`)
        assert.strictEqual(orders.length, 3)
        assert.sameMembers(customers.map((c) => c.name), ["Léa Martin", "Hugo Bernard"])
        const nameOf = new Map(customers.map((c) => [c.id, c.name]))
        for (const o of orders) {
          assert.strictEqual(nameOf.get(o.customerId), o.customerName, "each order's customer is its eater")
        }
      }))

    it.scoped("a bad or missing X-Uber-Signature gets 401 and changes nothing: no job, no fetch, no order", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        yield* w.sim.setWebhookUrl(null)
        const order = yield* w.sim.placeOrder({ eater, items: [{ title: "Burger", quantity: 1, unit_price: 1290 }] })
        const body = JSON.stringify({
          event_id: crypto.randomUUID(),
          event_time: Math.floor(Date.now() / 1000),
          event_type: "orders.notification",
          meta: { user_id: w.storeId, resource_id: order.id, status: "pos" },
          resource_href: `${w.sim.url}/v2/eats/order/${order.id}`
        })
        const sign = (secret: string) => createHmac("sha256", secret).update(body).digest("hex")
        const missing = yield* request("POST", "/api/webhooks/ubereats", undefined, { rawBody: body })
        const forged = yield* request("POST", "/api/webhooks/ubereats", undefined, {
          rawBody: body,
          headers: { "x-uber-signature": sign("not-the-client-secret") }
        })
        const garbled = yield* request("POST", "/api/webhooks/ubereats", undefined, {
          rawBody: body,
          headers: { "x-uber-signature": "deadbeef" }
        })
        // A body changed after Uber signed it.
        const tampered = yield* request("POST", "/api/webhooks/ubereats", undefined, {
          rawBody: body.replace("orders.notification", "orders.cancel"),
          headers: { "x-uber-signature": sign(w.sim.clientSecret) }
        })
        assert.deepStrictEqual([missing.status, forged.status, garbled.status, tampered.status], [401, 401, 401, 401])
        assert.strictEqual((forged.body as Body)._tag, "Unauthorized")
        const queue = yield* SyncJobQueue
        assert.deepStrictEqual(yield* queue.counts(), { pending: 0, retrying: 0, dead: 0 })
        yield* drainAll
        assert.deepStrictEqual(yield* list(`/api/orders?restaurantId=${w.restaurantId}`), [])
        const orders = yield* OrderRepository
        assert.strictEqual(
          (yield* orders.list({ restaurantId: w.restaurantId as never, limit: 10, offset: 0 })).total,
          0
        )
        assert.strictEqual(
          (yield* w.sim.counters).requestsByRoute["GET /v2/eats/order/{orderId}"] ?? 0,
          0,
          "nothing was fetched"
        )

        // The same delivery rightly signed is taken: the rejections above were about the signature only.
        const signed = yield* request("POST", "/api/webhooks/ubereats", undefined, {
          rawBody: body,
          headers: { "x-uber-signature": sign(w.sim.clientSecret) }
        })
        assert.strictEqual(signed.status, 200, signed.text)
        yield* drainAll
        assert.strictEqual((yield* orderOf(w.restaurantId)).source, "ubereats")
      }))

    it.scoped("accepting locally calls accept_pos_order once; ready needs no call; an Uber-side cancel arrives as cancelled; nothing goes backwards", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const { uber, local } = yield* placed(w)
        assert.strictEqual(local.status, "pending")
        yield* patchOrder(local.id, "accepted")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(uber.id)).current_state, "ACCEPTED")
        assert.strictEqual((yield* w.sim.counters).requestsByRoute[ACCEPT], 1)

        yield* patchOrder(local.id, "ready")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(uber.id)).current_state, "ACCEPTED")
        assert.strictEqual((yield* w.sim.counters).requestsByRoute[ACCEPT], 1, "accepted once, not again for ready")

        // A late event about the order (Uber reads ACCEPTED) must not undo our "ready".
        yield* w.sim.notify(uber.id, "orders.release")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        assert.strictEqual(((yield* request("GET", `/api/orders/${local.id}`)).body as Body).status, "ready")

        yield* w.sim.cancelOrder(uber.id)
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const cancelled = (yield* request("GET", `/api/orders/${local.id}`)).body as Body
        assert.strictEqual(cancelled.status, "cancelled")

        // The notification delivered again later (Uber reads CANCELED) changes nothing.
        yield* w.sim.notify(uber.id, "orders.notification")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const after = (yield* request("GET", `/api/orders/${local.id}`)).body as Body
        assert.strictEqual(after.status, "cancelled")
        assert.strictEqual(after.version, cancelled.version)
        assert.deepStrictEqual(yield* failures(w.restaurantId), [])
      }))

    it.scoped("an order never goes back to pending: the API refuses it, and one set so by hand stays where Uber has it; a failed status push names the order and the status sent", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const { uber, local } = yield* placed(w)
        const newestPush = Effect.map(
          list(`/api/sync/logs?restaurantId=${w.restaurantId}&entityId=${String(local.id)}&direction=outbound`),
          (lines) => lines[0]
        )
        yield* patchOrder(local.id, "accepted")
        yield* drainAll
        const back = yield* request("PATCH", `/api/orders/${local.id}`, { status: "pending" })
        assert.strictEqual(back.status, 400)
        assert.deepStrictEqual((back.body as Body).issues, [{
          path: "status",
          message: "an order cannot go back to pending once accepted"
        }])
        assert.strictEqual(((yield* request("GET", `/api/orders/${local.id}`)).body as Body).status, "accepted")
        // Written below the API (a restore, an edit in the database), it is not pushed as if Uber had it.
        yield* (yield* OrderRepository).update(String(local.id), { status: "pending" }, undefined, { queuePush: true })
        yield* drainAll
        assert.deepInclude(yield* newestPush, {
          action: "status_change",
          status: "skipped",
          externalId: uber.id,
          errorMessage: "an order cannot go back to pending on ubereats: it stays accepted"
        })
        assert.strictEqual((yield* w.sim.order(uber.id)).current_state, "ACCEPTED")

        // Longer than the call's own retries within one attempt.
        yield* w.sim.setFaults({ failNext: 20, failStatus: 503 })
        yield* patchOrder(local.id, "cancelled")
        yield* drainAll
        yield* w.sim.clearFaults
        const failed = yield* newestPush
        assert.deepInclude(failed, { action: "status_change", status: "retry", externalId: uber.id })
        assert.deepStrictEqual(failed?.requestPayload, { status: "cancelled" })
      }))

    it.scoped("a local deny refuses a new order; a local cancel of an accepted order cancels it on Uber", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const first = yield* placed(w)
        yield* patchOrder(first.local.id, "denied")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(first.uber.id)).current_state, "DENIED")

        const second = yield* placed(w)
        yield* patchOrder(second.local.id, "accepted")
        yield* drainAll
        yield* patchOrder(second.local.id, "cancelled")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(second.uber.id)).current_state, "CANCELED")
        const counters = (yield* w.sim.counters).requestsByRoute
        assert.deepStrictEqual([counters[DENY], counters[ACCEPT], counters[CANCEL]], [1, 1, 1])
        assert.deepStrictEqual(yield* failures(w.restaurantId), [])
        // Our own changes are never taken back by what Uber says afterwards.
        assert.strictEqual(((yield* request("GET", `/api/orders/${first.local.id}`)).body as Body).status, "denied")
        assert.strictEqual(((yield* request("GET", `/api/orders/${second.local.id}`)).body as Body).status, "cancelled")

        // Cancelling a new order is a deny on Uber: Uber's DENIED, read back later, does not replace our cancelled.
        const third = yield* placed(w)
        yield* patchOrder(third.local.id, "cancelled")
        yield* drainAll
        assert.strictEqual((yield* w.sim.order(third.uber.id)).current_state, "DENIED")
        yield* w.sim.notify(third.uber.id, "orders.notification")
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        assert.strictEqual(((yield* request("GET", `/api/orders/${third.local.id}`)).body as Body).status, "cancelled")
      }))

    it.scoped("a menu of 200 items with options and an offer arrives whole in one upload: prices, allergens, categories and options intact", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const input = bigMenu(w.restaurantId)
        const created = yield* createMenu(input)
        // Issue 20, item 2: a formula (steps of eligible dishes, a price) is published as a bundle;
        // a promotion without steps has no place in an Uber menu and is logged as skipped.
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
        const menu = (yield* w.sim.menu(w.storeId))!
        assert.isNotNull(menu)
        assertUberMenu(menu, created)
        const pushes = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&direction=outbound&status=success`)
        assert.strictEqual(pushes.filter((l) => l.action === "push_menu").length, 1, JSON.stringify(pushes))

        // The formula as eaters meet it: one item at its price, one single-choice group per step.
        assert.isDefined(
          menu.items.find((i) => i.external_data === `offer:${formula.id}`),
          "the formula is uploaded as an item"
        )
        const bundle = yield* w.sim.menuItem(w.storeId, `offer:${formula.id}`)
        assert.isNotNull(bundle, "the formula is on the menu")
        assert.strictEqual(bundle!.title, "Formule du midi")
        assert.strictEqual(bundle!.price, 2450)
        assert.deepStrictEqual(
          bundle!.modifierGroups.map((g) => ({
            title: g.title,
            min: g.minPermitted,
            max: g.maxPermitted,
            dishes: g.options.map((o) => [o.externalData, o.title, o.price])
          })),
          [
            { title: "Entrée", min: 1, max: 1, dishes: created.slice(0, 2).map((d) => [d.id, d.name, 0]) },
            { title: "Plat", min: 1, max: 1, dishes: created.slice(2, 5).map((d) => [d.id, d.name, 0]) }
          ]
        )
        const formulas = menu.categories.find((c) => c.entities.some((e) => e.id === bundle!.id))
        assert.isDefined(formulas, "the bundle is listed in a category")
        const skipped = yield* list(`/api/sync/logs?restaurantId=${w.restaurantId}&status=skipped&entityType=offer`)
        assert.deepStrictEqual(skipped.map((l) => [l.entityId, l.platform, l.direction]), [[
          promo.id,
          "ubereats",
          "outbound"
        ]])
        assert.match(skipped[0]!.errorMessage, /promotion without steps/)

        // A burst of edits afterwards is one more upload, carrying the new prices.
        yield* Effect.forEach(
          created.slice(0, 20),
          (item) => request("PATCH", `/api/menu-items/${item.id}`, { price: item.price + 1 }),
          { concurrency: 4 }
        )
        yield* drainAll
        assert.strictEqual(yield* w.menuUploads, 2)
        const again = (yield* w.sim.menu(w.storeId))!
        const first = again.items.find((i) => i.external_data === created[0]!.id)!
        assert.strictEqual(first.price_info.price, Math.round((created[0]!.price + 1) * 100))

        // A deleted item leaves the platform's menu with the next upload.
        assert.strictEqual((yield* request("DELETE", `/api/menu-items/${created[1]!.id}`)).status, 204)
        yield* drainAll
        assert.strictEqual(yield* w.menuUploads, 3)
        const after = (yield* w.sim.menu(w.storeId))!
        assert.isUndefined(after.items.find((i) => i.external_data === created[1]!.id))
        assert.isDefined(after.items.find((i) => i.external_data === created[0]!.id))
      }))

    it.scoped("two restaurants editing their menus at the same time each get their own menu uploaded", () =>
      Effect.gen(function*() {
        const a = yield* uberWorld()
        const b = yield* uberWorld()
        const menuA = yield* createMenu(bigMenu(a.restaurantId, 5))
        const menuB = yield* createMenu(bigMenu(b.restaurantId, 7))
        yield* drainAll
        const uploadedA = (yield* a.sim.menu(a.storeId))?.items.filter((i) =>
          i.external_data !== undefined
        ).map((i) => i.external_data) ?? []
        const uploadedB = (yield* b.sim.menu(b.storeId))?.items.filter((i) =>
          i.external_data !== undefined
        ).map((i) =>
          i.external_data
        ) ?? []
        assert.sameMembers(uploadedA, menuA.map((i) => i.id))
        assert.sameMembers(uploadedB, menuB.map((i) => i.id))
      }))

    it.scoped("store status: pausing through the API pauses the store on Uber and reads back, a past or misplaced end is refused, each change audited; Zenchef has no store and answers 409", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const path = `/api/platform-configs/${w.config.id}/store-status`
        assert.deepStrictEqual((yield* request("GET", path)).body, { status: "open" })
        const paused = yield* put(path, { status: "paused" })
        assert.strictEqual(paused.status, 200, paused.text)
        assert.deepStrictEqual(paused.body, { status: "paused" })
        assert.strictEqual((yield* w.sim.storeStatus(w.storeId)).status, "PAUSED")
        // Read back with Uber's reason: a store closed for the night would say OUT_OF_MENU_HOURS.
        assert.deepStrictEqual((yield* request("GET", path)).body, { status: "paused", reason: "PAUSED_BY_RESTAURANT" })

        const until = new Date(Date.now() + 3_600_000).toISOString()
        yield* put(path, { status: "open" })
        assert.strictEqual((yield* w.sim.storeStatus(w.storeId)).status, "ONLINE")
        yield* put(path, { status: "paused", until })
        const timed = yield* w.sim.storeStatus(w.storeId)
        assert.strictEqual(timed.status, "PAUSED")
        assert.strictEqual(timed.pausedUntil, Date.parse(until))

        // A pause that would already be over, and an opening with an end, are refused; Uber keeps its pause.
        const past = yield* put(path, { status: "paused", until: "2020-01-01T00:00:00Z" })
        assert.strictEqual(past.status, 400, past.text)
        assert.deepStrictEqual(past.body, {
          _tag: "ValidationError",
          message: "until: must be in the future",
          issues: [{ path: "until", message: "must be in the future" }]
        })
        // Without its offset, "21:00" would be read in the server's zone, not the restaurant's.
        const local = yield* put(path, { status: "paused", until: "2030-01-01T21:00:00" })
        assert.deepStrictEqual((local.body as { issues: unknown }).issues, [
          { path: "until", message: "must be an ISO 8601 date-time with an offset, e.g. 2025-06-07T19:30:00Z" }
        ])
        const openUntil = yield* put(path, { status: "open", until })
        assert.strictEqual(openUntil.status, 400, openUntil.text)
        assert.deepStrictEqual((openUntil.body as { issues: unknown }).issues, [
          { path: "until", message: "only a pause has an end: leave it out to open the store" }
        ])
        assert.deepStrictEqual(yield* w.sim.storeStatus(w.storeId), timed)

        // Each change says who made it, newest first.
        const audit = (yield* request("GET", "/api/admin/audit?limit=500")).body as {
          items: ReadonlyArray<{ action: string; target: string; restaurantId: string; detail: string }>
        }
        assert.deepStrictEqual(
          audit.items.filter((e) => e.target === w.config.id && e.action === "store.status_set").map((e) => e.detail),
          [`paused until ${until}`, "open", "paused"]
        )
        assert.isTrue(audit.items.every((e) => e.target !== w.config.id || e.restaurantId === w.restaurantId))

        const z = yield* zenchefWorld()
        const zPath = `/api/platform-configs/${z.config.id}/store-status`
        assert.strictEqual((yield* request("GET", zPath)).status, 409)
        assert.strictEqual((yield* put(zPath, { status: "paused" })).status, 409)
        assert.strictEqual(
          (yield* request("GET", "/api/platform-configs/00000000-0000-4000-8000-000000000000/store-status")).status,
          404
        )
      }))
  })
})

/** The upload as the simulator kept it, read apart from the connector's mapper. */
const assertUberMenu = (menu: UberSimMenu, created: ReadonlyArray<Body>) => {
  const title = (t: { readonly translations: Readonly<Record<string, string>> } | undefined) => t?.translations["en_us"]
  const byId = new Map(menu.items.map((i) => [i.id, i]))
  const groups = new Map(menu.modifier_groups.map((g) => [g.id, g]))
  const categoryOf = new Map(menu.categories.flatMap((c) => c.entities.map((e) => [e.id, title(c.title)] as const)))
  // Bundles (formulas) carry `offer:<id>`; the dishes carry their own id.
  const listed = menu.items.filter((i) => categoryOf.has(i.id) && !(i.external_data ?? "").startsWith("offer:"))
  assert.strictEqual(listed.length, 200, "every item, in a category")
  assert.strictEqual(menu.categories.filter((c) => c.entities.some((e) => listed.some((i) => i.id === e.id))).length, 8)
  assert.sameMembers([...menu.menus[0]!.category_ids], menu.categories.map((c) => c.id))
  for (const local of created) {
    const item = listed.find((i) => i.external_data === local.id)
    assert.isDefined(item, `item ${local.name}`)
    assert.strictEqual(title(item!.title), local.name)
    assert.strictEqual(item!.price_info.price, Math.round(local.price * 100), local.name)
    assert.deepStrictEqual(item!.dish_info?.classifications?.allergens ?? [], local.allergens, local.name)
    assert.strictEqual(categoryOf.get(item!.id), local.category)
    assert.strictEqual(
      (item!.suspension_info?.suspension?.suspend_until ?? 0) > Date.now() / 1000,
      !local.isAvailable,
      `${local.name} availability`
    )
    const options = (item!.modifier_group_ids?.ids ?? []).map((id) => groups.get(id)!)
    assert.deepStrictEqual(
      options.map((g) => ({
        name: title(g.title),
        required: (g.quantity_info?.quantity?.min_permitted ?? 0) >= 1,
        maxChoices: g.quantity_info?.quantity?.max_permitted,
        choices: g.modifier_options.map((o) => ({
          name: title(byId.get(o.id)?.title),
          priceDelta: (byId.get(o.id)?.price_info.price ?? -1) / 100
        }))
      })),
      local.options,
      `${local.name} options`
    )
  }
}
