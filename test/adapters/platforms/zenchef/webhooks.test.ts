import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { zenchefWebhooks } from "../../../../src/adapters/platforms/zenchef/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"

// Computed here by hand, not with the connector's or the simulator's code.
const keyBytes = Buffer.from("a-shared-key-of-32-bytes-length!")
const secret = Redacted.make(`whsec_${keyBytes.toString("base64")}`)
const now = new Date("2025-06-01T18:03:30Z")
const nowSeconds = Math.floor(now.getTime() / 1000)

const sign = (id: string, ts: number, body: string, key: Buffer = keyBytes) =>
  `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`

const envelope = (event: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    event,
    eventId: "evt-body-1",
    occurredAt: "2025-06-01T18:03:11Z",
    restaurantUid: "a1b2c3d4",
    settings: { serverSettings: { companyIdentifier: "ACME-12" } },
    booking: {
      uid: "Xk29fQ",
      status: "ACCEPTED",
      bookingDateTime: "2025-06-07T19:30:00",
      bookingDuration: 120,
      numberOfPeople: 4,
      firstName: "Ana",
      lastName: "Ruiz",
      externalReferenceId: "resa-8841",
      source: "alloresto",
      tables: [{ id: 12, name: "T12", areaId: 3 }]
    },
    ...over
  })

const signed = (body: string, options: { id?: string; ts?: number; signature?: string } = {}): InboundRequest => {
  const id = options.id ?? "msg_1"
  const ts = options.ts ?? nowSeconds
  return {
    headers: {
      "webhook-id": id,
      "webhook-timestamp": String(ts),
      "webhook-signature": options.signature ?? sign(id, ts, body)
    },
    query: {},
    rawBody: body
  }
}

const rejection = (req: InboundRequest, s = secret, credentials?: Record<string, unknown>) =>
  Effect.flip(zenchefWebhooks.authenticate(req, s, now, credentials))

describe("zenchef webhooks: Standard Webhooks verification", () => {
  it.effect("accepts a delivery signed with the shared secret", () =>
    zenchefWebhooks.authenticate(signed(envelope("booking.changed")), secret, now))

  it.effect("accepts any matching signature among several (secret rotation)", () =>
    Effect.gen(function*() {
      const body = envelope("booking.changed")
      const old = sign("msg_1", nowSeconds, body, Buffer.from("the-previous-key-of-32-bytes-xx!"))
      yield* zenchefWebhooks.authenticate(
        signed(body, { signature: `${old} ${sign("msg_1", nowSeconds, body)}` }),
        secret,
        now
      )
    }))

  it.effect("rejects a tampered body", () =>
    Effect.gen(function*() {
      const req = signed(envelope("booking.changed"))
      const e = yield* rejection({
        ...req,
        rawBody: req.rawBody.replace("\"numberOfPeople\":4", "\"numberOfPeople\":40")
      })
      assert.strictEqual(e.reason, "unauthenticated")
    }))

  it.effect("rejects a stale timestamp and one from the future, beyond five minutes", () =>
    Effect.gen(function*() {
      const body = envelope("booking.changed")
      assert.strictEqual((yield* rejection(signed(body, { ts: nowSeconds - 301 }))).reason, "unauthenticated")
      assert.strictEqual((yield* rejection(signed(body, { ts: nowSeconds + 301 }))).reason, "unauthenticated")
      yield* zenchefWebhooks.authenticate(signed(body, { ts: nowSeconds - 299 }), secret, now)
    }))

  it.effect("rejects another secret, a missing signature and another message id", () =>
    Effect.gen(function*() {
      const body = envelope("booking.changed")
      const other = Redacted.make(`whsec_${Buffer.from("another-key-of-thirty-two-bytes!").toString("base64")}`)
      assert.strictEqual((yield* rejection(signed(body), other)).reason, "unauthenticated")
      const { "webhook-signature": _, ...unsigned } = signed(body).headers
      assert.strictEqual((yield* rejection({ headers: unsigned, query: {}, rawBody: body })).reason, "unauthenticated")
      const replayed = signed(body)
      assert.strictEqual(
        (yield* rejection({ ...replayed, headers: { ...replayed.headers, "webhook-id": "msg_2" } })).reason,
        "unauthenticated"
      )
    }))

  it.effect("does not accept a URL token in place of a signature when the config says standard", () =>
    Effect.gen(function*() {
      const req = { headers: {}, query: { token: Redacted.value(secret) }, rawBody: envelope("booking.changed") }
      assert.strictEqual((yield* rejection(req, secret, { webhookSigning: "standard" })).reason, "unauthenticated")
      assert.strictEqual((yield* rejection(req, secret)).reason, "unauthenticated")
    }))
})

describe("zenchef webhooks: URL token", () => {
  const token = Redacted.make("plain-shared-token-0123456789abcdef-123")
  const credentials = { apiKey: "k", restaurantUid: "a1b2c3d4", webhookSigning: "url-token" }
  const req = (query: Record<string, string>): InboundRequest => ({
    headers: {},
    query,
    rawBody: envelope("booking.created")
  })

  it.effect("accepts the configured token and rejects a wrong or missing one", () =>
    Effect.gen(function*() {
      yield* zenchefWebhooks.authenticate(
        req({ token: "plain-shared-token-0123456789abcdef-123" }),
        token,
        now,
        credentials
      )
      assert.strictEqual(
        (yield* rejection(req({ token: "plain-shared-token-0123456789abcdef-124" }), token, credentials)).reason,
        "unauthenticated"
      )
      assert.strictEqual((yield* rejection(req({ token: "plain" }), token, credentials)).reason, "unauthenticated")
      assert.strictEqual((yield* rejection(req({}), token, credentials)).reason, "unauthenticated")
    }))
})

describe("zenchef webhooks: parsing", () => {
  it.effect("finds the restaurant in the body, and calls a body without one malformed", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* zenchefWebhooks.restaurantOf(signed(envelope("booking.created"))), "a1b2c3d4")
      const e = yield* Effect.flip(zenchefWebhooks.restaurantOf({ headers: {}, query: {}, rawBody: "{not json" }))
      assert.strictEqual(e.reason, "malformed")
    }))

  it.effect("maps every Zenchef event to its neutral type", () =>
    Effect.gen(function*() {
      const expected = {
        "booking.created": "reservation.created",
        "booking.accepted": "reservation.updated",
        "booking.changed": "reservation.updated",
        "booking.canceled": "reservation.cancelled",
        "booking.checkin": "reservation.status_changed",
        "booking.checkout": "reservation.status_changed"
      }
      for (const [event, type] of Object.entries(expected)) {
        const [parsed] = yield* zenchefWebhooks.parse(signed(envelope(event)), now)
        assert.strictEqual(parsed?.eventType, type, event)
      }
    }))

  it.effect("builds the neutral event: ids, our reference, restaurant-local time in the config's timezone", () =>
    Effect.gen(function*() {
      const events = yield* zenchefWebhooks.parse(signed(envelope("booking.changed"), { id: "msg_42" }), now, {
        apiKey: "k",
        restaurantUid: "a1b2c3d4",
        timezone: "America/New_York"
      })
      assert.strictEqual(events.length, 1)
      const [e] = events
      assert.strictEqual(e?.platform, "zenchef")
      assert.strictEqual(e?.eventId, "msg_42")
      assert.strictEqual(e?.externalRestaurantId, "a1b2c3d4")
      assert.strictEqual(e?.externalId, "Xk29fQ")
      assert.strictEqual(e?.externalReferenceId, "resa-8841")
      assert.strictEqual(e?.occurredAt, "2025-06-01T18:03:11.000Z")
      assert.strictEqual(e?.reservation?.reservationTime, "2025-06-07T23:30:00.000Z")
      assert.deepStrictEqual(e?.reservation?.tableExternalIds, ["12"])
      assert.strictEqual(e?.reservation?.diningRoomExternalId, "3")
    }))

  it.effect("takes the body's eventId when there is no webhook-id header", () =>
    Effect.gen(function*() {
      const [e] = yield* zenchefWebhooks.parse({ headers: {}, query: {}, rawBody: envelope("booking.changed") }, now)
      assert.strictEqual(e?.eventId, "evt-body-1")
    }))

  it.effect("accepts the design document's reference names", () =>
    Effect.gen(function*() {
      const body = envelope("booking.changed", {
        booking: {
          uid: "B1",
          status: "ACCEPTED",
          bookingDateTime: "2025-06-07T19:30:00",
          numberOfPeople: 2,
          service_uid: "svc-1",
          section_uid: "sec-1",
          offer_uid: "off-1",
          tables: [{ uid: "tbl-1" }]
        }
      })
      const [e] = yield* zenchefWebhooks.parse(signed(body), now)
      assert.strictEqual(e?.reservation?.serviceExternalId, "svc-1")
      assert.strictEqual(e?.reservation?.diningRoomExternalId, "sec-1")
      assert.strictEqual(e?.reservation?.offerExternalId, "off-1")
      assert.deepStrictEqual(e?.reservation?.tableExternalIds, ["tbl-1"])
    }))

  it.effect("calls a body that is not an envelope malformed", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(
        zenchefWebhooks.parse({ headers: {}, query: {}, rawBody: JSON.stringify({ event: "booking.created" }) }, now)
      )
      assert.strictEqual(e.reason, "malformed")
    }))
})
