import { Context, type Effect, Schema } from "effect"
import type { RestaurantScope } from "../domain/access.js"
import { EntityType, Platform, RestaurantId } from "../domain/ids.js"

/** GET /api/ops/summary?restaurantId&platform&entityType&hours: what the operator page charts. */
export const SummaryQuery = Schema.Struct({
  restaurantId: Schema.optional(RestaurantId),
  platform: Schema.optional(Platform),
  entityType: Schema.optional(EntityType),
  // Bounded so the aggregation always reads a bounded slice of the audit log (one week at most).
  hours: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 168)), { default: () => 24 })
})
export type SummaryQuery = typeof SummaryQuery.Type

/** One restaurant's platform: its config's state and its sync activity in the window. */
export const PlatformHealth = Schema.Struct({
  restaurantId: Schema.String,
  platform: Schema.String,
  isActive: Schema.Boolean,
  /** The config's last successful sync, whatever the window. */
  lastSuccessAt: Schema.NullOr(Schema.String),
  /** Cleared by the next success. */
  lastError: Schema.NullOr(Schema.String),
  attempts: Schema.Number,
  successes: Schema.Number,
  errors: Schema.Number,
  conflicts: Schema.Number,
  /** errors / attempts in the window (0 without attempts). */
  errorRate: Schema.Number,
  avgMs: Schema.NullOr(Schema.Number)
})
export type PlatformHealth = typeof PlatformHealth.Type

/** One time bucket; buckets without activity are left out. */
export const TimelinePoint = Schema.Struct({
  at: Schema.String,
  attempts: Schema.Number,
  errors: Schema.Number,
  avgMs: Schema.NullOr(Schema.Number),
  p95Ms: Schema.NullOr(Schema.Number)
})
export type TimelinePoint = typeof TimelinePoint.Type

export const OpsSummaryView = Schema.Struct({
  from: Schema.String,
  to: Schema.String,
  bucketSeconds: Schema.Number,
  health: Schema.Array(PlatformHealth),
  timeline: Schema.Array(TimelinePoint)
})
export type OpsSummaryView = typeof OpsSummaryView.Type

/**
 * The operator page's read model: aggregates over the audit log and the platform configs,
 * computed by the database. It selects no credential or webhook secret column.
 */
export class OpsSummary extends Context.Tag("OpsSummary")<OpsSummary, {
  /** `within` (issue 17): only these restaurants, a caller's scope. */
  readonly summary: (query: SummaryQuery, within?: RestaurantScope) => Effect.Effect<OpsSummaryView>
}>() {}

/** 48 points whatever the window: enough for a readable chart, few rows to send. */
export const BUCKETS = 48
