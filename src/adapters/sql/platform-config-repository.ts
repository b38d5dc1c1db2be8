import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Schema } from "effect"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import {
  type PlatformConfig,
  PlatformConfigNotFound,
  type PlatformConfigPatch,
  PlatformConfigRepository,
  PlatformConfigTaken,
  type PlatformConfigWithSecrets
} from "../../ports/platform-config-repository.js"
import { isUuid, jsonb, nowIso, toPage, uniqueViolation } from "./rows.js"

const ConfigRow = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  platform: Platform,
  externalRestaurantId: Schema.String,
  credentialsCiphertext: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("credentials")),
  webhookSecretCiphertext: Schema.propertySignature(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("webhookSecret")),
  masterFor: Schema.Array(EntityType),
  syncEntities: Schema.Array(EntityType),
  supportsWebhook: Schema.Boolean,
  webhookUrl: Schema.NullOr(Schema.String),
  pollIntervalSec: Schema.Number,
  isActive: Schema.Boolean,
  lastSyncAt: Schema.NullOr(Schema.String),
  lastError: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

const decodeRow = (row: unknown): Effect.Effect<PlatformConfigWithSecrets> =>
  Schema.decodeUnknown(ConfigRow)(row).pipe(
    Effect.map((r) => ({ ...r, hasWebhookSecret: r.webhookSecretCiphertext !== null })),
    Effect.orDie
  )

const toPublic = ({ credentialsCiphertext: _c, webhookSecretCiphertext: _w, ...config }: PlatformConfigWithSecrets): PlatformConfig =>
  config

/** Port fields to columns; an absent field stays out of the statement (null clears a secret). */
const toColumns = (patch: PlatformConfigPatch): Record<string, unknown> => {
  const { credentialsCiphertext, webhookSecretCiphertext, masterFor, syncEntities, ...plain } = patch
  const columns: Record<string, unknown> = {
    ...plain,
    credentials: credentialsCiphertext,
    webhookSecret: webhookSecretCiphertext,
    masterFor: masterFor === undefined ? undefined : jsonb(masterFor),
    syncEntities: syncEntities === undefined ? undefined : jsonb(syncEntities)
  }
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined))
}

const takenMessage = (constraint: string, config: { readonly restaurantId?: string; readonly platform?: string; readonly externalRestaurantId?: string | undefined }) =>
  constraint.includes("external_restaurant_id")
    ? `The ${config.platform ?? "platform's"} restaurant id ${config.externalRestaurantId ?? ""} is already linked to another restaurant`
    : `Restaurant ${config.restaurantId} already has a ${config.platform} configuration`

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const notFound = (id: string) => new PlatformConfigNotFound({ id })
  const taken = (config: Parameters<typeof takenMessage>[1]) => (error: SqlError) => {
    const constraint = uniqueViolation(error)
    return constraint === undefined
      ? Effect.die(error)
      : Effect.fail(new PlatformConfigTaken({ message: takenMessage(constraint, config) }))
  }
  const findOne = (rows: ReadonlyArray<unknown>) =>
    rows.length === 0 ? Effect.succeedNone : Effect.asSome(decodeRow(rows[0]))
  const found = (id: string) => (rows: ReadonlyArray<unknown>) =>
    rows.length === 0 ? Effect.fail(notFound(id)) : Effect.map(decodeRow(rows[0]), toPublic)

  const get = (id: string) =>
    isUuid(id)
      ? sql`SELECT * FROM sync_platform_configs WHERE id = ${id}`.pipe(Effect.orDie, Effect.flatMap(found(id)))
      : Effect.fail(notFound(id))

  return PlatformConfigRepository.of({
    create: (input) =>
      Effect.gen(function* () {
        const now = yield* nowIso
        const row = { id: crypto.randomUUID(), restaurantId: input.restaurantId, platform: input.platform, ...toColumns(input), createdAt: now, updatedAt: now }
        const rows = yield* sql`INSERT INTO sync_platform_configs ${sql.insert(row)} RETURNING *`.pipe(Effect.catchTag("SqlError", taken(input)))
        return toPublic(yield* decodeRow(rows[0]))
      }),
    get,
    list: (query) =>
      Effect.gen(function* () {
        const where = sql.and([
          ...(query.restaurantId === undefined ? [] : [sql`restaurant_id = ${query.restaurantId}`]),
          ...(query.platform === undefined ? [] : [sql`platform = ${query.platform}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_platform_configs WHERE ${where}
          ORDER BY restaurant_id COLLATE "C", platform COLLATE "C" LIMIT ${query.limit} OFFSET ${query.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_platform_configs WHERE ${where}`
        return yield* toPage(query, rows, count, (row) => Effect.map(decodeRow(row), toPublic))
      }),
    update: (id, patch) =>
      Effect.gen(function* () {
        if (!isUuid(id)) return yield* Effect.fail(notFound(id))
        const columns = toColumns(patch)
        if (Object.keys(columns).length === 0) return yield* get(id)
        const rows = yield* sql`
          UPDATE sync_platform_configs SET ${sql.update({ ...columns, updatedAt: yield* nowIso })}
          WHERE id = ${id} RETURNING *`.pipe(Effect.catchTag("SqlError", taken(patch)))
        return yield* found(id)(rows)
      }),
    remove: (id) =>
      isUuid(id)
        ? sql`DELETE FROM sync_platform_configs WHERE id = ${id} RETURNING id`.pipe(
          Effect.orDie,
          Effect.flatMap((rows) => (rows.length === 0 ? Effect.fail(notFound(id)) : Effect.void))
        )
        : Effect.fail(notFound(id)),
    findByExternal: (platform, externalRestaurantId) =>
      sql`SELECT * FROM sync_platform_configs WHERE platform = ${platform} AND external_restaurant_id = ${externalRestaurantId}`.pipe(
        Effect.orDie,
        Effect.flatMap(findOne)
      ),
    findWithSecrets: (restaurantId, platform) =>
      sql`SELECT * FROM sync_platform_configs WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`.pipe(
        Effect.orDie,
        Effect.flatMap(findOne)
      ),
    listActive: () =>
      sql`SELECT * FROM sync_platform_configs WHERE is_active ORDER BY restaurant_id COLLATE "C", platform COLLATE "C"`.pipe(
        Effect.orDie,
        Effect.flatMap(Effect.forEach(decodeRow))
      ),
    recordOutcome: (restaurantId, platform, outcome) =>
      Effect.asVoid(
        (outcome.ok
          ? sql`UPDATE sync_platform_configs SET last_sync_at = ${outcome.at}, last_error = NULL
                WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`
          : sql`UPDATE sync_platform_configs SET last_error = ${outcome.error}
                WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`).pipe(Effect.orDie)
      )
  })
})

export const PlatformConfigRepositorySql = Layer.effect(PlatformConfigRepository, make)
