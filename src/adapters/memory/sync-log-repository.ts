import { Clock, Effect, Layer, Ref } from "effect"
import { type SyncLog, type SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"

// What a jsonb column gives back: JSON values only, SQL NULL for nothing.
const asJson = (value: unknown): unknown => (value === undefined || value === null ? null : JSON.parse(JSON.stringify(value)))

const make = Effect.gen(function* () {
  // Newest first: appended at the front, so entries of the same instant keep newest-first too.
  const store = yield* Ref.make<ReadonlyArray<SyncLog>>([])
  const append = (entry: SyncLogEntry) =>
      Effect.gen(function* () {
        const log: SyncLog = {
          id: crypto.randomUUID(),
          restaurantId: entry.restaurantId,
          entityType: entry.entityType,
          entityId: entry.entityId,
          platform: entry.platform,
          externalId: entry.externalId,
          direction: entry.direction,
          action: entry.action,
          status: entry.status,
          requestPayload: asJson(entry.requestPayload),
          responsePayload: asJson(entry.responsePayload),
          errorMessage: entry.errorMessage ?? null,
          conflictResolution: entry.conflictResolution ?? null,
          retryCount: entry.retryCount ?? 0,
          nextRetryAt: entry.nextRetryAt ?? null,
          durationMs: entry.durationMs ?? null,
          jobId: entry.jobId ?? null,
          createdAt: new Date(yield* Clock.currentTimeMillis).toISOString()
        }
        yield* Ref.update(store, (logs) => [log, ...logs])
        return log
      })
  return SyncLogRepository.of({
    append,
    appendMany: (entries) => Effect.forEach(entries, append, { discard: true }),
    list: (filter) =>
      Effect.map(Ref.get(store), (logs) => {
        const at = (iso: string) => Date.parse(iso)
        const matching = logs
          .filter((l) =>
            (filter.restaurantId === undefined || l.restaurantId === filter.restaurantId) &&
            (filter.platform === undefined || l.platform === filter.platform) &&
            (filter.entityType === undefined || l.entityType === filter.entityType) &&
            (filter.entityId === undefined || l.entityId === filter.entityId) &&
            (filter.status === undefined || l.status === filter.status) &&
            (filter.direction === undefined || l.direction === filter.direction) &&
            (filter.from === undefined || at(l.createdAt) >= at(filter.from)) &&
            (filter.to === undefined || at(l.createdAt) < at(filter.to))
          )
          .sort((a, b) => at(b.createdAt) - at(a.createdAt))
        return { items: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length, limit: filter.limit, offset: filter.offset }
      })
  })
})

export const SyncLogRepositoryMemory = Layer.effect(SyncLogRepository, make)
