import { Context, Effect, Layer, Option } from "effect"
import type { WebhookEvent } from "../../domain/dtos.js"
import type { RestaurantId } from "../../domain/ids.js"
import { makeGroupCommit } from "../../ports/group-commit.js"
import { type EventToStore, type StoredEvent, SyncJobQueue } from "../../ports/sync-job-queue.js"
import { traced } from "../../ports/traced.js"
import { currentTraceParent } from "../observability/telemetry.js"

/** A burst is written in statements of at most this many callers, so none grows without bound. */
const maxCallersPerWrite = 500

/**
 * under load: webhook deliveries and polls arriving together are stored by one
 * `enqueueEvents` statement (one round trip, one commit) instead of one each. Nothing waits on
 * a timer: the requests that arrive while a write is in flight make up the next one. A caller
 * is answered only once its events are stored, and fails with its whole write, so the platform
 * gets no 2xx for an event that was not stored.
 */
export class EventInbox extends Context.Tag("EventInbox")<EventInbox, {
  /** Results in the order of `events`, as `SyncJobQueue.enqueueEvents` gives them. */
  readonly store: (
    restaurantId: RestaurantId,
    events: ReadonlyArray<WebhookEvent>
  ) => Effect.Effect<ReadonlyArray<StoredEvent>>
}>() {}

export const EventInboxLive = Layer.scoped(
  EventInbox,
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    // One write at a time: what arrives during a write makes up the next, so a rush is stored in
    // few large statements (at 64 connections: 0.76 ms of service CPU per event, against 0.91 ms
    // with four writes overlapping, and a lower acknowledgement p99).
    const submit = yield* makeGroupCommit(
      (items: ReadonlyArray<EventToStore>) =>
        queue.enqueueEvents(items).pipe(
          traced("EventInbox.write", { attributes: { events: items.length }, captureStackTrace: false })
        ),
      { maxCallersPerWrite }
    )
    return EventInbox.of({
      store: (restaurantId, events) =>
        // The delivery's span travels with its jobs: applying them joins the delivery's trace.
        Effect.flatMap(currentTraceParent, (traceParent) =>
          submit(events.map((event) => ({ restaurantId, event, traceParent })))).pipe(
            // Shutting down: the caller gets a 503 and the platform delivers again later.
            Effect.flatMap(Option.match({
              onNone: () =>
                Effect.interrupt,
              onSome: Effect.succeed
            }))
          )
    })
  })
)
