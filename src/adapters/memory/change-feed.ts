import { Effect, Layer, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import type { ChangeEntry } from "../../domain/changes.js"
import { ChangeFeed, ChangeLog, type ChangePosition, encodeCursor, feedStart } from "../../ports/change-feed.js"

/**
 * The change log in memory: one process and no transactions, so every entry is visible as soon
 * as it is appended, and its position is its sequence alone (the transaction part stays 0).
 */
export const makeChangeFeedMemory = Effect.gen(function*() {
  const entries = yield* Ref.make<ReadonlyArray<ChangeEntry>>([])
  const appended = yield* Ref.make(0)
  const retainedFrom = yield* Ref.make<ChangePosition>(feedStart)
  const log = ChangeLog.of({
    append: (records) =>
      Effect.flatMap(Ref.getAndUpdate(appended, (n) => n + records.length), (last) =>
        Ref.update(entries, (all) => [
          ...all,
          ...records.map((record, i) => {
            const sequence = last + i + 1
            return { ...record, sequence, cursor: encodeCursor({ xid: "0", sequence }) } as ChangeEntry
          })
        ])),
    // No webhook deliveries wait in memory: age alone decides.
    prune: (before, limit) =>
      Effect.gen(function*() {
        const doomed = (yield* Ref.get(entries)).filter((e) => e.occurredAt < before).slice(0, limit)
        const gone = new Set(doomed.map((e) => e.sequence))
        yield* Ref.update(entries, (all) => all.filter((e) => !gone.has(e.sequence)))
        const last = doomed.at(-1)
        if (last !== undefined) {
          yield* Ref.update(
            retainedFrom,
            (p) => (p.sequence < last.sequence ? { xid: "0", sequence: last.sequence } : p)
          )
        }
        return doomed.length
      })
  })
  const feed = ChangeFeed.of({
    read: (query) =>
      Effect.map(Ref.get(entries), (all) => {
        const page = all
          .filter((e) => e.sequence > query.after.sequence && inScope(query.restaurantIds, e.restaurantId))
          .filter((e) => query.entityType === undefined || e.entityType === query.entityType)
          .slice(0, query.limit)
        const last = page.at(-1)
        return { entries: page, next: last === undefined ? query.after : { xid: "0", sequence: last.sequence } }
      }),
    head: Effect.map(Ref.get(appended), (n) => (n === 0 ? feedStart : { xid: "0", sequence: n })),
    retainedFrom: Ref.get(retainedFrom)
  })
  return { log, feed }
})

export const ChangeFeedMemory = Layer.unwrapEffect(
  Effect.map(
    makeChangeFeedMemory,
    ({ feed, log }) => Layer.merge(Layer.succeed(ChangeLog, log), Layer.succeed(ChangeFeed, feed))
  )
)
