import * as NodeContext from "@effect/platform-node/NodeContext"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as PgMigrator from "@effect/sql-pg/PgMigrator"
import type { MigrationError } from "@effect/sql/Migrator"
import { SqlError } from "@effect/sql/SqlError"
import { Data, Duration, Effect, Layer, Redacted } from "effect"
import { Pool, types as pgTypes } from "pg"
import { roleOf } from "./database-reachable.js"
import { migrations } from "./migrations/index.js"
import { columnName, fieldName } from "./names.js"
import { defaultPoolSize } from "./pool-size.js"
import { cacheStatements } from "./statement-cache.js"

/**
 * An instant as PostgreSQL writes it (`2030-06-07 19:30:00+02`), as an ISO string. V8's own parse
 * is the fast one, but it takes a year below 100 for the twentieth or twenty-first century
 * (`0001-01-01` read back as 2001): those go through `pg`'s parser, which reads the year as written.
 */
const instantParser = (oid: number) => {
  const exact = pgTypes.getTypeParser(oid) as (value: string) => Date
  return (value: string) => (value.startsWith("00") ? exact(value) : new Date(value)).toISOString()
}
const instantParsers = {
  [pgTypes.builtins.TIMESTAMPTZ]: instantParser(pgTypes.builtins.TIMESTAMPTZ),
  [pgTypes.builtins.TIMESTAMP]: instantParser(pgTypes.builtins.TIMESTAMP)
}

// Rows come back in the shapes the domain Schemas expect: instants as ISO strings, money as
// numbers, dates as YYYY-MM-DD, counts as numbers.
const typeParsers = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    switch (oid) {
      case pgTypes.builtins.TIMESTAMPTZ:
      case pgTypes.builtins.TIMESTAMP:
        return instantParsers[oid]
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
  /** Prepared statements kept per connection (see `cacheStatements`); 0 sends every statement unnamed. */
  readonly statementCache?: number | undefined
}

/** How long the first connection may take at start-up. */
const connectTimeout = Duration.seconds(5)

/** The pool the client runs on, checked with one query and ended with the scope. */
const acquirePool = (options: DatabaseOptions) =>
  Effect.gen(function*() {
    const pool = new Pool({
      connectionString: Redacted.value(options.url),
      // No checkout timeout: under a burst a request waits for a connection rather than failing.
      max: options.maxConnections ?? defaultPoolSize,
      application_name: "alloresto-sync",
      types: typeParsers as never
    })
    // A connection lost while idle is replaced on the next checkout; the query in flight fails on its own.
    pool.on("error", () => {})
    cacheStatements(pool, options.statementCache ?? defaultStatementCache)
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => pool.query("SELECT 1"),
        catch: (cause) => new SqlError({ cause, message: "PgClient: Failed to connect" })
      }),
      () => Effect.promise(() => pool.end()).pipe(Effect.interruptible, Effect.timeoutOption(1000))
    ).pipe(
      Effect.timeoutFail({
        duration: connectTimeout,
        onTimeout: () =>
          new SqlError({ cause: new Error("Connection timed out"), message: "PgClient: Connection timed out" })
      })
    )
    return pool
  })

/** Enough for the statements of every hot path, few enough to keep each connection's plans small. */
export const defaultStatementCache = 100

/** The PostgreSQL client (camelCase in TypeScript, snake_case in the database). */
export const PgLive = (options: DatabaseOptions) =>
  PgClient.layerFromPool({
    acquire: acquirePool(options),
    transformResultNames: fieldName,
    transformQueryNames: columnName,
    // Column names only: jsonb values (platform payloads, raw data) come back exactly as stored.
    transformJson: false
  })

/** The schema cannot be brought up to date: one line, in PostgreSQL's words, no stack. */
export class DatabaseSetupError extends Data.TaggedError("DatabaseSetupError")<{ readonly message: string }> {}

/** The PostgreSQL error at the bottom of a migration's failure (it comes wrapped once or twice). */
const serverError = (e: unknown): { readonly code: string; readonly message: string } | undefined => {
  for (let at = e; typeof at === "object" && at !== null; at = (at as { readonly cause?: unknown }).cause) {
    const { code, severity } = at as { readonly code?: unknown; readonly severity?: unknown }
    if (typeof code === "string" && typeof severity === "string") return { code, message: (at as Error).message }
  }
  return undefined
}

const setupError = (url: Redacted.Redacted) => (e: MigrationError | SqlError) => {
  const server = serverError(e)
  // 42501: insufficient_privilege, a role that may connect but not create tables.
  const role = roleOf(url)
  const remedy = server?.code === "42501"
    ? `; the role needs to create tables in the database's public schema (GRANT CREATE ON SCHEMA public TO ${
      role === "" ? "<role>" : role
    }, or make it the schema's owner)`
    : ""
  return new DatabaseSetupError({
    message: `the database schema cannot be brought up to date: ${server?.message ?? e.message}${remedy}`
  })
}

/** Applies the numbered migrations. */
const MigrationsLive = (options: DatabaseOptions) =>
  PgMigrator.layer({ loader: migrations }).pipe(
    Layer.provide(NodeContext.layer),
    Layer.mapError(setupError(options.url))
  )

export const DatabaseLive = (options: DatabaseOptions) =>
  MigrationsLive(options).pipe(Layer.provideMerge(PgLive(options)))
