import { Context, type Duration, Effect, Layer, Option, Redacted } from "effect"
import * as path from "node:path"
import { awaitDatabase } from "../adapters/sql/database-reachable.js"
import { DatabaseLive } from "../adapters/sql/database.js"
import { EmbeddedPostgresError, remedyDefault } from "../adapters/sql/embedded-postgres-error.js"
import { embeddedPostgres } from "../adapters/sql/embedded-postgres.js"
import { AppConfig } from "./config.js"

/** The URL of the database the service runs on, for a sync thread to open its own pool. */
export class DatabaseUrl extends Context.Tag("DatabaseUrl")<DatabaseUrl, Redacted.Redacted>() {}

/**
 * Fails when the database is gone for good: the embedded server ended without being asked to
 * (killed, crashed). The service then stops, rather than answer "database down" until someone
 * notices. Never for a DATABASE_URL, whose server may come back.
 */
export class DatabaseLost
  extends Context.Tag("DatabaseLost")<DatabaseLost, Effect.Effect<never, EmbeddedPostgresError>>()
{}

const embedded = (dataDir: string) =>
  embeddedPostgres({ rootDir: path.join(dataDir, "postgres") }).pipe(
    Effect.tap((pg) => Effect.logInfo(`embedded PostgreSQL started on 127.0.0.1:${pg.port} (pid ${pg.pid})`)),
    // One line an operator can act on: what failed and what to do, no stack trace (issue #19).
    Effect.tapError((e) =>
      Effect.logError(`the embedded PostgreSQL cannot start: ${e.message}; ${e.remedy ?? remedyDefault}`)
    ),
    Effect.map((pg) => ({
      url: Redacted.make(pg.serviceUrl),
      lost: pg.lost.pipe(
        Effect.flatMap((how) => {
          const message = `the embedded PostgreSQL (pid ${pg.pid}) ${how}`
          return Effect.logError(`${message}: stopping the service`).pipe(
            Effect.zipRight(new EmbeddedPostgresError({ message }))
          )
        })
      )
    }))
  )

const external = (url: Redacted.Redacted, wait: Duration.Duration) =>
  awaitDatabase(url, wait).pipe(
    Effect.tapError((e) => Effect.logError(e.message)),
    Effect.as({ url, lost: Effect.never })
  )

/**
 * DATABASE_URL when given, waited for (DATABASE_CONNECT_WAIT) should its server start after the
 * service; otherwise a real PostgreSQL embedded in the process's lifetime, its data kept under
 * DATA_DIR, stopped after everything using it has shut down. A failure to reach either, or
 * to migrate it, is logged here in one line; the entry point then ends without a second report.
 */
export const DatabaseFromConfig = Layer.unwrapScoped(
  Effect.gen(function*() {
    const config = yield* AppConfig
    const { lost, url } = Option.isSome(config.databaseUrl)
      ? yield* external(config.databaseUrl.value, config.databaseConnectWait)
      : yield* embedded(config.dataDir)
    return Layer.mergeAll(
      DatabaseLive({
        url,
        maxConnections: config.databasePoolSize,
        statementCache: config.databaseStatementCache
      }).pipe(Layer.tapError((e) => e._tag === "DatabaseSetupError" ? Effect.logError(e.message) : Effect.void)),
      Layer.succeed(DatabaseUrl, url),
      Layer.succeed(DatabaseLost, lost)
    )
  })
)
