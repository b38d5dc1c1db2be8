import { Context, type Effect } from "effect"
import type { EntityType, Platform, RestaurantId } from "../domain/ids.js"
import type { SyncAction, SyncDirection, SyncLogStatus } from "../domain/status.js"
import type { ListQuery, Page } from "./entity-repository.js"

/** One line of the audit log. */
export interface SyncLogEntry {
  readonly restaurantId: RestaurantId
  readonly entityType: EntityType
  readonly entityId: string | null
  readonly platform: Platform
  readonly externalId: string | null
  readonly direction: SyncDirection
  readonly action: SyncAction
  readonly status: SyncLogStatus
  readonly requestPayload?: unknown
  readonly responsePayload?: unknown
  readonly errorMessage?: string | null | undefined
  readonly conflictResolution?: string | null | undefined
  readonly retryCount?: number | undefined
  readonly nextRetryAt?: string | null | undefined
  readonly durationMs?: number | null | undefined
  readonly jobId?: number | null | undefined
}

export interface SyncLog extends SyncLogEntry {
  readonly id: string
  readonly createdAt: string
}

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
}>() {}
