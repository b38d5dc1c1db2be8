import { Effect, Layer, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import type { ChangeEntry } from "../../domain/changes.js"
import { ChangeFeed, ChangeLog, encodeCursor, feedStart } from "../../ports/change-feed.js"

/**
 * The change log in memory: one process and no transactions, so every entry is visible as soon
 * as it is appended, and its position is its sequence alone (the transaction part stays 0).
 */
export const makeChangeFeedMemory = Effect.gen(function*() {
  const entries = yield* Ref.make<ReadonlyArray<ChangeEntry>>([])
  const log = ChangeLog.of({
    append: (records) =>
      Ref.update(entries, (all) => [
        ...all,
        ...records.map((record, i) => {
          const sequence = all.length + i + 1
          return { ...record, sequence, cursor: encodeCursor({ xid: "0", sequence }) } as ChangeEntry
        })
      ])
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
    head: Effect.map(Ref.get(entries), (all) => (all.length === 0 ? feedStart : { xid: "0", sequence: all.length }))
  })
  return { log, feed }
})

export const ChangeFeedMemory = Layer.unwrapEffect(
  Effect.map(
    makeChangeFeedMemory,
    ({ feed, log }) => Layer.merge(Layer.succeed(ChangeLog, log), Layer.succeed(ChangeFeed, feed))
  )
)
