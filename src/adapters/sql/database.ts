import { NodeContext } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import * as PgMigrator from "@effect/sql-pg/PgMigrator"
import { Layer, Redacted, String } from "effect"
import { types as pgTypes } from "pg"
import { migrations } from "./migrations/index.js"

// Rows come back in the shapes the domain Schemas expect: instants as ISO strings, money as
// numbers, dates as YYYY-MM-DD, counts as numbers.
const typeParsers = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    switch (oid) {
      case pgTypes.builtins.TIMESTAMPTZ:
      case pgTypes.builtins.TIMESTAMP:
        return (value: string) => new Date(value).toISOString()
      case pgTypes.builtins.DATE:
        return (value: string) => value
      case pgTypes.builtins.NUMERIC:
      case pgTypes.builtins.INT8:
        return (value: string) => Number(value)
      default:
        return pgTypes.getTypeParser(oid, format)
    }
  }
}

interface DatabaseOptions {
  readonly url: Redacted.Redacted
  readonly maxConnections?: number | undefined
}

/** The PostgreSQL client (camelCase in TypeScript, snake_case in the database). */
export const PgLive = (options: DatabaseOptions) =>
  PgClient.layer({
    url: options.url,
    maxConnections: options.maxConnections ?? 20,
    transformResultNames: String.snakeToCamel,
    transformQueryNames: String.camelToSnake,
    // Column names only: jsonb values (platform payloads, raw data) come back exactly as stored.
    transformJson: false,
    types: typeParsers as never
  })

/** Applies the numbered migrations. */
const MigrationsLive = PgMigrator.layer({ loader: migrations }).pipe(Layer.provide(NodeContext.layer))

export const DatabaseLive = (options: DatabaseOptions) => MigrationsLive.pipe(Layer.provideMerge(PgLive(options)))
