import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { AdminAudit, AuditEntry } from "../../ports/admin-audit.js"
import { nowIso, scopeCondition } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return AdminAudit.of({
    record: (entry) =>
      Effect.flatMap(nowIso, (now) =>
        sql`
          INSERT INTO sync_admin_audit (id, at, key_id, key_name, action, target, restaurant_id, detail)
          VALUES (${crypto.randomUUID()}, ${now}, ${entry.keyId}, ${entry.keyName}, ${entry.action},
                  ${entry.target}, ${entry.restaurantId}, ${entry.detail})`).pipe(Effect.orDie, Effect.asVoid),
    list: (query) =>
      Effect.gen(function*() {
        // A restricted caller sees the entries of its restaurants only, never the global ones.
        const where = sql.and([
          ...scopeCondition(sql, query.restaurantIds),
          ...(query.restaurantIds === undefined ? [] : [sql`restaurant_id IS NOT NULL`])
        ])
        const page = SqlSchema.findAll({
          Request: Schema.Void,
          Result: AuditEntry,
          execute: () =>
            sql`SELECT id, at, key_id, key_name, action, target, restaurant_id, detail FROM sync_admin_audit
                WHERE ${where} ORDER BY seq DESC LIMIT ${query.limit} OFFSET ${query.offset}`
        })
        const items = yield* Effect.orDie(page(undefined))
        const counted = yield* sql<{ readonly n: number }>`
          SELECT count(*)::int AS n FROM sync_admin_audit WHERE ${where}`.pipe(Effect.orDie)
        return { items, total: counted[0]?.n ?? 0 }
      })
  })
})

export const AdminAuditSql = Layer.effect(AdminAudit, make)
