import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Duration, Effect, Layer } from "effect"
import { ConnectorRegistryLive } from "../adapters/platforms/registry.js"
import { AppConfig } from "./config.js"
import { CredentialCipherFromConfig } from "./credentials-key.js"
import { DatabaseFromConfig } from "./database-layer.js"
import { HttpLive } from "./http/server.js"
import { LoggingLive } from "./observability/logger.js"
import { AppServicesLive, RepositoriesSql } from "./layers.js"
import { defaultSyncSettings, SyncSettings } from "./sync/settings.js"
import { WorkersLive } from "./workers.js"

const FromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => {
    const settings = Layer.succeed(SyncSettings, {
      ...defaultSyncSettings,
      batchSize: config.workerBatchSize,
      concurrency: config.workerConcurrency,
      pollInterval: config.workerPollInterval,
      leaseMs: Duration.toMillis(config.workerLease)
    })
    const connectors = ConnectorRegistryLive({
      rateLimit: { limit: config.platformRateLimit, window: config.platformRateWindow },
      http: { timeout: config.platformTimeout }
    }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    const workers = config.workersEnabled ? WorkersLive : Layer.empty
    return Layer.mergeAll(
      HttpLive({ port: config.port, host: config.host, maxBodyBytes: config.maxBodyBytes }),
      workers
    ).pipe(
      Layer.provide(AppServicesLive),
      Layer.provide(Layer.mergeAll(connectors, settings))
    )
  })
)

export const MainLive = FromConfig.pipe(
  Layer.provide(RepositoriesSql),
  Layer.provide(CredentialCipherFromConfig),
  Layer.provide(DatabaseFromConfig)
)

// Loggers first, so every line of the service, from its start to its shutdown, is structured.
const LoggingFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => LoggingLive({ format: config.logFormat, level: config.logLevel, otelEndpoint: config.otelEndpoint }))
)

NodeRuntime.runMain(Layer.launch(MainLive.pipe(Layer.provide(LoggingFromConfig))))
