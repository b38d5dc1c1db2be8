import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { newSyncLog, SyncLog, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { insertJsonRows, jsonb, nowIso, recordConditions, toPage } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

/** A line as one statement sends it: the payloads as jsonb text. */
const LogInsert = Schema.Struct({
  ...SyncLog.fields,
  requestPayload: Schema.NullOr(Schema.String),
  responsePayload: Schema.NullOr(Schema.String)
})

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const append = SqlSchema.single({
    Request: LogInsert,
    Result: SyncLog,
    execute: (row) => sql`INSERT INTO sync_logs ${sql.insert(row)} RETURNING *`
  })
  return SyncLogRepository.of({
    append: (entry) => Effect.flatMap(nowIso, (now) => Effect.orDie(append(newSyncLog(entry, now, jsonb)))),
    appendMany: (entries) =>
      Effect.gen(function*() {
        if (entries.length === 0) return
        const now = yield* nowIso
        const [first, ...rest] = entries.map((entry) => newSyncLog(entry, now, (value) => value ?? null))
        yield* insertJsonRows(sql, "sync_logs", [first!, ...rest]).pipe(Effect.orDie)
      }),
    // Along sync_logs_time, oldest first; a small batch keeps each statement's locks short.
    prune: (before, limit) =>
      sql`
        DELETE FROM sync_logs WHERE id IN (
          SELECT id FROM sync_logs WHERE created_at < ${before} ORDER BY created_at LIMIT ${limit})
        RETURNING 1`.pipe(Effect.orDie, Effect.map((rows) => rows.length)),
    list: (filter) =>
      Effect.gen(function*() {
        const where = sql.and([
          ...recordConditions(sql, filter),
          ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
          ...(filter.direction === undefined ? [] : [sql`direction = ${filter.direction}`]),
          ...(filter.from === undefined ? [] : [sql`created_at >= ${filter.from}`]),
          ...(filter.to === undefined ? [] : [sql`created_at < ${filter.to}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_logs WHERE ${where}
          ORDER BY created_at DESC, id DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_logs WHERE ${where}`
        return yield* toPage(filter, rows, count, SyncLog)
      })
  })
})

export const SyncLogRepositorySql = Layer.effect(SyncLogRepository, make)
