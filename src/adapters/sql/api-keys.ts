import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { ApiKey, ApiKeyRepository } from "../../ports/api-keys.js"
import { isUuid, nowIso } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

// The hash is never selected back: nothing after the look-up needs it.
const columns = "id, name, role, restaurants, prefix, created_at, last_used_at, revoked_at"

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const selected = sql.literal(columns)
  const byHash = SqlSchema.findOne({
    Request: Schema.String,
    Result: ApiKey,
    execute: (hash) => sql`SELECT ${selected} FROM sync_api_keys WHERE key_hash = ${hash}`
  })
  const byId = SqlSchema.findOne({
    Request: Schema.String,
    Result: ApiKey,
    execute: (id) => sql`SELECT ${selected} FROM sync_api_keys WHERE id = ${id}`
  })
  const all = SqlSchema.findAll({
    Request: Schema.Void,
    Result: ApiKey,
    execute: () => sql`SELECT ${selected} FROM sync_api_keys ORDER BY created_at, id`
  })
  const revoke = SqlSchema.findOne({
    Request: Schema.Struct({ id: Schema.String, now: Schema.String }),
    Result: ApiKey,
    execute: ({ id, now }) =>
      sql`UPDATE sync_api_keys SET revoked_at = COALESCE(revoked_at, ${now}) WHERE id = ${id} RETURNING ${selected}`
  })

  return ApiKeyRepository.of({
    create: (key) =>
      Effect.gen(function*() {
        const now = yield* nowIso
        const rows = yield* sql`
          INSERT INTO sync_api_keys (id, name, role, restaurants, prefix, key_hash, created_at)
          VALUES (${key.id}, ${key.name}, ${key.role}, ${key.restaurants === null ? null : [...key.restaurants]},
                  ${key.prefix}, ${key.hash}, ${now})
          RETURNING ${selected}`.pipe(Effect.orDie)
        return yield* Effect.orDie(Schema.decodeUnknown(ApiKey)(rows[0]))
      }),
    findByHash: (hash) => Effect.orDie(byHash(hash)),
    get: (id) => (isUuid(id) ? Effect.orDie(byId(id)) : Effect.succeedNone),
    list: () => Effect.orDie(all(undefined)),
    revoke: (id) =>
      isUuid(id) ? Effect.flatMap(nowIso, (now) => Effect.orDie(revoke({ id, now }))) : Effect.succeedNone,
    touch: (id) =>
      Effect.flatMap(nowIso, (now) => sql`UPDATE sync_api_keys SET last_used_at = ${now} WHERE id = ${id}`).pipe(
        Effect.orDie,
        Effect.asVoid
      ),
    countActive: () =>
      sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM sync_api_keys WHERE revoked_at IS NULL`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows[0]?.n ?? 0)
      )
  })
})

export const ApiKeyRepositorySql = Layer.effect(ApiKeyRepository, make)
