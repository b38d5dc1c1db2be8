import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { theforkWebhooks } from "../../../../src/adapters/platforms/thefork/webhooks.js"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    entityType: "reservation",
    eventType: "reservationUpdated",
    uuid: "7d0c2b9e-1f4a-4e58-9a43-2c1b7e5d9f10",
    groupUuid: "5e1a8c33-0b7d-4f2e-8c91-6a2f4d3b1e07",
    restaurantUuid: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
    ...over
  })

const delivery = (token: string | undefined, rawBody = body()): InboundRequest => ({
  headers: {},
  query: token === undefined ? {} : { token },
  rawBody
})

const secret = Redacted.make("s3cret-url-token-0123456789abcdef")
const now = new Date("2030-01-01T00:00:00Z")

describe("thefork webhooks", () => {
  it.effect("authenticate by the URL token only, in constant time: right passes, wrong, longer or missing fail", () =>
    Effect.gen(function*() {
      yield* theforkWebhooks.authenticate(delivery("s3cret-url-token-0123456789abcdef"), secret, now)
      for (
        const token of [
          "s3cret-url-token-0123456789abcdeF",
          "s3cret-url-token-0123456789abcdef-and-more",
          "",
          undefined
        ]
      ) {
        const rejected = yield* Effect.flip(theforkWebhooks.authenticate(delivery(token), secret, now))
        assert.strictEqual(rejected.reason, "unauthenticated")
      }
    }))

  it.effect("route by restaurantUuid; a customer event (group only) cannot be routed", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* theforkWebhooks.restaurantOf(delivery("t")), "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48")
      const customer = delivery(
        "t",
        body({ entityType: "customer", eventType: "customerCreated", restaurantUuid: undefined })
      )
      assert.strictEqual((yield* Effect.flip(theforkWebhooks.restaurantOf(customer))).reason, "malformed")
      assert.strictEqual(
        (yield* Effect.flip(theforkWebhooks.restaurantOf(delivery("t", "not json")))).reason,
        "malformed"
      )
    }))

  it.effect("parse a thin event: needs a fetch, carries no record", () =>
    Effect.gen(function*() {
      const [event] = yield* theforkWebhooks.parse(delivery("t", body({ eventType: "reservationCreated" })), now)
      assert.deepInclude(event, {
        platform: "thefork",
        eventType: "reservation.created",
        externalId: "7d0c2b9e-1f4a-4e58-9a43-2c1b7e5d9f10",
        externalRestaurantId: "b8f2d4a1-93c6-4e0f-a7d5-1c9e3b6f2a48",
        needsFetch: true,
        eventId: "thefork:7d0c2b9e-1f4a-4e58-9a43-2c1b7e5d9f10:reservationCreated"
      })
      assert.isUndefined(event?.reservation)
    }))

  it.effect("a creation is deduped by uuid + eventType; updates stay distinct, since each may carry a new state", () =>
    Effect.gen(function*() {
      const created = delivery("t", body({ eventType: "reservationCreated" }))
      const later = new Date(now.getTime() + 1000)
      const [a] = yield* theforkWebhooks.parse(created, now)
      const [b] = yield* theforkWebhooks.parse(created, later)
      assert.strictEqual(a?.eventId, b?.eventId)
      const [u1] = yield* theforkWebhooks.parse(delivery("t"), now)
      const [u2] = yield* theforkWebhooks.parse(delivery("t"), later)
      assert.strictEqual(u1?.eventType, "reservation.updated")
      assert.notStrictEqual(u1?.eventId, u2?.eventId)
      assert.include(u1?.eventId ?? "", "7d0c2b9e-1f4a-4e58-9a43-2c1b7e5d9f10:reservationUpdated")
    }))

  it.effect("review and customer events are acknowledged with no event", () =>
    Effect.gen(function*() {
      const review = delivery(
        "t",
        body({ entityType: "review", eventType: "reviewRatingCreated", reservationUuid: "x" })
      )
      assert.deepStrictEqual(yield* theforkWebhooks.parse(review, now), [])
    }))
})
