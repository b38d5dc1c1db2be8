import { Config, Duration, LogLevel, Option, Redacted } from "effect"
import { defaultSyncSettings } from "./workers/settings.js"

/** Every setting of the service, read once through Config (environment variables). */
export const AppConfig = Config.all({
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
  /** When absent, an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl: Config.option(Config.redacted("DATABASE_URL")).pipe(
    // An empty DATABASE_URL (a blank line in an .env file) means "not set".
    Config.map(Option.filter((url) => Redacted.value(url).trim() !== ""))
  ),
  dataDir: Config.string("DATA_DIR").pipe(Config.withDefault(".data")),
  /** 32 bytes, base64 or hex; when absent a key is generated once and kept in `dataDir`. */
  credentialsKey: Config.option(Config.redacted("CREDENTIALS_KEY")).pipe(
    Config.map(Option.filter((key) => Redacted.value(key).trim() !== ""))
  ),
  databasePoolSize: Config.integer("DATABASE_POOL_SIZE").pipe(Config.withDefault(20)),
  maxBodyBytes: Config.integer("MAX_BODY_BYTES").pipe(Config.withDefault(1_000_000)),
  workersEnabled: Config.boolean("WORKERS_ENABLED").pipe(Config.withDefault(true)),
  /** The sync workers in a thread of their own (a second core), or beside the HTTP server. */
  syncThread: Config.boolean("SYNC_THREAD").pipe(Config.withDefault(true)),
  /** Niceness of the sync thread (0-19): acknowledging webhooks keeps the upper hand on the cores. */
  syncThreadNice: Config.integer("SYNC_THREAD_NICE").pipe(Config.validate({ message: "must be between 0 and 19", validation: (n) => n >= 0 && n <= 19 }), Config.withDefault(10)),
  workerPollInterval: Config.duration("WORKER_POLL_INTERVAL").pipe(Config.withDefault(defaultSyncSettings.pollInterval)),
  workerBatchSize: Config.integer("WORKER_BATCH_SIZE").pipe(Config.withDefault(defaultSyncSettings.batchSize)),
  workerInboundBatchSize: Config.integer("WORKER_INBOUND_BATCH_SIZE").pipe(Config.withDefault(defaultSyncSettings.inboundBatchSize)),
  workerConcurrency: Config.integer("WORKER_CONCURRENCY").pipe(Config.withDefault(defaultSyncSettings.concurrency)),
  /** How long a claimed job stays its worker's before another instance may take it over. */
  workerLease: Config.duration("WORKER_LEASE").pipe(Config.withDefault(Duration.millis(defaultSyncSettings.leaseMs))),
  platformRateLimit: Config.integer("PLATFORM_RATE_LIMIT").pipe(Config.withDefault(100)),
  platformRateWindow: Config.duration("PLATFORM_RATE_WINDOW").pipe(Config.withDefault(Duration.minutes(1))),
  platformTimeout: Config.duration("PLATFORM_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10))),
  /** `json` (one object per line, for log collectors) or `pretty` (a developer's terminal). */
  logFormat: Config.literal("json", "pretty")("LOG_FORMAT").pipe(Config.withDefault("json" as const)),
  logLevel: Config.logLevel("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info)),
  /** Accepted but not used: OpenTelemetry export is not built in (README, Operations). */
  otelEndpoint: Config.option(Config.string("OTEL_EXPORTER_OTLP_ENDPOINT"))
})
export type AppConfig = Config.Config.Success<typeof AppConfig>

