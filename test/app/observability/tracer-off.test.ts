import { Effect, Exit, FiberRef, Layer, LogLevel, Option } from "effect"
import { assert, describe, expect, it } from "vitest"
import { LoggingLive } from "../../../src/app/observability/logger.js"
import { OtlpExport, TelemetryLive } from "../../../src/app/observability/telemetry.js"
import { defaultTraceSampling } from "../../../src/app/observability/trace-sampling.js"
import { traced } from "../../../src/ports/traced.js"
import { appSettingFrom } from "../../support/app-config.js"
import { stdoutLinesOf } from "../../support/stdout-lines.js"

const telemetry = (tracesUrl: Option.Option<string>) =>
  TelemetryLive({
    tracesUrl,
    metricsUrl: Option.none(),
    protocol: "http/json",
    serviceName: "test",
    headers: Option.none(),
    timeout: "10 seconds",
    sampling: defaultTraceSampling,
    thread: "main"
  })

// Issue 22: spans cost CPU on every request and statement; without an OTLP endpoint no one reads them.
describe("telemetry without an OTLP endpoint", () => {
  it("turns the tracer off, and log lines carry no trace ids", () => {
    const [[span, exported], lines] = stdoutLinesOf(() =>
      Effect.runSync(
        Effect.zip(
          Effect.withSpan(Effect.zipLeft(Effect.currentSpan, Effect.logInfo("inside a span")), "request"),
          OtlpExport
        ).pipe(
          Effect.provide(Layer.merge(telemetry(Option.none()), LoggingLive({ format: "json", level: LogLevel.Info })))
        )
      )
    )
    assert.isFalse(exported)
    assert.isFalse(span.sampled)
    assert.strictEqual(span.traceId, "noop")
    const [line] = lines.map((text) => JSON.parse(text) as Record<string, unknown>)
    assert.strictEqual(line?.["message"], "inside a span")
    assert.notProperty(line, "traceId")
    assert.notProperty(line, "spanId")
  })
})

describe("a span made only while the tracer is on (`traced`)", () => {
  const spanInside = Effect.option(Effect.currentSpan).pipe(
    traced("ApiKeys.authenticate", { attributes: { role: "app" } })
  )

  it("makes none with the tracer off, not even Effect's no-op span", () => {
    const span = Effect.runSync(Effect.locally(spanInside, FiberRef.currentTracerEnabled, false))
    assert.isTrue(Option.isNone(span))
    // Effect's own would have made one:
    const noop = Effect.runSync(
      Effect.locally(
        Effect.option(Effect.currentSpan).pipe(Effect.withSpan("x")),
        FiberRef.currentTracerEnabled,
        false
      )
    )
    assert.isTrue(Option.isSome(noop))
  })

  it("makes Effect's span, with its name and attributes, with the tracer on", () => {
    const span = Option.getOrThrow(Effect.runSync(spanInside))
    assert.strictEqual(span.name, "ApiKeys.authenticate")
    assert.strictEqual(span.attributes.get("role"), "app")
  })
})

describe("where traces and metrics go (OTLP endpoints)", () => {
  const urls = (env: Record<string, string>) =>
    appSettingFrom(env, (config) => ({ traces: config.otelTracesUrl, metrics: config.otelMetricsUrl }))
  const collector = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318/" }
  const both = {
    traces: Option.some("http://127.0.0.1:4318/v1/traces"),
    metrics: Option.some("http://127.0.0.1:4318/v1/metrics")
  }

  it("adds each signal's path to the common endpoint; a signal's own endpoint is taken as given", () => {
    expect(urls({})).toEqual(Exit.succeed({ traces: Option.none(), metrics: Option.none() }))
    expect(urls(collector)).toEqual(Exit.succeed(both))
    expect(urls({ ...collector, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/otlp" })).toEqual(
      Exit.succeed({ ...both, traces: Option.some("https://traces.example/otlp") })
    )
    expect(urls({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://127.0.0.1:9090/api/v1/otlp/v1/metrics" })).toEqual(
      Exit.succeed({ traces: Option.none(), metrics: Option.some("http://127.0.0.1:9090/api/v1/otlp/v1/metrics") })
    )
  })

  it("turns export off with OTEL_SDK_DISABLED=true, every endpoint still set, as OpenTelemetry's SDKs do", () => {
    expect(urls({ ...collector, OTEL_SDK_DISABLED: "false" })).toEqual(Exit.succeed(both))
    expect(
      urls({ ...collector, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/t", OTEL_SDK_DISABLED: "true" })
    ).toEqual(Exit.succeed({ traces: Option.none(), metrics: Option.none() }))
  })

  it("reads the protocol in any case, and refuses one it does not speak", () => {
    const protocol = (value: string) =>
      appSettingFrom({ OTEL_EXPORTER_OTLP_PROTOCOL: value }, (config) => config.otelProtocol)
    expect(appSettingFrom({}, (config) => config.otelProtocol)).toEqual(Exit.succeed("http/protobuf"))
    expect(protocol("HTTP/JSON")).toEqual(Exit.succeed("http/json"))
    expect(Exit.isFailure(protocol("grpc"))).toBe(true)
  })

  it("refuses what is not an http or https URL, and a switch that is not a boolean", () => {
    const refused: ReadonlyArray<Record<string, string>> = [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://127.0.0.1/" },
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" },
      { ...collector, OTEL_SDK_DISABLED: "sometimes" }
    ]
    for (const env of refused) expect(Exit.isFailure(urls(env)), JSON.stringify(env)).toBe(true)
  })
})
