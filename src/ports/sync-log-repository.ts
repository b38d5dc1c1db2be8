import { Context, type Effect, Schema } from "effect"
import { EntityType, Platform, RestaurantId } from "../domain/ids.js"
import { SyncAction, SyncDirection, SyncLogStatus } from "../domain/status.js"
import type { ListQuery, Page } from "./entity-repository.js"

/** One line of the audit log. */
export const SyncLog = Schema.Struct({
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
  retryCount: Schema.Int,
  nextRetryAt: Schema.NullOr(Schema.String),
  durationMs: Schema.NullOr(Schema.Number),
  jobId: Schema.NullOr(Schema.Number),
  createdAt: Schema.String
})
export type SyncLog = typeof SyncLog.Type

/** An entry may leave these out: `newSyncLog` stores them as null (retries as 0). */
type Details =
  | "requestPayload"
  | "responsePayload"
  | "errorMessage"
  | "conflictResolution"
  | "retryCount"
  | "nextRetryAt"
  | "durationMs"
  | "jobId"

/** A line to append: the log's id and time are the repository's. */
export type SyncLogEntry =
  & Omit<SyncLog, "id" | "createdAt" | Details>
  & { readonly [K in Details]?: SyncLog[K] | undefined }

/**
 * The line an entry becomes: new id, the details it leaves out as null (retries as 0), payloads
 * as `json` gives them (JSON values in memory, jsonb text for a statement).
 */
export const newSyncLog = <P>(entry: SyncLogEntry, createdAt: string, json: (payload: unknown) => P) => ({
  id: crypto.randomUUID(),
  restaurantId: entry.restaurantId,
  entityType: entry.entityType,
  entityId: entry.entityId,
  platform: entry.platform,
  externalId: entry.externalId,
  direction: entry.direction,
  action: entry.action,
  status: entry.status,
  requestPayload: json(entry.requestPayload),
  responsePayload: json(entry.responsePayload),
  errorMessage: entry.errorMessage ?? null,
  conflictResolution: entry.conflictResolution ?? null,
  retryCount: entry.retryCount ?? 0,
  nextRetryAt: entry.nextRetryAt ?? null,
  durationMs: entry.durationMs ?? null,
  jobId: entry.jobId ?? null,
  createdAt
})

export interface SyncLogFilter extends ListQuery {
  readonly platform?: Platform | undefined
  readonly entityType?: EntityType | undefined
  readonly entityId?: string | undefined
  readonly status?: SyncLogStatus | undefined
  readonly direction?: SyncDirection | undefined
  /** ISO instants, inclusive from, exclusive to. */
  readonly from?: string | undefined
  readonly to?: string | undefined
}

export class SyncLogRepository extends Context.Tag("SyncLogRepository")<SyncLogRepository, {
  readonly append: (entry: SyncLogEntry) => Effect.Effect<SyncLog>
  /** Batch append in one statement. */
  readonly appendMany: (entries: ReadonlyArray<SyncLogEntry>) => Effect.Effect<void>
  readonly list: (filter: SyncLogFilter) => Effect.Effect<Page<SyncLog>>
  /** Retention (issue 18): deletes up to `limit` of the oldest lines written before `before`; returns how many. */
  readonly prune: (before: string, limit: number) => Effect.Effect<number>
}>() {}
