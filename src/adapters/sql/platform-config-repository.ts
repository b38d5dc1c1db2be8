import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Option, Schema } from "effect"
import {
  PlatformConfig,
  PlatformConfigNotFound,
  type PlatformConfigPatch,
  PlatformConfigRepository,
  PlatformConfigTaken,
  PlatformConfigWithSecrets,
  withoutSecrets
} from "../../ports/platform-config-repository.js"
import { isUuid, jsonb, nowIso, scopeCondition, toPage, uniqueViolation } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

/** The table's row: the ciphertexts are the `credentials` and `webhook_secret` columns. */
const ConfigRow = Schema.transform(
  Schema.Struct({
    ...PlatformConfig.omit("hasWebhookSecret").fields,
    credentialsCiphertext: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("credentials")),
    webhookSecretCiphertext: Schema.propertySignature(Schema.NullOr(Schema.String)).pipe(
      Schema.fromKey("webhookSecret")
    ),
    previousWebhookSecretCiphertext: Schema.propertySignature(Schema.NullOr(Schema.String)).pipe(
      Schema.fromKey("webhookSecretPrevious")
    ),
    previousWebhookSecretUntil: Schema.propertySignature(Schema.NullOr(Schema.String)).pipe(
      Schema.fromKey("webhookSecretPreviousUntil")
    )
  }),
  Schema.typeSchema(PlatformConfigWithSecrets),
  {
    strict: true,
    decode: (row) => ({ ...row, hasWebhookSecret: row.webhookSecretCiphertext !== null }),
    encode: ({ hasWebhookSecret: _, ...row }) => row
  }
)

/** Port fields to columns; an absent field stays out of the statement (null clears a secret). */
const toColumns = (patch: PlatformConfigPatch): Record<string, unknown> => {
  const {
    credentialsCiphertext,
    masterFor,
    previousWebhookSecretCiphertext,
    previousWebhookSecretUntil,
    syncEntities,
    webhookSecretCiphertext,
    ...plain
  } = patch
  const columns: Record<string, unknown> = {
    ...plain,
    credentials: credentialsCiphertext,
    webhookSecret: webhookSecretCiphertext,
    webhookSecretPrevious: previousWebhookSecretCiphertext,
    webhookSecretPreviousUntil: previousWebhookSecretUntil,
    masterFor: masterFor === undefined ? undefined : jsonb(masterFor),
    syncEntities: syncEntities === undefined ? undefined : jsonb(syncEntities)
  }
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined))
}

const takenMessage = (
  constraint: string,
  config: {
    readonly restaurantId?: string
    readonly platform?: string
    readonly externalRestaurantId?: string | undefined
  }
) =>
  constraint.includes("external_restaurant_id")
    ? `The ${config.platform ?? "platform's"} restaurant id ${
      config.externalRestaurantId ?? ""
    } is already linked to another restaurant`
    : `Restaurant ${config.restaurantId} already has a ${config.platform} configuration`

const Columns = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Id = Schema.String

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const notFound = (id: string) => new PlatformConfigNotFound({ id })
  const taken = (config: Parameters<typeof takenMessage>[1]) => (error: SqlError) => {
    const constraint = uniqueViolation(error)
    return constraint === undefined
      ? Effect.die(error)
      : Effect.fail(new PlatformConfigTaken({ message: takenMessage(constraint, config) }))
  }
  const orNotFound = (id: string) => <A, E, R>(found: Effect.Effect<Option.Option<A>, E, R>) =>
    Effect.flatMap(found, Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed }))

  const insert = SqlSchema.single({
    Request: Columns,
    Result: ConfigRow,
    execute: (row) => sql`INSERT INTO sync_platform_configs ${sql.insert(row)} RETURNING *`
  })
  const byId = SqlSchema.findOne({
    Request: Id,
    Result: ConfigRow,
    execute: (id) => sql`SELECT * FROM sync_platform_configs WHERE id = ${id}`
  })
  const change = SqlSchema.findOne({
    Request: Schema.Struct({ id: Id, columns: Columns }),
    Result: ConfigRow,
    execute: ({ columns, id }) =>
      sql`UPDATE sync_platform_configs SET ${sql.update(columns)} WHERE id = ${id} RETURNING *`
  })
  const remove = SqlSchema.findOne({
    Request: Id,
    Result: Schema.Struct({ id: Id }),
    execute: (id) => sql`DELETE FROM sync_platform_configs WHERE id = ${id} RETURNING id`
  })
  const byExternal = SqlSchema.findOne({
    Request: Schema.Struct({ platform: Schema.String, externalRestaurantId: Schema.String }),
    Result: ConfigRow,
    execute: ({ externalRestaurantId, platform }) =>
      sql`SELECT * FROM sync_platform_configs WHERE platform = ${platform} AND external_restaurant_id = ${externalRestaurantId}`
  })
  const ofRestaurant = SqlSchema.findOne({
    Request: Schema.Struct({ restaurantId: Schema.String, platform: Schema.String }),
    Result: ConfigRow,
    execute: ({ platform, restaurantId }) =>
      sql`SELECT * FROM sync_platform_configs WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`
  })
  const active = SqlSchema.findAll({
    Request: Schema.Void,
    Result: ConfigRow,
    execute: () =>
      sql`SELECT * FROM sync_platform_configs WHERE is_active ORDER BY restaurant_id COLLATE "C", platform COLLATE "C"`
  })
  const recordOutcome = SqlSchema.void({
    Request: Schema.Struct({
      restaurantId: Schema.String,
      platform: Schema.String,
      outcome: Schema.Union(
        Schema.Struct({ ok: Schema.Literal(true), at: Schema.String }),
        Schema.Struct({ ok: Schema.Literal(false), error: Schema.String })
      )
    }),
    execute: ({ outcome, platform, restaurantId }) =>
      outcome.ok
        ? sql`UPDATE sync_platform_configs SET last_sync_at = ${outcome.at}, last_error = NULL
              WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`
        : sql`UPDATE sync_platform_configs SET last_error = ${outcome.error}
              WHERE restaurant_id = ${restaurantId} AND platform = ${platform}`
  })

  const get = (id: string) =>
    isUuid(id) ? byId(id).pipe(Effect.orDie, orNotFound(id), Effect.map(withoutSecrets)) : Effect.fail(notFound(id))

  return PlatformConfigRepository.of({
    create: (input) =>
      Effect.gen(function*() {
        const now = yield* nowIso
        const { id, ...write } = input
        const row = {
          id: id ?? crypto.randomUUID(),
          restaurantId: input.restaurantId,
          platform: input.platform,
          ...toColumns(write),
          createdAt: now,
          updatedAt: now
        }
        return withoutSecrets(
          yield* insert(row).pipe(
            Effect.catchTags({ SqlError: taken(input), ParseError: Effect.die, NoSuchElementException: Effect.die })
          )
        )
      }),
    get,
    list: (query) =>
      Effect.gen(function*() {
        const where = sql.and([
          ...(query.restaurantId === undefined ? [] : [sql`restaurant_id = ${query.restaurantId}`]),
          ...scopeCondition(sql, query.restaurantIds),
          ...(query.platform === undefined ? [] : [sql`platform = ${query.platform}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_platform_configs WHERE ${where}
          ORDER BY restaurant_id COLLATE "C", platform COLLATE "C" LIMIT ${query.limit} OFFSET ${query.offset}`.pipe(
          Effect.orDie
        )
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_platform_configs WHERE ${where}`
        const page = yield* toPage(query, rows, count, ConfigRow)
        return { ...page, items: page.items.map(withoutSecrets) }
      }),
    update: (id, patch) =>
      Effect.gen(function*() {
        if (!isUuid(id)) return yield* Effect.fail(notFound(id))
        const columns = toColumns(patch)
        if (Object.keys(columns).length === 0) return yield* get(id)
        const changed = yield* change({ id, columns: { ...columns, updatedAt: yield* nowIso } }).pipe(
          Effect.catchTags({ SqlError: taken(patch), ParseError: Effect.die }),
          orNotFound(id)
        )
        return withoutSecrets(changed)
      }),
    remove: (id) =>
      isUuid(id) ? remove(id).pipe(Effect.orDie, orNotFound(id), Effect.asVoid) : Effect.fail(notFound(id)),
    findByExternal: (platform, externalRestaurantId) => Effect.orDie(byExternal({ platform, externalRestaurantId })),
    findWithSecrets: (restaurantId, platform) => Effect.orDie(ofRestaurant({ restaurantId, platform })),
    listActive: () => Effect.orDie(active()),
    recordOutcome: (restaurantId, platform, outcome) => Effect.orDie(recordOutcome({ restaurantId, platform, outcome }))
  })
})

export const PlatformConfigRepositorySql = Layer.effect(PlatformConfigRepository, make)
