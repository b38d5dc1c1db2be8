import { Context, Data, type Effect, Schema } from "effect"
import type { RestaurantScope } from "../domain/access.js"
import { ChangeEntry } from "../domain/changes.js"

/**
 * Issue 21: the outgoing webhooks to the main app. Entries of the feed are queued for delivery in
 * feed order; a restaurant's deliveries go one at a time, in that order, each retried on the
 * platform pushes' schedule (R-8.1) and dead-lettered after the last retry.
 */

export const DeliveryStatus = Schema.Literal("pending", "delivered", "dead")
export type DeliveryStatus = typeof DeliveryStatus.Type

export const AppWebhookDelivery = Schema.Struct({
  entry: ChangeEntry,
  status: DeliveryStatus,
  attempts: Schema.Number,
  nextAttemptAt: Schema.String,
  lastError: Schema.NullOr(Schema.String),
  deliveredAt: Schema.NullOr(Schema.String)
})
export type AppWebhookDelivery = typeof AppWebhookDelivery.Type

export const DeliveryCounts = Schema.Struct({ pending: Schema.Number, delivered: Schema.Number, dead: Schema.Number })
export type DeliveryCounts = typeof DeliveryCounts.Type

export class DeliveryNotFound extends Data.TaggedError("DeliveryNotFound")<{ readonly sequence: number }> {}

export class ChangeDeliveries extends Context.Tag("ChangeDeliveries")<ChangeDeliveries, {
  /** Starts the queue at the feed's current end if it has no position yet: deliveries begin "from now on". */
  readonly start: Effect.Effect<void>
  /** Queues the next entries of the feed (at most `limit`), due `now`, and moves the queue's position past them. */
  readonly enqueueFromFeed: (limit: number, now: Date) => Effect.Effect<number>
  /**
   * Claims, for `leaseMs`, the first pending delivery of each restaurant whose attempt is due: one
   * in flight per restaurant, so a restaurant's entries arrive in order.
   */
  readonly claimDue: (now: Date, leaseMs: number, limit: number) => Effect.Effect<ReadonlyArray<AppWebhookDelivery>>
  readonly markDelivered: (sequence: number, at: Date) => Effect.Effect<void>
  /** A failed attempt: retried at `retryAt`, or dead when there is none. */
  readonly markFailed: (sequence: number, error: string, retryAt: Date | null) => Effect.Effect<void>
  readonly list: (query: {
    readonly status: DeliveryStatus
    readonly restaurantIds: RestaurantScope
    readonly limit: number
  }) => Effect.Effect<ReadonlyArray<AppWebhookDelivery>>
  /** A dead letter back in the queue, due now, its attempts counted afresh. */
  readonly replay: (
    sequence: number,
    restaurantIds: RestaurantScope,
    now: Date
  ) => Effect.Effect<void, DeliveryNotFound>
  readonly counts: Effect.Effect<DeliveryCounts>
}>() {}
