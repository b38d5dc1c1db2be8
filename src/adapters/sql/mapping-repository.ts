import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { refKey } from "../../domain/id-resolution.js"
import { ExternalMapping, MappingRepository, type MappingUpsert } from "../../ports/mapping-repository.js"
import { insertJsonRows, jsonb, nowIso, recordConditions, toPage } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

/** The row an upsert inserts; `raw` encodes the jsonb column for the statement that carries it. */
const newRow = <R>(mapping: MappingUpsert, now: string, raw: (value: unknown) => R) => ({
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

/** An upsert's row as one statement sends it: the raw data as jsonb text. */
const MappingInsert = Schema.Struct({
  ...ExternalMapping.fields,
  externalId: Schema.String,
  externalRawData: Schema.NullOr(Schema.String)
})

// Requests are checked as plain text: the port's types already hold the ids' rules, and batches
// of hundreds of keys are looked up on every inbound pass.
const Text = Schema.String
const ExternalKey = Schema.Struct({ restaurantId: Text, platform: Text, entityType: Text, externalId: Text })
const LocalRef = Schema.Struct({ entityType: Text, entityId: Text })
const ExternalRef = Schema.Struct({ entityType: Text, externalId: Text })
const Link = ExternalMapping.pick("entityType", "entityId", "externalId")

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // An external id already mapped to another local record breaks the second unique key: a defect.
  // Raw data merges as `mergedRawData` says.
  const onLocalConflict = sql`
    ON CONFLICT (entity_type, entity_id, platform) DO UPDATE SET
      external_id = EXCLUDED.external_id,
      external_secondary_id = EXCLUDED.external_secondary_id,
      external_raw_data = CASE
        WHEN sync_external_mappings.external_id = EXCLUDED.external_id
          AND jsonb_typeof(sync_external_mappings.external_raw_data) = 'object'
          AND jsonb_typeof(EXCLUDED.external_raw_data) = 'object'
        THEN sync_external_mappings.external_raw_data || EXCLUDED.external_raw_data
        ELSE EXCLUDED.external_raw_data END,
      sync_status = EXCLUDED.sync_status,
      synced_at = EXCLUDED.synced_at,
      updated_at = EXCLUDED.updated_at`

  const upsert = SqlSchema.single({
    Request: MappingInsert,
    Result: ExternalMapping,
    execute: (row) => sql`INSERT INTO sync_external_mappings ${sql.insert(row)} ${onLocalConflict} RETURNING *`
  })
  const findByEntity = SqlSchema.findOne({
    Request: Schema.Struct({ ...LocalRef.fields, platform: Text }),
    Result: ExternalMapping,
    execute: ({ entityId, entityType, platform }) =>
      sql`SELECT * FROM sync_external_mappings
          WHERE entity_type = ${entityType} AND entity_id = ${entityId} AND platform = ${platform}`
  })
  const findByExternal = SqlSchema.findOne({
    Request: ExternalKey,
    Result: ExternalMapping,
    execute: ({ entityType, externalId, platform, restaurantId }) =>
      sql`SELECT * FROM sync_external_mappings
          WHERE restaurant_id = ${restaurantId} AND platform = ${platform}
            AND entity_type = ${entityType} AND external_id = ${externalId}`
  })
  const findManyByExternal = SqlSchema.findAll({
    Request: Schema.Array(ExternalKey),
    Result: ExternalMapping,
    execute: (keys) =>
      sql`
        SELECT m.* FROM sync_external_mappings m
        WHERE (m.restaurant_id, m.platform, m.entity_type, m.external_id) IN (
          SELECT * FROM unnest(${keys.map((k) => k.restaurantId)}::text[], ${keys.map((k) => k.platform)}::text[],
            ${keys.map((k) => k.entityType)}::text[], ${keys.map((k) => k.externalId)}::text[]))`
  })
  const linksOfLocal = SqlSchema.findAll({
    Request: Schema.Struct({ platform: Text, refs: Schema.Array(LocalRef) }),
    Result: Link,
    execute: ({ platform, refs }) =>
      sql`
        SELECT entity_type, entity_id, external_id FROM sync_external_mappings
        WHERE platform = ${platform} AND (entity_type, entity_id) IN (
          SELECT * FROM unnest(${refs.map((r) => r.entityType)}::text[], ${refs.map((r) => r.entityId)}::text[]))`
  })
  const linksOfExternal = SqlSchema.findAll({
    Request: Schema.Struct({ restaurantId: Text, platform: Text, refs: Schema.Array(ExternalRef) }),
    Result: Link,
    execute: ({ platform, refs, restaurantId }) =>
      sql`
        SELECT entity_type, entity_id, external_id FROM sync_external_mappings
        WHERE restaurant_id = ${restaurantId} AND platform = ${platform} AND (entity_type, external_id) IN (
          SELECT * FROM unnest(${refs.map((r) => r.entityType)}::text[], ${refs.map((r) => r.externalId)}::text[]))`
  })

  return MappingRepository.of({
    upsert: (mapping) => Effect.flatMap(nowIso, (now) => Effect.orDie(upsert(newRow(mapping, now, jsonb)))),
    upsertMany: (mappings) =>
      Effect.gen(function*() {
        if (mappings.length === 0) return
        const now = yield* nowIso
        const last = new Map(mappings.map((m) => [`${m.entityType}|${m.entityId}|${m.platform}`, m]))
        const [first, ...rest] = [...last.values()].map((m) => newRow(m, now, (value) => value ?? null))
        yield* sql`${insertJsonRows(sql, "sync_external_mappings", [first!, ...rest])} ${onLocalConflict}`.pipe(
          Effect.orDie
        )
      }),
    findByEntity: (entityType, entityId, platform) => Effect.orDie(findByEntity({ entityType, entityId, platform })),
    removeForEntity: ({ entityId, entityType }) =>
      sql`DELETE FROM sync_external_mappings WHERE entity_type = ${entityType} AND entity_id = ${entityId} RETURNING 1`
        .pipe(Effect.orDie, Effect.map((rows) => rows.length)),
    setStatus: (entity, platforms, status, from) =>
      platforms.length === 0 ? Effect.void : Effect.asVoid(
        sql`UPDATE sync_external_mappings SET sync_status = ${status}, updated_at = now()
          WHERE entity_type = ${entity.entityType} AND entity_id = ${entity.entityId}
            AND platform = ANY(${platforms}::text[]) AND sync_status <> ${status}
            ${from === undefined ? sql`` : sql`AND sync_status = ${from}`}`.pipe(Effect.orDie)
      ),
    findByExternal: (restaurantId, platform, entityType, externalId) =>
      Effect.orDie(findByExternal({ restaurantId, platform, entityType, externalId })),
    findManyByExternal: (keys) => (keys.length === 0 ? Effect.succeed([]) : Effect.orDie(findManyByExternal(keys))),
    externalIdsOf: (platform, refs) =>
      refs.length === 0
        ? Effect.succeed(new Map())
        : linksOfLocal({ platform, refs }).pipe(
          Effect.orDie,
          Effect.map((rows) => new Map(rows.map((r) => [refKey(r.entityType, r.entityId), r.externalId])))
        ),
    localIdsOf: (restaurantId, platform, refs) =>
      refs.length === 0
        ? Effect.succeed(new Map())
        : linksOfExternal({ restaurantId, platform, refs }).pipe(
          Effect.orDie,
          Effect.map((rows) => new Map(rows.map((r) => [refKey(r.entityType, r.externalId), r.entityId])))
        ),
    list: (filter) =>
      Effect.gen(function*() {
        const where = sql.and([
          ...recordConditions(sql, filter)
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_external_mappings WHERE ${where}
          ORDER BY entity_type COLLATE "C", entity_id COLLATE "C", platform COLLATE "C"
          LIMIT ${filter.limit} OFFSET ${filter.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_external_mappings WHERE ${where}`
        return yield* toPage(filter, rows, count, ExternalMapping)
      })
  })
})

export const MappingRepositorySql = Layer.effect(MappingRepository, make)
