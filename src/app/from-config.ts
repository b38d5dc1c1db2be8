import { NodeHttpClient } from "@effect/platform-node"
import { Duration, Effect, Layer } from "effect"
import { ConnectorRegistryLive } from "../adapters/platforms/registry.js"
import { AppConfig } from "./config.js"
import { LoggingLive } from "./observability/logger.js"
import { defaultSyncSettings, SyncSettings } from "./workers/settings.js"

// The pieces both the HTTP side and a sync thread build from the same environment.

export const SyncSettingsFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Layer.succeed(SyncSettings, {
      ...defaultSyncSettings,
      batchSize: config.workerBatchSize,
      inboundBatchSize: config.workerInboundBatchSize,
      concurrency: config.workerConcurrency,
      pollInterval: config.workerPollInterval,
      leaseMs: Duration.toMillis(config.workerLease)
    }))
)

export const ConnectorsFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    ConnectorRegistryLive({
      rateLimit: { limit: config.platformRateLimit, window: config.platformRateWindow },
      http: { timeout: config.platformTimeout }
    }).pipe(Layer.provide(NodeHttpClient.layerUndici)))
)

// Loggers first, so every line of the service, from its start to its shutdown, is structured.
export const LoggingFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => LoggingLive({ format: config.logFormat, level: config.logLevel, otelEndpoint: config.otelEndpoint }))
)
