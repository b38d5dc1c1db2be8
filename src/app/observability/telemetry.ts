import * as OtlpMetrics from "@effect/opentelemetry/OtlpMetrics"
import * as OtlpSerialization from "@effect/opentelemetry/OtlpSerialization"
import * as OtlpTracer from "@effect/opentelemetry/OtlpTracer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { Context, Duration, Effect, Layer, Option, Redacted, Tracer } from "effect"
import * as OtlpProtobuf from "./otlp-protobuf.js"
import { sampledTracer, type TraceSampling } from "./trace-sampling.js"

/**
 * Traces over OTLP/HTTP (issue 22), on when they have a URL (config.ts, OTEL_EXPORTER_OTLP_*). Off,
 * the service creates none of the spans below: they cost CPU on the webhook path (see
 * webhook-intake.ts) and no one would read them.
 */
export class OtlpExport extends Context.Reference<OtlpExport>()("OtlpExport", { defaultValue: () => false }) {}

export interface TelemetryOptions {
  /** Where traces go (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT's `/v1/traces`); none, no span is made. */
  readonly tracesUrl: Option.Option<string>
  /** Where metrics go, from the HTTP thread only; none, they are not exported. */
  readonly metricsUrl: Option.Option<string>
  readonly protocol: "http/protobuf" | "http/json"
  readonly serviceName: string
  readonly headers: Option.Option<Redacted.Redacted>
  /** How long one export may wait for the collector (OTEL_EXPORTER_OTLP_TIMEOUT). */
  readonly timeout: Duration.DurationInput
  /** Which traces are exported (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG). */
  readonly sampling: TraceSampling
  /** The HTTP thread exports the metrics; the sync thread's settlements are counted there. */
  readonly thread: "main" | "sync"
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values URL-encoded. */
const parseHeaders = (given: Option.Option<Redacted.Redacted>): Record<string, string> =>
  Option.match(given, {
    onNone: () => ({}),
    onSome: (text) =>
      Object.fromEntries(
        Redacted.value(text).split(",").flatMap((pair) => {
          const at = pair.indexOf("=")
          return at <= 0 ? [] : [[pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())]]
        })
      )
  })

/**
 * The platform's own request and client spans are turned off: they record full URLs, and
 * URL-token webhooks carry their secret in the query (R-6.1). `withRequestSpan` and the
 * connectors' spans record paths only.
 */
const NoPlatformSpans = Layer.scopedDiscard(Effect.zipRight(
  Effect.locallyScoped(HttpMiddleware.currentTracerDisabledWhen, () => true),
  Effect.locallyScoped(HttpClient.currentTracerDisabledWhen, () => true)
))

/**
 * The exporters' HTTP client, with a deadline per export. @effect/opentelemetry sends a batch at
 * each 1,000 spans without waiting for the batch before, and undici waits five minutes for an
 * answer: a collector that takes connections and never answers would keep every batch of those
 * minutes in memory. An export past its deadline fails like a lost connection: the package tries
 * it again (3 times), then stops exporting for a minute, dropping the spans of that minute.
 */
export const exportHttpClient = (timeout: Duration.DurationInput) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (response, request) =>
        Effect.timeoutFail(response, {
          duration: timeout,
          onTimeout: () =>
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              description: `no answer within ${Duration.format(timeout)}`
            })
        })))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

export const TelemetryLive = (options: TelemetryOptions): Layer.Layer<OtlpExport> => {
  const resource = { serviceName: options.serviceName, attributes: { "alloresto.thread": options.thread } }
  const headers = parseHeaders(options.headers)
  // One serialization and one HTTP client for both exporters.
  const exportDependencies = Layer.merge(
    options.protocol === "http/json" ? OtlpSerialization.layerJson : OtlpProtobuf.layerProtobuf,
    exportHttpClient(options.timeout)
  )
  const exporting = <E, R>(layer: Layer.Layer<never, E, R>) => Layer.provide(layer, exportDependencies)
  const metrics = Option.match(options.thread === "main" ? options.metricsUrl : Option.none(), {
    onNone: () => Layer.empty,
    onSome: (url) => exporting(OtlpMetrics.layer({ url, resource, headers }))
  })
  const traces = Option.match(options.tracesUrl, {
    onNone: () => Layer.merge(Layer.succeed(OtlpExport, false), Layer.setTracerEnabled(false)),
    onSome: (url) =>
      Layer.mergeAll(
        exporting(Layer.unwrapScoped(
          Effect.map(
            OtlpTracer.make({ url, resource, headers }),
            (tracer) => Layer.setTracer(sampledTracer(tracer, options.sampling))
          )
        )),
        NoPlatformSpans,
        Layer.succeed(OtlpExport, true)
      )
  })
  return Layer.merge(traces, metrics)
}

/** The span of the request that stored a job, as it travels with the job (W3C `traceparent`). */
export const traceParentOf = (span: Tracer.AnySpan): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`

const externalSpan = (traceParent: string | null) =>
  traceParent === null
    ? undefined
    : Option.getOrUndefined(HttpTraceContext.w3c(Headers.fromInput({ traceparent: traceParent })))

/** What a sync attempt's span records of its job. */
export interface TracedJob {
  readonly id: number
  readonly direction: string
  readonly platform: string
  readonly restaurantId: string
  readonly entityType: string
  readonly attempts: number
  readonly traceParent: string | null
}

/**
 * One span per sync attempt, a child of the delivery's span when the job carries it: a webhook's
 * trace shows its acknowledgement and then what applying it did, even from the sync thread.
 */
export const withAttemptSpan = (name: string, job: TracedJob) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(OtlpExport, (on) =>
    on
      ? Effect.withSpan(self, name, {
        kind: "consumer",
        parent: externalSpan(job.traceParent),
        captureStackTrace: false,
        attributes: {
          jobId: job.id,
          direction: job.direction,
          platform: job.platform,
          restaurantId: job.restaurantId,
          entityType: job.entityType,
          attempt: job.attempts + 1
        }
      })
      : self)

/**
 * Work about a job done outside its attempt's span (a batch settles its events together): its
 * log lines still carry the delivery's trace id.
 */
export const withinJobTrace = (job: TracedJob) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(OtlpExport, (on) => {
    const parent = on ? externalSpan(job.traceParent) : undefined
    return parent === undefined ? self : Effect.withParentSpan(self, parent)
  })

/** The current span's `traceparent`, when spans are exported. */
export const currentTraceParent: Effect.Effect<string | null> = Effect.flatMap(
  OtlpExport,
  (on) =>
    on
      ? Effect.map(Effect.option(Effect.currentSpan), Option.match({ onNone: () => null, onSome: traceParentOf }))
      : Effect.succeed(null)
)

/**
 * Sets an attribute of the current span, when there is one. `Effect.annotateCurrentSpan` builds a
 * NoSuchElementException, stack trace included, each time there is none: with export off that
 * was 2% of the HTTP thread's CPU on the webhook path.
 */
export const annotateSpan = (key: string, value: unknown): Effect.Effect<void> =>
  Effect.map(Effect.serviceOption(Tracer.ParentSpan), (parent) => {
    if (Option.isSome(parent) && parent.value._tag === "Span") parent.value.attribute(key, value)
  })
