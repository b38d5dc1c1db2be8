import { Clock, Effect, identity, Layer, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import { asStoredJson } from "../../ports/stored-json.js"
import { newSyncLog, type SyncLog, type SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { pageOf } from "./page.js"

const make = Effect.gen(function*() {
  // Newest first: appended at the front, so entries of the same instant keep newest-first too.
  const store = yield* Ref.make<ReadonlyArray<SyncLog>>([])
  const append = (entry: SyncLogEntry) =>
    Effect.gen(function*() {
      const log: SyncLog = newSyncLog(entry, new Date(yield* Clock.currentTimeMillis).toISOString(), asStoredJson)
      yield* Ref.update(store, (logs) => [log, ...logs])
      return log
    })
  return SyncLogRepository.of({
    append,
    appendMany: (entries) => Effect.forEach(entries, append, { discard: true }),
    prune: (before, limit) =>
      Ref.modify(store, (logs) => {
        // Newest first: the oldest lines are at the end.
        const old = logs.filter((l) => Date.parse(l.createdAt) < Date.parse(before)).slice(-limit)
        const gone = new Set(old)
        return [old.length, logs.filter((l) => !gone.has(l))] as const
      }),
    list: (filter) =>
      Effect.map(Ref.get(store), (logs) => {
        const at = (iso: string) => Date.parse(iso)
        const matching = logs
          .filter((l) =>
            (filter.restaurantId === undefined || l.restaurantId === filter.restaurantId) &&
            inScope(filter.restaurantIds, l.restaurantId) &&
            (filter.platform === undefined || l.platform === filter.platform) &&
            (filter.entityType === undefined || l.entityType === filter.entityType) &&
            (filter.entityId === undefined || l.entityId === filter.entityId) &&
            (filter.status === undefined || l.status === filter.status) &&
            (filter.direction === undefined || l.direction === filter.direction) &&
            (filter.from === undefined || at(l.createdAt) >= at(filter.from)) &&
            (filter.to === undefined || at(l.createdAt) < at(filter.to))
          )
          .sort((a, b) => at(b.createdAt) - at(a.createdAt))
        return pageOf(matching, filter, identity)
      })
  })
})

export const SyncLogRepositoryMemory = Layer.effect(SyncLogRepository, make)
