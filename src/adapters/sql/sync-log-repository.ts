import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import { SyncAction, SyncDirection, SyncLogStatus } from "../../domain/status.js"
import { newSyncLog, type SyncLog, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { insertJsonRows, jsonb, nowIso, toPage } from "./rows.js"

const LogRow = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.NullOr(Schema.String),
  platform: Platform,
  externalId: Schema.NullOr(Schema.String),
  direction: SyncDirection,
  action: SyncAction,
  status: SyncLogStatus,
  requestPayload: Schema.Unknown,
  responsePayload: Schema.Unknown,
  errorMessage: Schema.NullOr(Schema.String),
  conflictResolution: Schema.NullOr(Schema.String),
  retryCount: Schema.Number,
  nextRetryAt: Schema.NullOr(Schema.String),
  durationMs: Schema.NullOr(Schema.Number),
  jobId: Schema.NullOr(Schema.Number),
  createdAt: Schema.String
})

const decodeRow = (row: unknown): Effect.Effect<SyncLog> => Effect.orDie(Schema.decodeUnknown(LogRow)(row))

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return SyncLogRepository.of({
    append: (entry) =>
      Effect.gen(function* () {
        const rows = yield* sql`INSERT INTO sync_logs ${sql.insert(newSyncLog(entry, yield* nowIso, jsonb))} RETURNING *`.pipe(Effect.orDie)
        return yield* decodeRow(rows[0])
      }),
    appendMany: (entries) =>
      Effect.gen(function* () {
        if (entries.length === 0) return
        const now = yield* nowIso
        const [first, ...rest] = entries.map((entry) => newSyncLog(entry, now, (value) => value ?? null))
        yield* insertJsonRows(sql, "sync_logs", [first!, ...rest]).pipe(Effect.orDie)
      }),
    list: (filter) =>
      Effect.gen(function* () {
        const where = sql.and([
          ...(filter.restaurantId === undefined ? [] : [sql`restaurant_id = ${filter.restaurantId}`]),
          ...(filter.platform === undefined ? [] : [sql`platform = ${filter.platform}`]),
          ...(filter.entityType === undefined ? [] : [sql`entity_type = ${filter.entityType}`]),
          ...(filter.entityId === undefined ? [] : [sql`entity_id = ${filter.entityId}`]),
          ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
          ...(filter.direction === undefined ? [] : [sql`direction = ${filter.direction}`]),
          ...(filter.from === undefined ? [] : [sql`created_at >= ${filter.from}`]),
          ...(filter.to === undefined ? [] : [sql`created_at < ${filter.to}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_logs WHERE ${where}
          ORDER BY created_at DESC, id DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_logs WHERE ${where}`
        return yield* toPage(filter, rows, count, decodeRow)
      })
  })
})

export const SyncLogRepositorySql = Layer.effect(SyncLogRepository, make)
