import { afterAll, assert, beforeAll, describe, layer, vi } from "@effect/vitest"
import { type Duration, Effect, Layer, Redacted, Ref, Schema, TestClock } from "effect"
import { EgressHttpClientLive } from "../../../src/adapters/platforms/shared/egress-client.js"
import { RepositoriesSql } from "../../../src/app/layers.js"
import { type AppWebhookOptions, deliverAppWebhooksOnce } from "../../../src/app/workers/app-webhooks.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { standardWebhooksKey } from "../../../src/domain/webhook-secrets.js"
import { ChangeDeliveries } from "../../../src/ports/change-deliveries.js"
import { withChangeOrigin } from "../../../src/ports/change-feed.js"
import { ReservationRepository, Transactor } from "../../../src/ports/entity-repository.js"
import { Receiver, ReceiverLive, receiverSecret as secret, served } from "../../support/app-webhook-receiver.js"
import { testEgress } from "../../support/app.js"
import { TestDatabaseLive } from "../../support/database.js"
import { samples } from "../../support/samples.js"

const Live = Layer.mergeAll(RepositoriesSql, ReceiverLive, EgressHttpClientLive(testEgress)).pipe(
  Layer.provideMerge(TestDatabaseLive)
)

// The receiver's library checks webhook-timestamp against Date.now(): its clock follows the test's.
beforeAll(() => void vi.useFakeTimers({ toFake: ["Date"] }))
afterAll(() => void vi.useRealTimers())
const adjust = (delay: Duration.DurationInput) =>
  Effect.zipRight(
    TestClock.adjust(delay),
    Effect.flatMap(TestClock.currentTimeMillis, (ms) => Effect.sync(() => vi.setSystemTime(ms)))
  )

const reservationOf = (restaurantId: string, notes: string) =>
  Schema.decodeUnknownSync(E.reservation.Create)({ ...samples.reservation(restaurantId), notes })

describe("webhooks to the main app", () => {
  layer(Live, { timeout: "120 seconds" })((it) => {
    it.effect("platform bookings reach the receiver signed, in order per restaurant, once each, across an outage", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const receiver = yield* Receiver
        const deliveries = yield* ChangeDeliveries
        const reservations = yield* ReservationRepository
        const transactor = yield* Transactor
        const options: AppWebhookOptions = {
          url: receiver.url,
          secret: Redacted.make(secret),
          pollInterval: "1 second",
          timeout: "10 seconds",
          leaseMs: 60_000
        }
        const key = standardWebhooksKey(secret)!
        const pass = deliverAppWebhooksOnce(options, key)
        yield* deliveries.start
        const [a, b] = ["resto-a", "resto-b"].map((r) => `${r}-${crypto.randomUUID().slice(0, 6)}` as RestaurantId)
        const book = (r: string, n: string) =>
          transactor.withTransaction(reservations.create(reservationOf(r, n))).pipe(withChangeOrigin("thefork"))
        yield* book(a!, "a1")
        yield* book(b!, "b1")
        yield* served([a!, b!], 2)
        yield* pass
        assert.deepStrictEqual((yield* Ref.get(receiver.received)).map((m) => m.data.origin), ["thefork", "thefork"])

        // The receiver goes down: attempts fail, later entries of the restaurant wait behind the first.
        yield* Ref.set(receiver.down, true)
        yield* book(a!, "a2")
        yield* book(a!, "a3")
        yield* served([a!], 3)
        yield* pass
        yield* adjust("1 minute")
        yield* pass
        assert.strictEqual((yield* deliveries.counts).pending, 2)
        yield* adjust("5 minutes")
        yield* Ref.set(receiver.down, false)
        yield* pass // a2
        yield* pass // a3, only once a2 is in
        yield* pass // nothing left
        const received = yield* Ref.get(receiver.received)
        const ids = received.map((m) => m.id)
        assert.strictEqual(new Set(ids).size, ids.length, "nothing doubled")
        const ofA = received.filter((m) => m.data.restaurantId === a).map((m) => m.data.sequence)
        assert.strictEqual(ofA.length, 3, "nothing lost")
        assert.deepStrictEqual(ofA, [...ofA].sort((x, y) => x - y), "in order")
        assert.deepStrictEqual(yield* deliveries.counts, { pending: 0, delivered: 4, dead: 0 })
      }))

    it.effect("after the last retry a delivery is dead, listed, and delivered again on replay", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const receiver = yield* Receiver
        const deliveries = yield* ChangeDeliveries
        const reservations = yield* ReservationRepository
        const options: AppWebhookOptions = {
          url: receiver.url,
          secret: Redacted.make(secret),
          pollInterval: "1 second",
          timeout: "10 seconds",
          leaseMs: 60_000
        }
        const pass = deliverAppWebhooksOnce(options, standardWebhooksKey(secret)!)
        yield* deliveries.start
        yield* pass
        const r = `resto-dead-${crypto.randomUUID().slice(0, 6)}` as RestaurantId
        yield* Ref.set(receiver.down, true)
        yield* reservations.create(reservationOf(r, "d1"))
        yield* served([r], 1)
        yield* pass
        for (const delay of ["1 minute", "5 minutes", "30 minutes", "2 hours", "8 hours"] as const) {
          yield* adjust(delay)
          yield* pass
        }
        const dead = yield* deliveries.list({ status: "dead", restaurantIds: [r], limit: 10 })
        assert.strictEqual(dead.length, 1)
        assert.strictEqual(dead[0]!.attempts, 6)
        yield* Ref.set(receiver.down, false)
        yield* deliveries.replay(dead[0]!.entry.sequence, [r], new Date(yield* TestClock.currentTimeMillis))
        yield* pass
        const got = (yield* Ref.get(receiver.received)).filter((m) => m.data.restaurantId === r)
        assert.strictEqual(got.length, 1)
      }))
  })
})
