import { Effect, Exit, Fiber, Layer, Redacted } from "effect"
import * as os from "node:os"
import { parentPort, workerData } from "node:worker_threads"
import { PgLive } from "../../../adapters/sql/database.js"
import { AppConfig } from "../../config.js"
import { CredentialCipherFromConfig } from "../../credentials-key.js"
import {
  ConnectorsFromConfig,
  LoggingFromConfig,
  ObservabilityFromConfig,
  SyncSettingsFromConfig
} from "../../from-config.js"
import { AppServicesLive, RepositoriesSql } from "../../layers.js"
import { causeLine } from "../../observability/cause-line.js"
import { type SettledAttempt, SettlementMetrics } from "../../observability/metrics.js"
import { WorkersLive } from "../workers.js"
import { type FromSyncThread, stopMessage, type SyncThreadData } from "./messages.js"

/**
 * The sync workers (job worker and poller) in a thread of their own, on their own pool of the
 * service's database. Settled attempts are counted by the thread that serves /metrics.
 */
const port = parentPort
if (port === null) throw new Error("the sync thread runs as a worker thread")
const { databaseUrl } = workerData as SyncThreadData
const send = (message: FromSyncThread) => port.postMessage(message)

// A batch settles hundreds of events at once: they cross to the host in one message per tick.
let unsent: Array<SettledAttempt> = []
const sendSettled = () => {
  if (unsent.length === 0) return
  send({ _tag: "Settled", entries: unsent })
  unsent = []
}

const CountedByHost = Layer.succeed(SettlementMetrics, {
  record: (entry) =>
    Effect.sync(() => {
      if (unsent.push(entry) === 1) setImmediate(sendSettled)
    })
})

const Database = Layer.unwrapEffect(
  Effect.map(
    AppConfig,
    (config) =>
      PgLive({
        url: Redacted.make(databaseUrl),
        maxConnections: config.databasePoolSize,
        statementCache: config.databaseStatementCache
      })
  )
)

const SyncThread = WorkersLive.pipe(
  Layer.provide(AppServicesLive),
  Layer.provide(Layer.mergeAll(ConnectorsFromConfig, SyncSettingsFromConfig)),
  Layer.provide(RepositoriesSql),
  Layer.provide(CredentialCipherFromConfig),
  Layer.provide(Database),
  Layer.provide(CountedByHost),
  Layer.provide(ObservabilityFromConfig("sync"))
)

/**
 * Acknowledging deliveries comes first: under contention for the cores, the thread that applies
 * them (the backlog is durable) yields to the HTTP thread. On Linux this sets the niceness of this
 * thread only; where the system refuses, the thread runs at the service's priority.
 */
const lowerPriority = Effect.flatMap(
  AppConfig,
  (config) =>
    Effect.try(() => os.setPriority(config.syncThreadNice)).pipe(
      Effect.catchAll((error) => Effect.logWarning(`sync thread priority unchanged: ${error.message}`))
    )
)

const fiber = Effect.runFork(
  Effect.zipRight(lowerPriority.pipe(Effect.provide(LoggingFromConfig)), Layer.launch(SyncThread))
)
port.on("message", (message: unknown) => {
  if (message === stopMessage) Effect.runFork(Fiber.interrupt(fiber))
})
fiber.addObserver((exit) => {
  sendSettled()
  // One line (issue 19): the host logs it at each restart, without a stack trace of file paths.
  send({ _tag: "Stopped", failure: Exit.isFailure(exit) && !Exit.isInterrupted(exit) ? causeLine(exit.cause) : null })
  // Whatever keeps this thread's loop alive (idle sockets) must not keep the service from stopping.
  port.close()
  process.exit(0)
})
