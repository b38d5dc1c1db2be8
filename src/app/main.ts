import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { ConfigError, Context, Duration, Effect, Layer } from "effect"
import { AdminKeyBootstrapLive } from "./api-key-bootstrap.js"
import { AppConfig } from "./config.js"
import { CredentialCipherFromConfig } from "./credentials-key.js"
import { DatabaseFromConfig, DatabaseLost } from "./database-layer.js"
import { ConnectorsFromConfig, ObservabilityFromConfig, SyncSettingsFromConfig } from "./from-config.js"
import { HttpLive } from "./http/server.js"
import { AppServicesLive, RepositoriesSql } from "./layers.js"
import { settingsErrorLine } from "./settings-error.js"
import { SyncThreadLive } from "./workers/sync-thread/host.js"
import { WorkersLive } from "./workers/workers.js"

const FromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => {
    // The sync workers take a thread of their own unless told otherwise: acknowledging webhooks
    // and applying them then use two cores instead of sharing one.
    const workers = !config.workersEnabled ? Layer.empty : config.syncThread ? SyncThreadLive : WorkersLive
    return Layer.mergeAll(
      HttpLive({
        port: config.port,
        host: config.host,
        maxBodyBytes: config.maxBodyBytes,
        writeConcurrency: config.databasePoolSize,
        metricsToken: config.metricsToken,
        limits: {
          headersTimeoutSec: config.httpHeadersTimeoutSec,
          requestTimeoutSec: config.httpRequestTimeoutSec,
          keepAliveTimeoutSec: config.httpKeepAliveTimeoutSec,
          maxConnections: config.httpMaxConnections
        }
      }),
      workers
    ).pipe(
      // The admin key exists (or is written to DATA_DIR) before the server answers (issue 17).
      Layer.provide(AdminKeyBootstrapLive.pipe(Layer.provideMerge(AppServicesLive))),
      Layer.provide(Layer.mergeAll(ConnectorsFromConfig, SyncSettingsFromConfig))
    )
  })
)

// npm forwards the signal it receives to the service, and a terminal's Ctrl-C reaches both: the
// service may get the same signal twice. runMain handles the first and then lets go; a second
// must not end the process mid-shutdown, before the embedded PostgreSQL is stopped (issue #19).
// The first is kept for the line that says why the service stops.
let stopSignal: string | undefined
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void (stopSignal ??= signal))

let stoppingSince: number | undefined

/** The first thing a stop does, before the server and the workers close. */
const stoppingLine = Effect.flatMap(AppConfig, (config) =>
  Effect.suspend(() => {
    stoppingSince = Date.now()
    const why = stopSignal === undefined ? "stopping" : `${stopSignal} received: stopping`
    return Effect.logInfo(
      `${why}; sync attempts in flight have up to ${Duration.format(config.shutdownGrace)} to settle`
    )
  }))

/**
 * Released after everything but the logger: the last line of a run, once its database is closed.
 * A start that failed said why in its own line and has nothing to add.
 */
const StoppedLine = Layer.scopedDiscard(
  Effect.addFinalizer(() =>
    Effect.suspend(() =>
      stoppingSince === undefined ? Effect.void : Effect.logInfo(`stopped in ${Date.now() - stoppingSince} ms`)
    )
  )
)

const MainLive = FromConfig.pipe(
  Layer.provide(RepositoriesSql),
  Layer.provide(CredentialCipherFromConfig),
  Layer.provideMerge(DatabaseFromConfig),
  Layer.provide(StoppedLine)
)

// Runs until stopped by a signal, or until its database is gone for good (DatabaseLost).
const serve = Layer.build(MainLive.pipe(Layer.provide(ObservabilityFromConfig("main")))).pipe(
  Effect.tap(() => Effect.addFinalizer(() => Effect.orDie(stoppingLine))),
  Effect.flatMap((services) => Context.get(services, DatabaseLost)),
  Effect.scoped
)

const exitOne = () => Effect.sync(() => void (process.exitCode = 1))

NodeRuntime.runMain(
  serve.pipe(
    // A setting out of its range or of the wrong shape: one line, the logger not being set up yet.
    Effect.catchIf(ConfigError.isConfigError, (e) =>
      Effect.sync(() => {
        process.stdout.write(`${settingsErrorLine(e)}\n`)
        process.exitCode = 1
      })),
    // Each already said in one line where it arose (the database, credentials, API key and server
    // layers): exit 1 without a second report or a stack trace.
    Effect.catchTags({
      EmbeddedPostgresError: exitOne,
      CredentialsKeyError: exitOne,
      AdminKeyError: exitOne,
      DatabaseUnreachable: exitOne,
      DatabaseSetupError: exitOne,
      ListenError: exitOne
    })
  )
)
