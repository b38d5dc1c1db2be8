import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { sevenroomsWebhooks } from "../../../../src/adapters/platforms/sevenrooms/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"
import { standardWebhookSignature } from "../../../../src/simulators/kit/webhook-signing.js"

const secret = "whsec_" + Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")
const now = new Date("2030-06-01T18:03:30Z")
const body = (type = "reservation.updated") =>
  JSON.stringify({
    type,
    venue_id: "ahNzfnNl-venue",
    data: {
      id: "ahNzfnNl-res-1",
      date: "2025-06-07",
      arrival_time: "19:30",
      max_guests: 4,
      status: "CANCELED",
      status_simple: "Canceled",
      shift_persistent_id: "dinner-2025",
      table_numbers: ["12"],
      external_id: "alloresto:resa-8841",
      updated: "2030-06-01T18:03:11Z"
    }
  })

const signed = (raw: string, id = "msg_1", at = Math.floor(now.getTime() / 1000)): InboundRequest => ({
  headers: {
    "webhook-id": id,
    "webhook-timestamp": String(at),
    "webhook-signature": standardWebhookSignature(secret, id, at, raw)
  },
  query: {},
  rawBody: raw
})

describe("sevenrooms webhooks (ASSUMPTION: Standard Webhooks)", () => {
  it.effect("verifies the signature and timestamp; a changed body or a stale delivery is refused", () =>
    Effect.gen(function*() {
      const raw = body()
      yield* sevenroomsWebhooks.authenticate(signed(raw), Redacted.make(secret), now)
      const tampered = { ...signed(raw), rawBody: raw.replace("CANCELED", "BOOKED") }
      assert.strictEqual(
        (yield* Effect.flip(sevenroomsWebhooks.authenticate(tampered, Redacted.make(secret), now))).reason,
        "unauthenticated"
      )
      const stale = signed(raw, "msg_1", Math.floor(now.getTime() / 1000) - 600)
      assert.strictEqual(
        (yield* Effect.flip(sevenroomsWebhooks.authenticate(stale, Redacted.make(secret), now))).reason,
        "unauthenticated"
      )
    }))

  it.effect("routes by venue_id and parses the full reservation, keyed by webhook-id", () =>
    Effect.gen(function*() {
      const req = signed(body("reservation.cancelled"), "msg_42")
      assert.strictEqual(yield* sevenroomsWebhooks.restaurantOf(req), "ahNzfnNl-venue")
      const [event] = yield* sevenroomsWebhooks.parse(req, now, { timezone: "Europe/Paris" })
      assert.deepInclude(event, {
        platform: "sevenrooms",
        eventId: "sevenrooms:msg_42",
        eventType: "reservation.cancelled",
        externalId: "ahNzfnNl-res-1",
        externalRestaurantId: "ahNzfnNl-venue",
        externalReferenceId: "resa-8841",
        occurredAt: "2030-06-01T18:03:11.000Z"
      })
      assert.strictEqual(event?.reservation?.reservationTime, "2025-06-07T17:30:00.000Z")
      assert.strictEqual(event?.reservation?.status, "cancelled")
      assert.deepStrictEqual(event?.reservation?.tableExternalIds, ["12"])
    }))

  it.effect("a body without venue_id or reservation is malformed", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* Effect.flip(sevenroomsWebhooks.restaurantOf(signed("{}")))).reason, "malformed")
      const noData = signed(JSON.stringify({ type: "reservation.created", venue_id: "v" }))
      assert.strictEqual((yield* Effect.flip(sevenroomsWebhooks.parse(noData, now))).reason, "malformed")
    }))
})
