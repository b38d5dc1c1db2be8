import { Duration, Effect, Option, Queue, Schedule, Stream } from "effect"
import type { ChangeEntry } from "../../domain/changes.js"
import type { EntityType, RestaurantId } from "../../domain/ids.js"
import { ChangeDeliveries, type DeliveryStatus } from "../../ports/change-deliveries.js"
import {
  ChangeFeed,
  type ChangePosition,
  decodeCursor,
  encodeCursor,
  feedStart,
  isBefore
} from "../../ports/change-feed.js"
import { traced } from "../../ports/traced.js"
import { NotFound, ValidationError } from "../errors.js"
import { callerScope, scopeOfList } from "./access.js"

/** What a stream sends: an entry, a keep-alive, or the notice that the reader fell behind. */
export type FollowEvent =
  | { readonly _tag: "Entry"; readonly entry: ChangeEntry }
  | { readonly _tag: "KeepAlive" }
  | { readonly _tag: "Resume"; readonly cursor: string }

export interface FollowOptions {
  /** How often the log is read again once the reader has caught up. */
  readonly pollInterval: Duration.DurationInput
  readonly keepAlive: Duration.DurationInput
  /** Entries read ahead of a slow client; past that it is told to resume from its cursor. */
  readonly buffer: number
}

export const defaultFollowOptions: FollowOptions = {
  pollInterval: "250 millis",
  keepAlive: "15 seconds",
  buffer: 1_000
}

const PAGE = 200

const invalidCursor = (cursor: string) =>
  new ValidationError({
    message: "after: not a cursor of this feed",
    issues: [{ path: "after", message: `unknown cursor ${cursor.slice(0, 64)}` }]
  })

const expiredCursor = new ValidationError({
  message: "after: this cursor is older than the change log keeps (CHANGE_LOG_RETENTION); read again from the start",
  issues: [{ path: "after", message: "expired cursor" }]
})

/** The position of a reader's cursor; one older than what retention kept is refused, never skipped over. */
const positionOf = (feed: ChangeFeed["Type"], cursor: string | undefined) =>
  cursor === undefined || cursor === ""
    ? Effect.succeed(feedStart)
    : Option.match(decodeCursor(cursor), {
      onNone: () => Effect.fail(invalidCursor(cursor)),
      onSome: (position) =>
        Effect.flatMap(
          feed.retainedFrom,
          // The start's own cursor (a first page that found nothing) reads what is kept.
          (kept) =>
            isBefore(feedStart, position) && isBefore(position, kept)
              ? Effect.fail(expiredCursor)
              : Effect.succeed(position)
        )
    })

/**
 * Issue 21: the change feed as the main app reads it, by page or as a stream, always within the
 * caller's restaurants (issue 17): naming another restaurant is refused, and omitting it reads
 * only the key's own.
 */
export class Changes extends Effect.Service<Changes>()("Changes", {
  effect: Effect.gen(function*() {
    const feed = yield* ChangeFeed
    const deliveries = yield* ChangeDeliveries

    const page = (query: {
      readonly after?: string | undefined
      readonly restaurantId?: RestaurantId | undefined
      readonly entityType?: EntityType | undefined
      readonly limit: number
    }) =>
      Effect.gen(function*() {
        const after = yield* positionOf(feed, query.after)
        const restaurantIds = yield* scopeOfList(query.restaurantId)
        const read = yield* feed.read({ after, restaurantIds, entityType: query.entityType, limit: query.limit })
        return { entries: read.entries, cursor: encodeCursor(read.next) }
      }).pipe(traced("Changes.page"))

    /**
     * The entries after `after`, then each new one as it becomes readable. The log is read ahead
     * into a bounded buffer; a client that lets it fill (it reads slower than changes arrive) gets
     * a `Resume` with the cursor of the last entry it was sent, and the stream ends there: it
     * comes back with that cursor rather than making the service hold its backlog.
     */
    const follow = (
      query: {
        readonly after?: string | undefined
        readonly restaurantId?: RestaurantId | undefined
        readonly entityType?: EntityType | undefined
      },
      options: FollowOptions = defaultFollowOptions
    ) =>
      Effect.gen(function*() {
        const start = yield* positionOf(feed, query.after)
        const restaurantIds = yield* scopeOfList(query.restaurantId)
        const read = (after: ChangePosition, limit: number) =>
          feed.read({ after, restaurantIds, entityType: query.entityType, limit })
        const produce = (queue: Queue.Queue<FollowEvent>) =>
          Effect.iterate({ after: start, behind: false }, {
            while: (s) => !s.behind,
            body: ({ after }) =>
              Effect.gen(function*() {
                const room = options.buffer - (yield* Queue.size(queue))
                if (room <= 0) {
                  yield* Queue.offer(queue, { _tag: "Resume", cursor: encodeCursor(after) })
                  return { after, behind: true }
                }
                const { entries, next } = yield* read(after, Math.min(PAGE, room))
                yield* Queue.offerAll(queue, entries.map((entry) => ({ _tag: "Entry" as const, entry })))
                if (entries.length === 0) yield* Effect.sleep(options.pollInterval)
                return { after: next, behind: false }
              })
          })
        const entries = Stream.unwrapScoped(Effect.gen(function*() {
          // One slot more than the buffer, so the resume notice always fits.
          const queue = yield* Queue.bounded<FollowEvent>(options.buffer + 1)
          yield* Effect.forkScoped(produce(queue))
          return Stream.fromQueue(queue)
        }))
        const keepAlives = Stream.fromSchedule(Schedule.spaced(options.keepAlive)).pipe(
          Stream.map((): FollowEvent => ({ _tag: "KeepAlive" }))
        )
        return Stream.merge(entries, keepAlives, { haltStrategy: "left" }).pipe(
          Stream.takeUntil((event) => event._tag === "Resume")
        )
      })

    const deliveryList = (status: DeliveryStatus, limit: number) =>
      Effect.flatMap(callerScope, (restaurantIds) => deliveries.list({ status, restaurantIds, limit })).pipe(
        traced("Changes.deliveries", { attributes: { status } })
      )

    const replay = (sequence: number) =>
      Effect.gen(function*() {
        const restaurantIds = yield* callerScope
        yield* deliveries.replay(sequence, restaurantIds, new Date(yield* Effect.clockWith((c) => c.currentTimeMillis)))
      }).pipe(
        // Another restaurant's delivery answers as if it did not exist (issue 17).
        Effect.catchTag("DeliveryNotFound", () =>
          new NotFound({
            message: `no dead delivery of entry ${sequence}`,
            resource: "delivery",
            id: String(sequence)
          })),
        traced("Changes.replay", { attributes: { sequence } })
      )

    return { page, follow, deliveries: deliveryList, replay, counts: deliveries.counts }
  })
}) {}
