import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Redacted, Ref } from "effect"
import { EgressHttpClientLive } from "../../src/adapters/platforms/shared/egress-client.js"
import { type AppWebhookOptions, deliverAppWebhooksOnce } from "../../src/app/workers/app-webhooks.js"
import type { RestaurantId } from "../../src/domain/ids.js"
import { standardWebhooksKey } from "../../src/domain/webhook-secrets.js"
import { ChangeDeliveries } from "../../src/ports/change-deliveries.js"
import { Receiver, ReceiverLive, receiverSecret, served } from "../support/app-webhook-receiver.js"
import { testEgress, TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { list } from "../support/marketplace-world.js"
import { guest, theforkWorld } from "../support/thefork-world.js"

const Live = Layer.mergeAll(TestServiceLive, ReceiverLive, EgressHttpClientLive(testEgress))

/** Delivery passes until none is due (bounded): one entry per restaurant goes at a time. */
const deliverAll = (options: AppWebhookOptions) =>
  Effect.gen(function*() {
    const pass = deliverAppWebhooksOnce(options, standardWebhooksKey(receiverSecret)!)
    for (let i = 0; i < 20; i++) {
      if ((yield* pass) === 0) return
    }
  })

/**
 * Delivery passes until `done` holds (bounded). The feed hands out an entry only once no older
 * transaction can still commit before it, and the cluster is shared with the other test files:
 * under load an entry the feed read served may reach the delivery queue a pass later.
 */
const deliverUntil = (options: AppWebhookOptions, done: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100; i++) {
      yield* deliverAll(options)
      if (yield* done) return
      yield* Effect.sleep("50 millis")
    }
  })

// Issue 21: what a platform does reaches the main app as Standard Webhooks messages.
describe("a TheFork booking reaches the main app's webhook receiver", () => {
  layer(Live, { excludeTestServices: true, timeout: "120 seconds" })((it) => {
    it.scoped("signed (verified by the standardwebhooks library), in order, once each, across a receiver outage", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        const receiver = yield* Receiver
        const deliveries = yield* ChangeDeliveries
        const sql = yield* SqlClient.SqlClient
        const options: AppWebhookOptions = {
          url: receiver.url,
          secret: Redacted.make(receiverSecret),
          pollInterval: "1 second",
          timeout: "10 seconds",
          leaseMs: 60_000
        }
        yield* deliveries.start
        const restaurantIds = [w.restaurantId as RestaurantId]
        const ofReservations = Effect.map(
          Ref.get(receiver.received),
          (all) => all.filter((m) => m.data.entityType === "reservation")
        )

        // Staff take a booking on TheFork: thin webhook, fetch, local reservation, change-log entry.
        const made = yield* w.sim.staff.create(w.restaurantUuid, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          customer: guest
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [local] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        // The offer the world created, then the booking.
        yield* served(restaurantIds, 2)
        yield* deliverAll(options)
        const first = yield* ofReservations
        assert.deepStrictEqual(
          first.map((m) => [m.data.entityId, m.data.action, m.data.origin, m.data.restaurantId]),
          [[local!.id, "create", "thefork", w.restaurantId]]
        )

        // The main app is down while staff change the party size, then cancel.
        yield* Ref.set(receiver.down, true)
        yield* w.sim.staff.change(w.restaurantUuid, made.reservationUuid, { partySize: 5 })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* w.sim.staff.change(w.restaurantUuid, made.reservationUuid, { status: "CANCELED" })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* served(restaurantIds, 4)
        yield* deliverUntil(options, Effect.map(deliveries.counts, (c) => c.pending >= 2))
        assert.strictEqual((yield* ofReservations).length, 1, "nothing arrives while the receiver is down")
        assert.strictEqual((yield* deliveries.counts).pending, 2)
        // The first retry waits a minute: that wait is skipped, not the attempt.
        const waits = yield* sql<{ readonly seconds: number }>`
          SELECT EXTRACT(EPOCH FROM next_attempt_at - now())::float8 AS seconds
          FROM app_webhook_deliveries WHERE restaurant_id = ${w.restaurantId} AND status = 'pending'`
        assert.isTrue(waits.some((r) => r.seconds > 30), JSON.stringify(waits))
        // Back up first: a delivery made due while it is still down would fail again and wait 5 minutes.
        yield* Ref.set(receiver.down, false)
        yield* sql`UPDATE app_webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE restaurant_id = ${w.restaurantId}`
        yield* deliverUntil(options, Effect.map(ofReservations, (all) => all.length >= 3))
        const all = yield* ofReservations
        const ids = all.map((m) => m.id)
        assert.strictEqual(new Set(ids).size, ids.length, "nothing doubled")
        assert.strictEqual(all.length, 3, "nothing lost")
        const sequences = all.map((m) => m.data.sequence)
        assert.deepStrictEqual(sequences, [...sequences].sort((a, b) => a - b), "in order")
        assert.deepStrictEqual(all.map((m) => m.data.origin), ["thefork", "thefork", "thefork"])
        // Everything received was delivered once. The world's offer precedes the start when the
        // feed had already served it, and is delivered too when a transaction elsewhere in the
        // shared cluster held the feed behind it: either is right, nothing else may appear.
        const received = (yield* Ref.get(receiver.received)).map((m) => `${m.data.entityType}:${m.data.action}`)
        assert.deepStrictEqual(
          received.filter((m) => m !== "offer:create"),
          ["customer:create", "reservation:create", "reservation:update", "reservation:cancel"]
        )
        assert.deepStrictEqual(yield* deliveries.counts, { pending: 0, delivered: received.length, dead: 0 })
      }))
  })
})
