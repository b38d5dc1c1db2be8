import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import { DatabaseHealth, DatabaseUnreachable } from "../../ports/database-health.js"

export const DatabaseHealthSql = Layer.effect(
  DatabaseHealth,
  Effect.map(
    SqlClient.SqlClient,
    (sql) =>
      DatabaseHealth.of({
        ping: sql`SELECT 1`.pipe(Effect.asVoid, Effect.mapError((cause) => new DatabaseUnreachable({ cause })))
      })
  )
)
