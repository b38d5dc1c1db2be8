import { Context, type Effect, type Option, Predicate, Schema } from "effect"
import { Timestamps } from "../domain/fields.js"
import { EntityType, ExternalId, Platform, RestaurantId } from "../domain/ids.js"
import { MappingStatus } from "../domain/status.js"
import type { ListQuery, Page } from "./entity-repository.js"
import { asStoredJson } from "./stored-json.js"

/** A local entity's twin on a platform. */
export const ExternalMapping = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.String,
  platform: Platform,
  externalId: ExternalId,
  externalSecondaryId: Schema.NullOr(Schema.String),
  externalRawData: Schema.Unknown,
  syncStatus: MappingStatus,
  syncedAt: Schema.NullOr(Schema.String),
  ...Timestamps
})
export type ExternalMapping = typeof ExternalMapping.Type

/** A platform's record, as its mapping is looked up. */
export interface ExternalKey {
  readonly restaurantId: RestaurantId
  readonly platform: Platform
  readonly entityType: EntityType
  readonly externalId: string
}

export interface MappingUpsert {
  readonly restaurantId: RestaurantId
  readonly entityType: EntityType
  readonly entityId: string
  readonly platform: Platform
  readonly externalId: string
  readonly externalSecondaryId?: string | null | undefined
  readonly externalRawData?: unknown
  readonly syncStatus: MappingStatus
  readonly syncedAt: string | null
}

/**
 * The raw data an upsert leaves. For the same external id, an object's keys are added to the
 * stored object's: the push and the inbound path write one booking's mapping, and each keeps what
 * the other noted there (a push must not drop the last applied event's time, R-6.8). Anything else
 * (null, not an object, another external id) replaces it.
 */
export const mergedRawData = (current: ExternalMapping | undefined, mapping: MappingUpsert): unknown => {
  const next = asStoredJson(mapping.externalRawData)
  const stored = current?.externalRawData
  return current?.externalId === mapping.externalId && Predicate.isRecord(stored) && Predicate.isRecord(next)
    ? { ...stored, ...next }
    : next
}

/**
 * The row an upsert leaves: the same id, restaurant and creation time as the row it
 * replaces, if any; its raw data merged as `mergedRawData` says; everything else from the upsert.
 * For adapters that keep rows themselves.
 */
export const upsertedMapping = (
  current: ExternalMapping | undefined,
  mapping: MappingUpsert,
  now: string
): ExternalMapping => ({
  id: current?.id ?? crypto.randomUUID(),
  restaurantId: current?.restaurantId ?? mapping.restaurantId,
  entityType: mapping.entityType,
  entityId: mapping.entityId,
  platform: mapping.platform,
  externalId: ExternalId.make(mapping.externalId),
  externalSecondaryId: mapping.externalSecondaryId ?? null,
  externalRawData: mergedRawData(current, mapping),
  syncStatus: mapping.syncStatus,
  syncedAt: mapping.syncedAt,
  createdAt: current?.createdAt ?? now,
  updatedAt: now
})

export interface MappingFilter extends ListQuery {
  readonly platform?: Platform | undefined
  readonly entityType?: EntityType | undefined
  readonly entityId?: string | undefined
}

export class MappingRepository extends Context.Tag("MappingRepository")<MappingRepository, {
  /** Insert, or update the row of the same (entityType, entityId, platform). */
  readonly upsert: (mapping: MappingUpsert) => Effect.Effect<ExternalMapping>
  /** Batch upsert in one statement; of several upserts of one local record, the last wins. */
  readonly upsertMany: (mappings: ReadonlyArray<MappingUpsert>) => Effect.Effect<void>
  readonly findByEntity: (
    entityType: EntityType,
    entityId: string,
    platform: Platform
  ) => Effect.Effect<Option.Option<ExternalMapping>>
  readonly findByExternal: (
    restaurantId: RestaurantId,
    platform: Platform,
    entityType: EntityType,
    externalId: string
  ) => Effect.Effect<Option.Option<ExternalMapping>>
  /** Batch look-up: the mappings of all these external records, in one query. */
  readonly findManyByExternal: (keys: ReadonlyArray<ExternalKey>) => Effect.Effect<ReadonlyArray<ExternalMapping>>
  /** One query for all refs: local id → external id, keyed by `refKey(entityType, entityId)`. */
  readonly externalIdsOf: (
    platform: Platform,
    refs: ReadonlyArray<{ readonly entityType: EntityType; readonly entityId: string }>
  ) => Effect.Effect<ReadonlyMap<string, ExternalId>>
  /** One query for all refs: external id → local id, keyed by `refKey(entityType, externalId)`. */
  readonly localIdsOf: (
    restaurantId: RestaurantId,
    platform: Platform,
    refs: ReadonlyArray<{ readonly entityType: EntityType; readonly externalId: string }>
  ) => Effect.Effect<ReadonlyMap<string, string>>
  readonly list: (filter: MappingFilter) => Effect.Effect<Page<ExternalMapping>>
  /**
   * Issue 19: the local record is deleted: its mappings on every platform go with it, so a
   * platform record that still names it resolves to nothing. Returns how many went.
   */
  readonly removeForEntity: (
    entity: { readonly entityType: EntityType; readonly entityId: string }
  ) => Effect.Effect<number>
  /**
   * Issue 20, item 11: sets the status of the local record's mappings on these platforms (those
   * that exist), or only of those whose status is `from` when given.
   */
  readonly setStatus: (
    entity: { readonly entityType: EntityType; readonly entityId: string },
    platforms: ReadonlyArray<Platform>,
    status: MappingStatus,
    from?: MappingStatus
  ) => Effect.Effect<void>
}>() {}
