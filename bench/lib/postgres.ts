import { Effect, Exit, Layer, Redacted, Scope } from "effect"
import pg from "pg"
import { DatabaseLive } from "../../src/adapters/sql/database.js"
import { embeddedPostgres } from "../../src/adapters/sql/embedded-postgres.js"

/** A PostgreSQL cluster the bench (or a fault test) started itself, and can stop and start again. */
export interface Cluster {
  readonly url: string
  readonly port: number
  readonly pid: () => number
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
  readonly close: () => Promise<void>
}

/** Runs one statement on a fresh connection (admin work: no pool to leak). */
export const exec = async <R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: ReadonlyArray<unknown> = []
) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query<R>(text, [...values])
  } finally {
    await client.end()
  }
}

/**
 * What pgbench does before each run: each database vacuumed and analysed, then a checkpoint, so a
 * measured part starts without the cleanup that earlier parts left (autovacuum of another
 * database's dead rows, a checkpoint falling due) running beside it on the same cores.
 */
export const settleDatabases = async (adminUrl: string, urls: ReadonlyArray<string>) => {
  for (const url of urls) await exec(url, "VACUUM (ANALYZE)")
  // A server given by DATABASE_URL may not grant CHECKPOINT: the vacuum alone is still worth it.
  await exec(adminUrl, "CHECKPOINT").catch(() => undefined)
}

export const withDatabase = (url: string, database: string) => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * Starts the service's own embedded PostgreSQL (same binaries, same start-up code). With
 * `statStatements`, pg_stat_statements is preloaded: embeddedPostgres takes no `-c` flags, so
 * the setting goes through ALTER SYSTEM and one restart.
 */
export const startCluster = async (
  options: { readonly rootDir: string; readonly statStatements: boolean }
): Promise<Cluster> => {
  let scope: Scope.CloseableScope | undefined
  let pid = -1
  let port: number | undefined
  let url = ""
  const start = async () => {
    const s = Effect.runSync(Scope.make())
    const pgInfo = await Effect.runPromise(embeddedPostgres({ rootDir: options.rootDir, port }).pipe(Scope.extend(s)))
    scope = s
    pid = pgInfo.pid
    port = pgInfo.port
    url = pgInfo.url
  }
  const stop = async () => {
    const s = scope
    scope = undefined
    if (s !== undefined) await Effect.runPromise(Scope.close(s, Exit.void))
  }
  await start()
  if (options.statStatements) {
    await exec(url, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    // Utility statements (BEGIN, COMMIT) are round trips too: keep them counted.
    await exec(url, "ALTER SYSTEM SET pg_stat_statements.track_utility = on")
    await stop()
    await start()
    await exec(url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
  }
  return { url, port: port ?? 0, pid: () => pid, stop, start, close: stop }
}

/** A database of its own on the cluster, migrated by the service's own migrations. */
export const createMigratedDatabase = async (adminUrl: string, name: string) => {
  await exec(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await exec(adminUrl, `CREATE DATABASE ${name}`)
  const url = withDatabase(adminUrl, name)
  await Effect.runPromise(Effect.scoped(Layer.build(DatabaseLive({ url: Redacted.make(url), maxConnections: 1 }))))
  return url
}

/** Copies the rows of `table` matching `where` from one database to another of the same schema. */
export const copyRows = async (
  fromUrl: string,
  toUrl: string,
  table: string,
  where: string,
  values: ReadonlyArray<unknown>
) => {
  const { rows } = await exec<{ rows: unknown }>(
    fromUrl,
    `SELECT coalesce(jsonb_agg(t), '[]') AS rows FROM ${table} t WHERE ${where}`,
    values
  )
  await exec(
    toUrl,
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows[0]!.rows)]
  )
}
