import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { OpsSessionRepository } from "../../ports/ops-sessions.js"
import * as SqlSchema from "./sql-schema.js"

const Row = Schema.Struct({ idHash: Schema.String, keyId: Schema.String, expiresAt: Schema.String })

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const find = SqlSchema.findOne({
    Request: Schema.Struct({ idHash: Schema.String, now: Schema.String }),
    Result: Row,
    execute: ({ idHash, now }) =>
      sql`SELECT id_hash, key_id, expires_at FROM sync_ops_sessions WHERE id_hash = ${idHash} AND expires_at > ${now}`
  })
  return OpsSessionRepository.of({
    create: (session) =>
      sql.withTransaction(Effect.zipRight(
        sql`DELETE FROM sync_ops_sessions WHERE expires_at <= now()`,
        sql`INSERT INTO sync_ops_sessions (id_hash, key_id, expires_at)
            VALUES (${session.idHash}, ${session.keyId}, ${session.expiresAt})`
      )).pipe(Effect.orDie, Effect.asVoid),
    find: (idHash, now) => Effect.orDie(find({ idHash, now })),
    remove: (idHash) => sql`DELETE FROM sync_ops_sessions WHERE id_hash = ${idHash}`.pipe(Effect.orDie, Effect.asVoid)
  })
})

export const OpsSessionRepositorySql = Layer.effect(OpsSessionRepository, make)
