import { Config, ConfigError, Duration, Either, LogLevel, Option, Redacted } from "effect"
import { parseDatabaseUrl } from "../adapters/sql/database-reachable.js"
import { defaultStatementCache } from "../adapters/sql/database.js"
import { defaultPoolSize } from "../adapters/sql/pool-size.js"
import { defaultTraceSampling, traceSamplers } from "./observability/trace-sampling.js"
import { defaultSyncSettings } from "./workers/settings.js"

/**
 * LOG_LEVEL by the names the README documents (`All`, `Trace`, `Debug`, `Info`, `Warning`,
 * `Error`, `Fatal`, `None`, as Effect's `LogLevel` tags) and the usual short ones (`warn`, `off`),
 * in any case. `Config.logLevel` alone knows only Effect's labels (`WARN`, `OFF`).
 */
const logLevelByName: ReadonlyMap<string, LogLevel.LogLevel> = new Map([
  ...LogLevel.allLevels.flatMap((level) =>
    [[level._tag.toLowerCase(), level], [level.label.toLowerCase(), level]] as const
  ),
  ["warn", LogLevel.Warning],
  ["off", LogLevel.None]
])

const logLevelSetting = (name: string) =>
  Config.string(name).pipe(Config.mapOrFail((value) => {
    const level = logLevelByName.get(value.trim().toLowerCase())
    return level === undefined
      ? Either.left(ConfigError.InvalidData(
        // mapOrFail puts the variable's name in front.
        [],
        `Expected a log level (${
          [...new Set(LogLevel.allLevels.map((l) => l._tag))].join(", ")
        }) but received "${value}"`
      ))
      : Either.right(level)
  }))

/** One of `values`, in any case: OpenTelemetry's variables take their enumerations so. */
const anyCaseLiteral = <const Values extends ReadonlyArray<string>>(name: string, values: Values) =>
  Config.string(name).pipe(Config.mapOrFail((given) => {
    const value = values.find((known) => known === given.trim().toLowerCase())
    return value === undefined
      ? Either.left(ConfigError.InvalidData([], `Expected one of ${values.join(", ")}, but got ${given}`))
      : Either.right(value as Values[number])
  }))

const otlpUrl = (name: string) =>
  Config.url(name).pipe(
    Config.validate({
      message: "Expected an http or https URL",
      validation: (url) => url.protocol === "http:" || url.protocol === "https:"
    }),
    Config.map((url) => url.href),
    Config.option
  )

/**
 * One signal's OTLP/HTTP URL, as OpenTelemetry's SDKs resolve it (their variable names, so a
 * collector's usual settings apply unchanged): `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT` as given, or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/<signal>` added; none when `OTEL_SDK_DISABLED` is true.
 */
const otlpSignalUrl = (signal: "TRACES" | "METRICS") =>
  Config.all([
    otlpUrl(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`),
    otlpUrl("OTEL_EXPORTER_OTLP_ENDPOINT"),
    Config.boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false))
  ]).pipe(Config.map(([given, base, disabled]) =>
    disabled ? Option.none() : Option.orElse(
      given,
      () => Option.map(base, (url) => `${url.replace(/\/+$/, "")}/v1/${signal.toLowerCase()}`)
    )
  ))

/** An integer setting from `min` to `max`: a zero pool or batch, or a port past 65535, stops the start. */
const integerIn = (name: string, min: number, max?: number) =>
  Config.integer(name).pipe(Config.validate({
    message: max === undefined ? `must be at least ${min}` : `must be from ${min} to ${max}`,
    validation: (n) => n >= min && (max === undefined || n <= max)
  }))

/** A duration setting longer than zero, or of at least `floor`. */
const durationFrom = (name: string, floor?: Duration.Duration) =>
  Config.duration(name).pipe(Config.validate({
    message: floor === undefined
      ? "must be longer than 0 (e.g. \"30 seconds\")"
      : `must be at least ${Duration.format(floor)}`,
    validation: (d) =>
      floor === undefined ? Duration.greaterThan(d, Duration.zero) : Duration.greaterThanOrEqualTo(d, floor)
  }))

/** Every setting of the service, read once through Config (environment variables). */
export const AppConfig = Config.all({
  // 0: a port the system chooses (tests).
  port: integerIn("PORT", 0, 65_535).pipe(Config.withDefault(3000)),
  /**
   * Issue 17: loopback unless told otherwise, so a first start on a laptop is not reachable from
   * its network; `HOST=0.0.0.0` (a container, behind a proxy) exposes it (README).
   */
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  /** When absent, an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl: Config.option(
    Config.string("DATABASE_URL").pipe(
      // Else the driver reads a word as a host name, and the start waits for it.
      Config.validate({
        message: "must be a postgres:// or postgresql:// URL (postgres://user:password@host:5432/database)",
        validation: (url) => url.trim() === "" || parseDatabaseUrl(url) !== undefined
      }),
      Config.map(Redacted.make)
    )
  ).pipe(
    // An empty DATABASE_URL (a blank line in an .env file) means "not set".
    Config.map(Option.filter((url) => Redacted.value(url).trim() !== ""))
  ),
  dataDir: Config.string("DATA_DIR").pipe(Config.withDefault(".data")),
  /**
   * Keys of 32 bytes (base64 or hex), comma-separated, newest first: the newest encrypts, every one
   * decrypts (key rotation, issue 18). CREDENTIALS_KEY is the one-key form. Without either, the
   * embedded database's installation generates one in `dataDir`; with DATABASE_URL, it is an error.
   */
  credentialsKeys: Config.all([
    Config.option(Config.redacted("CREDENTIALS_KEYS")),
    Config.option(Config.redacted("CREDENTIALS_KEY"))
  ]).pipe(Config.map((given) =>
    given.flatMap(Option.match({
      onNone: () => [],
      onSome: (keys) =>
        Redacted.value(keys).split(",").map((key) => key.trim()).filter((key) => key !== "").map(Redacted.make)
    }))
  )),
  /**
   * Issue 17: an admin API key (`ars_...`) to accept, stored hashed on start. Without it, a first
   * start with no key writes a new admin key to `dataDir`.
   */
  adminApiKey: Config.option(Config.redacted("ADMIN_API_KEY")).pipe(
    Config.map(Option.filter((key) => Redacted.value(key).trim() !== ""))
  ),
  /** Issue 17: a bearer token /metrics also accepts, for a scraper that holds no API key. */
  metricsToken: Config.option(Config.redacted("METRICS_TOKEN")).pipe(
    Config.map(Option.filter((token) => Redacted.value(token).trim() !== ""))
  ),
  /** How long a start waits for DATABASE_URL's server to accept connections (it may start after the service). */
  databaseConnectWait: Config.duration("DATABASE_CONNECT_WAIT").pipe(Config.withDefault(Duration.seconds(30))),
  databasePoolSize: integerIn("DATABASE_POOL_SIZE", 1).pipe(Config.withDefault(defaultPoolSize)),
  /**
   * Prepared statements kept per database connection; 0 sends every statement unnamed (for a pooler
   * that cannot keep prepared statements, such as PgBouncer before 1.21 in transaction mode).
   */
  databaseStatementCache: Config.integer("DATABASE_STATEMENT_CACHE").pipe(
    Config.validate({ message: "must be 0 or more", validation: (n) => n >= 0 }),
    Config.withDefault(defaultStatementCache)
  ),
  maxBodyBytes: integerIn("MAX_BODY_BYTES", 1024).pipe(Config.withDefault(1_000_000)),
  /** Issue 18, server limits: a client has this long to send its headers, and its whole request. */
  httpHeadersTimeoutSec: Config.integer("HTTP_HEADERS_TIMEOUT").pipe(
    Config.validate({ message: "must be at least 1 second", validation: (n) => n >= 1 }),
    Config.withDefault(10)
  ),
  httpRequestTimeoutSec: Config.integer("HTTP_REQUEST_TIMEOUT").pipe(
    Config.validate({ message: "must be at least 1 second", validation: (n) => n >= 1 }),
    Config.withDefault(30)
  ),
  /** How long an idle keep-alive connection stays open. */
  httpKeepAliveTimeoutSec: Config.integer("HTTP_KEEP_ALIVE_TIMEOUT").pipe(
    Config.validate({ message: "must be at least 1 second", validation: (n) => n >= 1 }),
    Config.withDefault(5)
  ),
  /** Connections served at once; more are closed on arrival. */
  httpMaxConnections: Config.integer("HTTP_MAX_CONNECTIONS").pipe(
    Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(1000)
  ),
  workersEnabled: Config.boolean("WORKERS_ENABLED").pipe(Config.withDefault(true)),
  /** The sync workers in a thread of their own (a second core), or beside the HTTP server. */
  syncThread: Config.boolean("SYNC_THREAD").pipe(Config.withDefault(true)),
  /** Niceness of the sync thread (0-19): acknowledging webhooks keeps the upper hand on the cores. */
  syncThreadNice: Config.integer("SYNC_THREAD_NICE").pipe(
    Config.validate({ message: "must be between 0 and 19", validation: (n) => n >= 0 && n <= 19 }),
    Config.withDefault(10)
  ),
  workerPollInterval: durationFrom("WORKER_POLL_INTERVAL").pipe(
    Config.withDefault(defaultSyncSettings.pollInterval)
  ),
  workerBatchSize: integerIn("WORKER_BATCH_SIZE", 1).pipe(Config.withDefault(defaultSyncSettings.batchSize)),
  workerInboundBatchSize: integerIn("WORKER_INBOUND_BATCH_SIZE", 1).pipe(
    Config.withDefault(defaultSyncSettings.inboundBatchSize)
  ),
  workerConcurrency: integerIn("WORKER_CONCURRENCY", 1).pipe(Config.withDefault(defaultSyncSettings.concurrency)),
  /** How long a claimed job stays its worker's before another instance may take it over. */
  // The lease is extended every third of it, and at least a second apart: a shorter one would run
  // out under a job still in flight, and another worker would take it too.
  workerLease: durationFrom("WORKER_LEASE", Duration.seconds(3)).pipe(
    Config.withDefault(Duration.millis(defaultSyncSettings.leaseMs))
  ),
  /** At SIGTERM or SIGINT, how long sync attempts in flight may take to settle before the service stops anyway. */
  shutdownGrace: Config.duration("SHUTDOWN_GRACE").pipe(Config.withDefault(defaultSyncSettings.stopGrace)),
  platformRateLimit: integerIn("PLATFORM_RATE_LIMIT", 1).pipe(Config.withDefault(100)),
  platformRateWindow: durationFrom("PLATFORM_RATE_WINDOW").pipe(
    Config.withDefault(Duration.minutes(1))
  ),
  platformTimeout: durationFrom("PLATFORM_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10))),
  /**
   * Issue 18, egress policy: hosts (names or IP literals, comma-separated) that platform credentials
   * may name instead of the production URLs, over http or https, internal addresses included.
   * Empty in production; `127.0.0.1,localhost` for the simulators.
   */
  platformUrlAllowlist: Config.string("PLATFORM_URL_ALLOWLIST").pipe(
    Config.withDefault(""),
    Config.map((text) => text.split(",").map((host) => host.trim().toLowerCase()).filter((host) => host !== ""))
  ),
  /**
   * Issue 21: where the change feed is sent as Standard Webhooks, and their signing secret
   * (`whsec_…`). Both or neither; without them, no webhook is sent.
   */
  appWebhookUrl: Config.option(Config.url("APP_WEBHOOK_URL")),
  appWebhookSecret: Config.option(Config.redacted("APP_WEBHOOK_SECRET")),
  /** Retention (issue 18): settled jobs and sync logs older than these are deleted by the worker. */
  jobRetention: durationFrom("JOB_RETENTION").pipe(Config.withDefault(Duration.days(30))),
  logRetention: durationFrom("LOG_RETENTION").pipe(Config.withDefault(Duration.days(90))),
  /** Dead letters wait for an operator's replay this long before they expire. */
  deadLetterRetention: durationFrom("DEAD_LETTER_RETENTION").pipe(
    Config.withDefault(Duration.days(180))
  ),
  /** Change-log entries older than this are deleted once delivered; older feed cursors are refused. */
  changeLogRetention: durationFrom("CHANGE_LOG_RETENTION").pipe(
    Config.withDefault(Duration.days(30))
  ),
  /** `json` (one object per line, for log collectors) or `pretty` (a developer's terminal). */
  logFormat: Config.literal("json", "pretty")("LOG_FORMAT").pipe(Config.withDefault("json" as const)),
  logLevel: logLevelSetting("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info)),
  /** Where traces and where metrics are sent over OTLP/HTTP; neither is exported without one (README, Traces). */
  otelTracesUrl: otlpSignalUrl("TRACES"),
  otelMetricsUrl: otlpSignalUrl("METRICS"),
  otelProtocol: anyCaseLiteral("OTEL_EXPORTER_OTLP_PROTOCOL", ["http/protobuf", "http/json"]).pipe(
    Config.withDefault("http/protobuf" as const)
  ),
  otelServiceName: Config.string("OTEL_SERVICE_NAME").pipe(Config.withDefault("alloresto-sync")),
  /** `key=value` pairs separated by commas: a vendor's API key travels here, hence redacted. */
  otelHeaders: Config.option(Config.redacted("OTEL_EXPORTER_OTLP_HEADERS")),
  /** How long one export may wait for the collector, in milliseconds as OpenTelemetry counts it. */
  otelTimeout: Config.integer("OTEL_EXPORTER_OTLP_TIMEOUT").pipe(
    Config.validate({ message: "Expected a number of milliseconds above 0", validation: (ms) => ms > 0 }),
    Config.map(Duration.millis),
    // OpenTelemetry's default.
    Config.withDefault(Duration.seconds(10))
  ),
  /** Which traces are exported (OpenTelemetry's sampler names; README, Traces). */
  otelTracesSampler: anyCaseLiteral("OTEL_TRACES_SAMPLER", traceSamplers).pipe(
    Config.withDefault(defaultTraceSampling.sampler)
  ),
  /** The share of traces the `traceidratio` samplers keep. */
  otelTracesSamplerArg: Config.number("OTEL_TRACES_SAMPLER_ARG").pipe(
    Config.validate({ message: "Expected a ratio from 0 to 1", validation: (ratio) => ratio >= 0 && ratio <= 1 }),
    Config.withDefault(defaultTraceSampling.ratio)
  )
})
export type AppConfig = Config.Config.Success<typeof AppConfig>
