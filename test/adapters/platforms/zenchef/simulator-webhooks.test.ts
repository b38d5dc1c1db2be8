import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import type { ZenchefSimulatorOptions } from "../../../../src/simulators/zenchef/index.js"
import { ZenchefSimulator } from "../../../../src/simulators/zenchef/index.js"
import type { ReceivedWebhook } from "./simulator-support.js"
import { call, envelopeOf, fields, KEY, newBooking, RESTAURANT, webhookReceiver } from "./simulator-support.js"

const SECRET_KEY = Buffer.from("a shared secret of 32 bytes!!!!!")
const SECRET = `whsec_${SECRET_KEY.toString("base64")}`

/** An independent Standard Webhooks check, written from the spec rather than from the simulator. */
const verifyStandard = (webhook: ReceivedWebhook) => {
  const id = String(webhook.headers["webhook-id"])
  const timestamp = String(webhook.headers["webhook-timestamp"])
  const expected = createHmac("sha256", SECRET_KEY).update(`${id}.${timestamp}.${webhook.body}`).digest()
  const signatures = String(webhook.headers["webhook-signature"]).split(" ")
  return signatures.some((value) => {
    const [version, signature] = value.split(",")
    const given = Buffer.from(signature ?? "", "base64")
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)
  })
}

const withReceiver = (
  statuses: ReadonlyArray<number>,
  signing: "standard" | "url-token" | "none",
  options: ZenchefSimulatorOptions = {}
) =>
  Effect.gen(function*() {
    const receiver = yield* webhookReceiver(statuses)
    const sim = yield* ZenchefSimulator.start({
      restaurants: [{ uid: RESTAURANT, apiKeys: [KEY], webhook: { url: receiver.url, secret: SECRET, signing } }],
      webhookRetry: { initialDelayMs: 20, maxAttempts: 3 },
      ...options
    })
    const create = (body: Record<string, unknown> = {}) =>
      Effect.map(call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking(body) }), (r) =>
        String(fields(r)["uid"]))
    return { receiver, sim, create }
  })

describe("Zenchef simulator: webhooks", () => {
  it.scopedLive("signs deliveries with Standard Webhooks and sends the full booking in the envelope", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([], "standard")
      const uid = yield* create()
      yield* sim.webhooks.flush
      const [webhook] = yield* receiver.received
      assert.isDefined(webhook)
      if (webhook === undefined) return
      assert.isTrue(verifyStandard(webhook))
      assert.isFalse(verifyStandard({ ...webhook, body: webhook.body.replace("Ana", "Ann") }))
      assert.approximately(Number(webhook.headers["webhook-timestamp"]), Date.now() / 1000, 10)
      assert.strictEqual(webhook.headers["content-type"], "application/json")
      const envelope = envelopeOf(webhook)
      assert.strictEqual(envelope.event, "booking.created")
      assert.strictEqual(envelope.eventId, webhook.headers["webhook-id"])
      assert.strictEqual(envelope.restaurantUid, RESTAURANT)
      assert.deepStrictEqual(envelope.settings, { serverSettings: { companyIdentifier: "SIM-1" } })
      assert.deepStrictEqual(envelope.booking, yield* sim.booking(RESTAURANT, uid))
      assert.match(envelope.occurredAt, /Z$/)
    }))

  it.scopedLive("url-token mode puts the secret in the query string and signs nothing", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([], "url-token")
      yield* create()
      yield* sim.webhooks.flush
      const [webhook] = yield* receiver.received
      assert.strictEqual(new URL(webhook?.url ?? "", "http://x").searchParams.get("token"), SECRET)
      assert.isUndefined(webhook?.headers["webhook-signature"])
    }))

  it.scopedLive("retries a failed delivery with the same webhook-id, and gives up after the last attempt", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([500, 503, 200, 500, 500, 500], "standard")
      yield* create()
      yield* sim.webhooks.flush
      const firstRound = yield* receiver.received
      assert.strictEqual(firstRound.length, 3)
      assert.strictEqual(new Set(firstRound.map((w) => w.headers["webhook-id"])).size, 1)
      assert.isTrue(firstRound.every(verifyStandard))
      assert.deepInclude((yield* sim.counters).webhooks, {
        attempted: 3,
        succeeded: 1,
        failedAttempts: 2,
        exhausted: 0
      })

      yield* sim.resetCounters
      yield* create()
      yield* sim.webhooks.flush
      assert.deepInclude((yield* sim.counters).webhooks, { attempted: 3, succeeded: 0, exhausted: 1 })
      assert.deepStrictEqual((yield* sim.webhooks.attempts).map((a) => a.attempt), [1, 2, 3])
    }))

  it.scopedLive("duplicate mode sends each delivery twice with the same id", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([], "standard")
      yield* sim.webhooks.configure({ duplicate: true })
      yield* create()
      yield* sim.webhooks.flush
      const received = yield* receiver.received
      assert.strictEqual(received.length, 2)
      assert.strictEqual(received[0]?.headers["webhook-id"], received[1]?.headers["webhook-id"])
      assert.strictEqual(received[0]?.body, received[1]?.body)
    }))

  it.scopedLive("reorder mode holds deliveries and sends them newest first on flush", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([], "standard")
      yield* sim.webhooks.configure({ reorder: true })
      const uid = yield* create()
      yield* sim.platform.update(RESTAURANT, uid, { comments: "birthday" })
      yield* sim.platform.cancel(RESTAURANT, uid)
      yield* Effect.sleep("50 millis")
      assert.strictEqual((yield* receiver.received).length, 0)
      yield* sim.webhooks.flush
      const events = (yield* receiver.received).map((w) => envelopeOf(w).event)
      assert.deepStrictEqual(events, ["booking.canceled", "booking.changed", "booking.created"])
    }))

  it.scopedLive("platform-side changes always raise webhooks; API changes only when switched on", () =>
    Effect.gen(function*() {
      const { receiver, sim, create } = yield* withReceiver([], "none", { mode: { apiChangesEmitWebhooks: false } })
      const uid = yield* create()
      yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkin/${uid}`, { apiKey: KEY })
      yield* sim.webhooks.flush
      assert.strictEqual((yield* receiver.received).length, 0)

      yield* sim.platform.update(RESTAURANT, uid, { numberOfPeople: 7 })
      yield* sim.setMode({ apiChangesEmitWebhooks: true })
      yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkout/${uid}`, { apiKey: KEY })
      yield* call(sim.url, "DELETE", `/${RESTAURANT}/booking/${uid}`, { apiKey: KEY })
      yield* call(sim.url, "DELETE", `/${RESTAURANT}/booking/${uid}`, { apiKey: KEY })
      yield* sim.webhooks.flush
      const received = (yield* receiver.received).map(envelopeOf)
      assert.deepStrictEqual(received.map((e) => e.event), ["booking.changed", "booking.checkout", "booking.canceled"])
      assert.strictEqual(received[0]?.booking["numberOfPeople"], 7)
      assert.isUndefined((yield* receiver.received)[0]?.headers["webhook-signature"])
    }))

  // A TestClock that never moves would stall retries and stamp 1970 timestamps.
  it.scoped(
    "runs on the real clock even inside a TestClock test",
    () =>
      Effect.gen(function*() {
        const { receiver, sim, create } = yield* withReceiver([500], "standard")
        yield* create()
        yield* sim.webhooks.flush
        const received = yield* receiver.received
        assert.strictEqual(received.length, 2)
        assert.approximately(Number(received[1]?.headers["webhook-timestamp"]), Date.now() / 1000, 10)
      }),
    5_000
  )
})
