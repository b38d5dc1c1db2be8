import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DeliverooSimulator } from "../../../../src/simulators/deliveroo/index.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { startWebhookReceiver } from "../conformance/webhook-receiver.js"
import { deliverooSeed } from "./harness.js"

/** The simulator's own contract, over raw HTTP (the connector always sends form credentials and valid bodies). */
const call = (url: string, init: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.text()) || "null"
    }
  })

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString()
})

// Live clock: the simulator is a real server whose tokens expire in real time.
describe("deliveroo simulator", () => {
  it.scopedLive("the token endpoint takes Basic credentials as well as form fields, and refuses a wrong secret", () =>
    Effect.gen(function*() {
      const sim = yield* DeliverooSimulator.start()
      const basic = `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString("base64")}`
      const viaBasic = yield* call(sim.tokenUrl, {
        ...form({ grant_type: "client_credentials" }),
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic }
      })
      assert.strictEqual(viaBasic.status, 200)
      assert.deepInclude(JSON.parse(viaBasic.body), { token_type: "Bearer", expires_in: 300 })
      const viaForm = yield* call(
        sim.tokenUrl,
        form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
      )
      assert.strictEqual(viaForm.status, 200)
      const wrong = yield* call(
        sim.tokenUrl,
        form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: "nope" })
      )
      assert.strictEqual(wrong.status, 401)
      assert.strictEqual((yield* sim.counters).tokenRequests, 3)
    }))

  it.scopedLive("PATCH: reject_reason is required; past 5 per minute per order a 429 comes without Retry-After", () =>
    Effect.gen(function*() {
      const sim = yield* DeliverooSimulator.start()
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse(
        (yield* call(
          sim.tokenUrl,
          form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
        )).body
      ) as { access_token: string }
      const patch = (body: unknown) =>
        call(`${sim.url}/order/v1/orders/${encodeURIComponent(order.id)}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
          body: JSON.stringify(body)
        })
      const answers = yield* Effect.forEach(Array.from({ length: 6 }), () => patch({ status: "rejected" }))
      assert.deepStrictEqual(answers.map((a) => a.status), [400, 400, 400, 400, 400, 429])
      assert.isNull(answers[5]?.retryAfter ?? null)
      assert.strictEqual((yield* sim.order(order.id)).status, "placed")
    }))

  it.scopedLive("an expired token is refused with 401 and counted", () =>
    Effect.gen(function*() {
      const sim = yield* DeliverooSimulator.start({ tokenLifetimeSeconds: 1 })
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse(
        (yield* call(
          sim.tokenUrl,
          form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
        )).body
      ) as { access_token: string }
      const get = call(`${sim.url}/order/v2/orders/${encodeURIComponent(order.id)}`, {
        headers: { authorization: `Bearer ${token.access_token}` }
      })
      assert.strictEqual((yield* get).status, 200)
      yield* Effect.sleep("1100 millis")
      assert.strictEqual((yield* get).status, 401)
      assert.strictEqual((yield* sim.counters).expiredTokens, 1)
    }))

  it.scopedLive("refuses what Deliveroo refuses: a GET on the v1 order path (405), an unknown field (400), an invented path (404), each as {error: {code}}", () =>
    Effect.gen(function*() {
      const sim = yield* DeliverooSimulator.start()
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse(
        (yield* call(
          sim.tokenUrl,
          form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
        )).body
      ) as { access_token: string }
      const headers = { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" }
      const id = encodeURIComponent(order.id)
      const v1 = yield* call(`${sim.url}/order/v1/orders/${id}`, { headers })
      assert.strictEqual(v1.status, 405)
      assert.strictEqual((JSON.parse(v1.body) as { error: { code: string } }).error.code, "method_not_allowed")
      assert.strictEqual((yield* call(`${sim.url}/order/v2/orders/${id}`, { headers })).status, 200)
      const extra = yield* call(`${sim.url}/order/v1/orders/${id}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({ status: "accepted", accepted_by: "pos" })
      })
      assert.strictEqual(extra.status, 400)
      assert.strictEqual((JSON.parse(extra.body) as { error: { code: string } }).error.code, "bad_request")
      const site = sim.sites[0]!
      const invented = yield* call(
        `${sim.url}/menu/v1/brands/${site.brandId}/sites/${site.siteId}/menu/item_unavailabilities`,
        { method: "PUT", headers, body: "{}" }
      )
      assert.strictEqual(invented.status, 404)
      assert.strictEqual((yield* sim.order(order.id)).status, "placed")
    }))

  it.scopedLive("an upload is processing, then live: only then do item unavailabilities take, and the Menu Upload Result webhook goes out", () =>
    Effect.gen(function*() {
      const receiver = yield* startWebhookReceiver
      const sim = yield* DeliverooSimulator.start({ menuProcessingMs: 300, menuWebhookUrl: receiver.url })
      const token = JSON.parse(
        (yield* call(
          sim.tokenUrl,
          form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
        )).body
      ) as { access_token: string }
      const headers = { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" }
      const site = sim.sites[0]!
      const upload = {
        name: "Menu",
        site_ids: [site.siteId],
        menu: { items: [{ id: "burger", name: { en: "Burger" } }, { id: "fries", name: { en: "Fries" } }] }
      }
      const put = yield* call(`${sim.url}/menu/v1/brands/${site.brandId}/menus/m1`, {
        method: "PUT",
        headers,
        body: JSON.stringify(upload)
      })
      assert.strictEqual(put.status, 202)
      assert.strictEqual(yield* sim.menuState(site.brandId, "m1"), "processing")
      const unavailabilities = `${sim.url}/menu/v1/brands/${site.brandId}/menus/m1/item_unavailabilities/${site.siteId}`
      const early = yield* call(unavailabilities, {
        method: "PUT",
        headers,
        body: JSON.stringify({ unavailable_ids: ["fries"], hidden_ids: [] })
      })
      assert.strictEqual(early.status, 400)
      yield* Effect.sleep("400 millis")
      assert.strictEqual(yield* sim.menuState(site.brandId, "m1"), "live")
      assert.strictEqual(
        (yield* call(unavailabilities, {
          method: "PUT",
          headers,
          body: JSON.stringify({ unavailable_ids: ["fries"], hidden_ids: [] })
        })).status,
        204
      )
      assert.deepStrictEqual(JSON.parse((yield* call(unavailabilities, { headers })).body), {
        unavailable_ids: ["fries"],
        hidden_ids: []
      })
      const v2 = `${sim.url}/menu/v2/brands/${site.brandId}/sites/${site.siteId}/menu/item_unavailabilities`
      assert.strictEqual(
        (yield* call(v2, {
          method: "POST",
          headers,
          body: JSON.stringify({
            item_unavailabilities: [{ item_id: "fries", status: "available" }, { item_id: "burger", status: "hidden" }]
          })
        })).status,
        204
      )
      assert.deepStrictEqual(yield* sim.unavailableItems(site.siteId), ["burger"])
      const result = yield* receiver.next
      assert.strictEqual(result.headers["x-deliveroo-payload-type"], "webhook_menu")
      assert.deepInclude(JSON.parse(result.rawBody) as object, { event: "menu.upload_result" })
    }))

  it.scopedLive("prep stages go forward only, after acceptance; the site opens and closes through the Site API", () =>
    Effect.gen(function*() {
      const sim = yield* DeliverooSimulator.start()
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder()))
      const token = JSON.parse(
        (yield* call(
          sim.tokenUrl,
          form({ grant_type: "client_credentials", client_id: sim.clientId, client_secret: sim.clientSecret })
        )).body
      ) as { access_token: string }
      const headers = { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" }
      const id = encodeURIComponent(order.id)
      const stage = (stage: string, extra: Record<string, unknown> = {}) =>
        call(`${sim.url}/order/v1/orders/${id}/prep_stage`, {
          method: "POST",
          headers,
          body: JSON.stringify({ stage, occurred_at: new Date().toISOString(), ...extra })
        })
      assert.strictEqual((yield* stage("in_kitchen")).status, 409)
      assert.strictEqual(
        (yield* call(`${sim.url}/order/v1/orders/${id}`, {
          method: "PATCH",
          headers,
          body: JSON.stringify({ status: "accepted" })
        })).status,
        204
      )
      assert.strictEqual((yield* stage("ready_for_collection", { delay: 2 })).status, 400)
      assert.strictEqual((yield* stage("in_kitchen", { delay: 2 })).status, 204)
      assert.strictEqual((yield* stage("ready_for_collection")).status, 204)
      assert.strictEqual((yield* stage("in_kitchen")).status, 409)
      assert.deepStrictEqual((yield* sim.prepStages(order.id)).map((s) => s.stage), [
        "in_kitchen",
        "ready_for_collection"
      ])
      const site = sim.sites[0]!
      const status = `${sim.url}/site/v1/brands/${site.brandId}/sites/${site.siteId}/status`
      assert.deepStrictEqual(JSON.parse((yield* call(status, { headers })).body), { status: "OPEN" })
      assert.strictEqual(
        (yield* call(status, { method: "PUT", headers, body: JSON.stringify({ status: "CLOSED" }) })).status,
        200
      )
      assert.strictEqual(
        (yield* call(status, { method: "PUT", headers, body: JSON.stringify({ status: "PAUSED" }) })).status,
        400
      )
      assert.strictEqual(yield* sim.siteStatus(site.siteId), "CLOSED")
    }))
})
