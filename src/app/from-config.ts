import { Duration, Effect, Layer, Option } from "effect"
import { ConnectorRegistryLive } from "../adapters/platforms/registry.js"
import { EgressHttpClientLive } from "../adapters/platforms/shared/egress-client.js"
import { PlatformRateLimiterSql } from "../adapters/sql/platform-rate-limiter.js"
import { AppConfig } from "./config.js"
import { LoggingLive } from "./observability/logger.js"
import { TelemetryLive } from "./observability/telemetry.js"
import { AppWebhookSettings } from "./workers/app-webhooks.js"
import { RetentionSettings } from "./workers/retention.js"
import { defaultSyncSettings, SyncSettings } from "./workers/settings.js"

// The pieces both the HTTP side and a sync thread build from the same environment.

export const SyncSettingsFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Layer.succeed(RetentionSettings, {
      jobs: config.jobRetention,
      logs: config.logRetention,
      deadLetters: config.deadLetterRetention,
      changeLog: config.changeLogRetention,
      batchSize: 500,
      interval: Duration.hours(1)
    }).pipe(
      Layer.merge(Layer.succeed(SyncSettings, {
        ...defaultSyncSettings,
        batchSize: config.workerBatchSize,
        inboundBatchSize: config.workerInboundBatchSize,
        concurrency: config.workerConcurrency,
        pollInterval: config.workerPollInterval,
        leaseMs: Duration.toMillis(config.workerLease),
        stopGrace: config.shutdownGrace
      })),
      Layer.merge(Layer.succeed(
        AppWebhookSettings,
        Option.map(Option.all({ url: config.appWebhookUrl, secret: config.appWebhookSecret }), ({ secret, url }) => ({
          url: url.toString(),
          secret,
          pollInterval: config.workerPollInterval,
          timeout: config.platformTimeout,
          leaseMs: Duration.toMillis(config.workerLease)
        }))
      ))
    ))
)

/**
 * The connectors, on an HttpClient whose every connection passes the egress policy (issue 18):
 * production URLs, or hosts PLATFORM_URL_ALLOWLIST names; internal addresses only when named.
 */
export const ConnectorsFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => {
    const egress = { allowedHosts: config.platformUrlAllowlist }
    // The client stays in the layer for the main app's webhooks (issue 21): the same egress policy applies.
    const rateLimit = { limit: config.platformRateLimit, window: config.platformRateWindow }
    return ConnectorRegistryLive({
      rateLimit,
      // Issue 19: the platforms' limits are per key, whichever instance sends: buckets in PostgreSQL.
      rateLimiter: PlatformRateLimiterSql(rateLimit),
      http: { timeout: config.platformTimeout },
      egress
    }).pipe(Layer.provideMerge(EgressHttpClientLive(egress)))
  })
)

// Loggers first, so every line of the service, from its start to its shutdown, is structured.
export const LoggingFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => LoggingLive({ format: config.logFormat, level: config.logLevel }))
)

/**
 * Logs, and traces and metrics over OTLP when they have a URL (OTEL_EXPORTER_OTLP_*). Each thread
 * exports its own spans; metrics leave from the HTTP thread, which counts the sync thread's too.
 */
export const ObservabilityFromConfig = (thread: "main" | "sync") =>
  Layer.unwrapEffect(Effect.map(AppConfig, (config) =>
    TelemetryLive({
      tracesUrl: config.otelTracesUrl,
      metricsUrl: config.otelMetricsUrl,
      protocol: config.otelProtocol,
      serviceName: config.otelServiceName,
      headers: config.otelHeaders,
      timeout: config.otelTimeout,
      sampling: { sampler: config.otelTracesSampler, ratio: config.otelTracesSamplerArg },
      thread
    }))).pipe(Layer.provideMerge(LoggingFromConfig))
