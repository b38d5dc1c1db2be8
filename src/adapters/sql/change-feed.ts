import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { ChangeEntry } from "../../domain/changes.js"
import { fastDecoder } from "../../domain/fast-decode.js"
import {
  ChangeFeed,
  ChangeLog,
  type ChangePosition,
  type ChangeQuery,
  encodeCursor,
  feedStart
} from "../../ports/change-feed.js"
import { andInScope, insertJsonRows } from "./rows.js"

/** A row of `change_log` as selected below: the transaction id as text (xid8 has no JS type). */
export const ChangeRow = Schema.Struct({
  sequence: Schema.Number,
  xid: Schema.String,
  restaurantId: Schema.String,
  entityType: Schema.String,
  entityId: Schema.String,
  action: Schema.String,
  version: Schema.NullOr(Schema.Number),
  origin: Schema.String,
  occurredAt: Schema.String,
  record: Schema.Unknown
})

const decodeEntries = fastDecoder(Schema.Array(ChangeEntry))

/** Rows of `change_log` (with `xid::text AS xid`) as feed entries, each with the cursor after it. */
export const toEntries = (rows: ReadonlyArray<typeof ChangeRow.Type>) =>
  Effect.orDie(
    decodeEntries(rows.map(({ xid, ...row }) => ({ ...row, cursor: encodeCursor({ xid, sequence: row.sequence }) })))
  )

/** The columns of an entry, for the statements that read the log. */
export const entryColumns = (sql: SqlClient.SqlClient, alias = "change_log") =>
  sql`${sql(alias)}.sequence, ${sql(alias)}.xid::text AS xid, ${sql(alias)}.restaurant_id, ${sql(alias)}.entity_type,
    ${sql(alias)}.entity_id, ${sql(alias)}.action, ${sql(alias)}.version, ${sql(alias)}.origin, ${
    sql(alias)
  }.occurred_at,
    ${sql(alias)}.record`

/**
 * Entries after `after` that no transaction in flight can precede: those of transactions older
 * than the oldest one still running (`pg_snapshot_xmin`). A transaction that has not committed yet
 * has an id at least that large, so its entries sort after everything served so far.
 */
export const visibleAfter = (sql: SqlClient.SqlClient, query: ChangeQuery) =>
  sql<typeof ChangeRow.Encoded>`
    SELECT ${entryColumns(sql)} FROM change_log
    WHERE (xid, sequence) > (${query.after.xid}::xid8, ${query.after.sequence})
      AND xid < pg_snapshot_xmin(pg_current_snapshot())
      ${andInScope(sql, query.restaurantIds)}
      ${query.entityType === undefined ? sql`` : sql`AND entity_type = ${query.entityType}`}
    ORDER BY xid, sequence
    LIMIT ${query.limit}`

/** Rows of `change_feed_positions`: how far the app webhooks' queue has read, and the retention horizon. */
export const APP_WEBHOOKS_POSITION = "app-webhooks"
const RETAINED_FROM = "retained-from"

export const ChangeLogSql = Layer.effect(
  ChangeLog,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    // One statement for a whole batch, whatever its size; `xid` and `sequence` are the defaults.
    append: (records) =>
      records.length === 0
        ? Effect.void
        : insertJsonRows(sql, "change_log", records as unknown as readonly [object, ...Array<object>]).pipe(
          Effect.orDie,
          Effect.asVoid
        ),
    // Oldest first, among the entries every reader could have been served; an entry the main app's
    // webhooks have not queued or delivered yet stays. The horizon moves in the same statement.
    prune: (before, limit) =>
      sql<{ readonly n: number }>`
        WITH doomed AS (
          SELECT c.sequence FROM change_log c
          WHERE c.occurred_at < ${before} AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
            AND NOT EXISTS (
              SELECT 1 FROM app_webhook_deliveries d WHERE d.change_sequence = c.sequence AND d.status <> 'delivered')
            AND NOT EXISTS (
              SELECT 1 FROM change_feed_positions p
              WHERE p.name = ${APP_WEBHOOKS_POSITION} AND (c.xid, c.sequence) > (p.after_xid, p.after_sequence))
          ORDER BY c.xid, c.sequence
          LIMIT ${limit}
        ), gone AS (
          DELETE FROM change_log c USING doomed WHERE c.sequence = doomed.sequence RETURNING c.xid, c.sequence
        ), horizon AS (
          INSERT INTO change_feed_positions AS p (name, after_xid, after_sequence)
          SELECT ${RETAINED_FROM}, xid, sequence FROM gone ORDER BY xid DESC, sequence DESC LIMIT 1
          ON CONFLICT (name) DO UPDATE SET after_xid = excluded.after_xid, after_sequence = excluded.after_sequence
          WHERE (excluded.after_xid, excluded.after_sequence) > (p.after_xid, p.after_sequence)
        )
        SELECT count(*)::int AS n FROM gone`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows[0]?.n ?? 0),
        Effect.withSpan("ChangeLog.prune")
      )
  }))
)

const decodeChangeRows = fastDecoder(Schema.Array(ChangeRow))

export const ChangeFeedSql = Layer.effect(
  ChangeFeed,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    read: (query) =>
      Effect.gen(function*() {
        const rows = yield* Effect.orDie(visibleAfter(sql, query))
        const entries = yield* toEntries(yield* Effect.orDie(decodeChangeRows(rows)))
        const last = rows.at(-1)
        const next: ChangePosition = last === undefined ? query.after : { xid: last.xid, sequence: last.sequence }
        return { entries, next }
      }).pipe(Effect.withSpan("ChangeFeed.read")),
    head: sql<{ xid: string; sequence: number }>`
      SELECT xid::text AS xid, sequence FROM change_log
      WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY xid DESC, sequence DESC LIMIT 1`.pipe(
      Effect.orDie,
      Effect.map((rows) => rows[0] ?? feedStart)
    ),
    retainedFrom: sql<{ xid: string; sequence: number }>`
      SELECT after_xid::text AS xid, after_sequence AS sequence FROM change_feed_positions
      WHERE name = ${RETAINED_FROM}`.pipe(
      Effect.orDie,
      Effect.map((rows) => rows[0] ?? feedStart)
    )
  }))
)

export const ChangeFeedLiveSql = Layer.merge(ChangeLogSql, ChangeFeedSql)
