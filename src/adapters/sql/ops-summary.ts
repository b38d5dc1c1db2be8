import * as SqlClient from "@effect/sql/SqlClient"
import { Clock, Effect, Layer, Schema } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { BUCKETS, OpsSummary, PlatformHealth, type SummaryQuery, TimelinePoint } from "../../ports/ops-summary.js"
import { scopeCondition } from "./rows.js"

/** The query and the caller's restaurants (issue 17). */
type ScopedQuery = SummaryQuery & { readonly within: RestaurantScope }

const HealthRow = PlatformHealth.pipe(Schema.omit("errorRate"))

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const logFilter = (query: ScopedQuery, from: string, to: string) =>
    sql.and([
      sql`created_at >= ${from}`,
      sql`created_at < ${to}`,
      ...(query.restaurantId === undefined ? [] : [sql`restaurant_id = ${query.restaurantId}`]),
      ...scopeCondition(sql, query.within),
      ...(query.platform === undefined ? [] : [sql`platform = ${query.platform}`]),
      ...(query.entityType === undefined ? [] : [sql`entity_type = ${query.entityType}`])
    ])

  // "Errors" are failed attempts (retried or dead-lettered); skipped lines are not attempts.
  const health = (query: ScopedQuery, from: string, to: string) =>
    sql`
      WITH activity AS (
        SELECT restaurant_id, platform,
          count(*) FILTER (WHERE status <> 'skipped')::int AS attempts,
          count(*) FILTER (WHERE status = 'success')::int AS successes,
          count(*) FILTER (WHERE status IN ('failed', 'retry'))::int AS errors,
          count(*) FILTER (WHERE status = 'conflict')::int AS conflicts,
          avg(duration_ms)::float8 AS avg_ms
        FROM sync_logs WHERE ${logFilter(query, from, to)}
        GROUP BY restaurant_id, platform
      )
      SELECT c.restaurant_id, c.platform, c.is_active, c.last_sync_at AS last_success_at, c.last_error,
        coalesce(a.attempts, 0) AS attempts, coalesce(a.successes, 0) AS successes,
        coalesce(a.errors, 0) AS errors, coalesce(a.conflicts, 0) AS conflicts, a.avg_ms
      FROM sync_platform_configs c LEFT JOIN activity a USING (restaurant_id, platform)
      WHERE ${
      sql.and([
        ...(query.restaurantId === undefined ? [] : [sql`c.restaurant_id = ${query.restaurantId}`]),
        ...scopeCondition(sql, query.within, "c.restaurant_id"),
        ...(query.platform === undefined ? [] : [sql`c.platform = ${query.platform}`])
      ])
    }
      ORDER BY c.restaurant_id, c.platform
      LIMIT 1000`

  const timeline = (query: ScopedQuery, from: string, to: string, bucketSeconds: number) =>
    sql`
      SELECT date_bin(make_interval(secs => ${bucketSeconds}), created_at, ${from}::timestamptz) AS at,
        count(*) FILTER (WHERE status <> 'skipped')::int AS attempts,
        count(*) FILTER (WHERE status IN ('failed', 'retry'))::int AS errors,
        avg(duration_ms)::float8 AS avg_ms,
        (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::float8 AS p95_ms
      FROM sync_logs WHERE ${logFilter(query, from, to)}
      GROUP BY 1 ORDER BY 1`

  return OpsSummary.of({
    summary: (unscoped, within) =>
      Effect.gen(function*() {
        const query: ScopedQuery = { ...unscoped, within }
        const now = yield* Clock.currentTimeMillis
        const windowMs = query.hours * 3_600_000
        const bucketSeconds = windowMs / 1000 / BUCKETS
        const from = new Date(now - windowMs).toISOString()
        // A second past now: a line written in this very instant is still in the window.
        const to = new Date(now + 1000).toISOString()
        const [healthRows, points] = yield* Effect.all([
          health(query, from, to),
          timeline(query, from, to, bucketSeconds)
        ], { concurrency: 2 })
        const decodedHealth = yield* Schema.decodeUnknown(Schema.Array(HealthRow))(healthRows)
        return {
          from,
          to,
          bucketSeconds,
          health: decodedHealth.map((row) => ({
            ...row,
            errorRate: row.attempts === 0 ? 0 : row.errors / row.attempts
          })),
          timeline: yield* Schema.decodeUnknown(Schema.Array(TimelinePoint))(points)
        }
      }).pipe(Effect.orDie, Effect.withSpan("OpsSummary.summary"))
  })
})

export const OpsSummarySql = Layer.effect(OpsSummary, make)
