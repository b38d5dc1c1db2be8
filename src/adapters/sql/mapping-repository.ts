import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { refKey } from "../../domain/id-resolution.js"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import { MappingStatus } from "../../domain/status.js"
import { type ExternalMapping, MappingRepository, type MappingUpsert } from "../../ports/mapping-repository.js"
import { insertJsonRows, jsonb, nowIso, toPage } from "./rows.js"

const MappingRow = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.String,
  platform: Platform,
  externalId: Schema.String,
  externalSecondaryId: Schema.NullOr(Schema.String),
  externalRawData: Schema.Unknown,
  syncStatus: MappingStatus,
  syncedAt: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

const decodeRow = (row: unknown): Effect.Effect<ExternalMapping> => Effect.orDie(Schema.decodeUnknown(MappingRow)(row))

/** The row an upsert inserts; `raw` encodes the jsonb column for the statement that carries it. */
const newRow = (mapping: MappingUpsert, now: string, raw: (value: unknown) => unknown) => ({
  id: crypto.randomUUID(),
  restaurantId: mapping.restaurantId,
  entityType: mapping.entityType,
  entityId: mapping.entityId,
  platform: mapping.platform,
  externalId: mapping.externalId,
  externalSecondaryId: mapping.externalSecondaryId ?? null,
  externalRawData: raw(mapping.externalRawData),
  syncStatus: mapping.syncStatus,
  syncedAt: mapping.syncedAt,
  createdAt: now,
  updatedAt: now
})

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // An external id already mapped to another local record breaks the second unique key: a defect.
  const onLocalConflict = sql`
    ON CONFLICT (entity_type, entity_id, platform) DO UPDATE SET
      external_id = EXCLUDED.external_id,
      external_secondary_id = EXCLUDED.external_secondary_id,
      external_raw_data = EXCLUDED.external_raw_data,
      sync_status = EXCLUDED.sync_status,
      synced_at = EXCLUDED.synced_at,
      updated_at = EXCLUDED.updated_at`
  const findOne = (rows: ReadonlyArray<unknown>) =>
    rows.length === 0 ? Effect.succeedNone : Effect.asSome(decodeRow(rows[0]))

  return MappingRepository.of({
    upsert: (mapping) =>
      Effect.gen(function* () {
        const rows = yield* sql`
          INSERT INTO sync_external_mappings ${sql.insert(newRow(mapping, yield* nowIso, jsonb))}
          ${onLocalConflict}
          RETURNING *`.pipe(Effect.orDie)
        return yield* decodeRow(rows[0])
      }),
    upsertMany: (mappings) =>
      Effect.gen(function* () {
        if (mappings.length === 0) return
        const now = yield* nowIso
        const last = new Map(mappings.map((m) => [`${m.entityType}|${m.entityId}|${m.platform}`, m]))
        const [first, ...rest] = [...last.values()].map((m) => newRow(m, now, (value) => value ?? null))
        yield* sql`${insertJsonRows(sql, "sync_external_mappings", [first!, ...rest])} ${onLocalConflict}`.pipe(Effect.orDie)
      }),
    findByEntity: (entityType, entityId, platform) =>
      sql`SELECT * FROM sync_external_mappings
          WHERE entity_type = ${entityType} AND entity_id = ${entityId} AND platform = ${platform}`.pipe(
        Effect.orDie,
        Effect.flatMap(findOne)
      ),
    findByExternal: (restaurantId, platform, entityType, externalId) =>
      sql`SELECT * FROM sync_external_mappings
          WHERE restaurant_id = ${restaurantId} AND platform = ${platform}
            AND entity_type = ${entityType} AND external_id = ${externalId}`.pipe(Effect.orDie, Effect.flatMap(findOne)),
    findManyByExternal: (keys) =>
      keys.length === 0
        ? Effect.succeed([])
        : sql`
            SELECT m.* FROM sync_external_mappings m
            WHERE (m.restaurant_id, m.platform, m.entity_type, m.external_id) IN (
              SELECT * FROM unnest(${keys.map((k) => k.restaurantId)}::text[], ${keys.map((k) => k.platform)}::text[],
                ${keys.map((k) => k.entityType)}::text[], ${keys.map((k) => k.externalId)}::text[]))`.pipe(
            Effect.orDie,
            Effect.flatMap(Effect.forEach(decodeRow))
          ),
    externalIdsOf: (platform, refs) =>
      refs.length === 0
        ? Effect.succeed(new Map())
        : sql<{ entityType: EntityType; entityId: string; externalId: string }>`
            SELECT entity_type, entity_id, external_id FROM sync_external_mappings
            WHERE platform = ${platform} AND (entity_type, entity_id) IN (
              SELECT * FROM unnest(${refs.map((r) => r.entityType)}::text[], ${refs.map((r) => r.entityId)}::text[]))`.pipe(
            Effect.orDie,
            Effect.map((rows) => new Map(rows.map((r) => [refKey(r.entityType, r.entityId), r.externalId])))
          ),
    localIdsOf: (restaurantId, platform, refs) =>
      refs.length === 0
        ? Effect.succeed(new Map())
        : sql<{ entityType: EntityType; entityId: string; externalId: string }>`
            SELECT entity_type, entity_id, external_id FROM sync_external_mappings
            WHERE restaurant_id = ${restaurantId} AND platform = ${platform} AND (entity_type, external_id) IN (
              SELECT * FROM unnest(${refs.map((r) => r.entityType)}::text[], ${refs.map((r) => r.externalId)}::text[]))`.pipe(
            Effect.orDie,
            Effect.map((rows) => new Map(rows.map((r) => [refKey(r.entityType, r.externalId), r.entityId])))
          ),
    list: (filter) =>
      Effect.gen(function* () {
        const where = sql.and([
          ...(filter.restaurantId === undefined ? [] : [sql`restaurant_id = ${filter.restaurantId}`]),
          ...(filter.platform === undefined ? [] : [sql`platform = ${filter.platform}`]),
          ...(filter.entityType === undefined ? [] : [sql`entity_type = ${filter.entityType}`]),
          ...(filter.entityId === undefined ? [] : [sql`entity_id = ${filter.entityId}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_external_mappings WHERE ${where}
          ORDER BY entity_type COLLATE "C", entity_id COLLATE "C", platform COLLATE "C"
          LIMIT ${filter.limit} OFFSET ${filter.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_external_mappings WHERE ${where}`
        return yield* toPage(filter, rows, count, decodeRow)
      })
  })
})

export const MappingRepositorySql = Layer.effect(MappingRepository, make)
