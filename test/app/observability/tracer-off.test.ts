import { Effect, Exit, Layer, LogLevel, Option } from "effect"
import { assert, describe, expect, it } from "vitest"
import { LoggingLive } from "../../../src/app/observability/logger.js"
import { OtlpExport, TelemetryLive } from "../../../src/app/observability/telemetry.js"
import { defaultTraceSampling } from "../../../src/app/observability/trace-sampling.js"
import { appSettingFrom } from "../../support/app-config.js"
import { stdoutLinesOf } from "../../support/stdout-lines.js"

const telemetry = (endpoint: Option.Option<string>) =>
  TelemetryLive({
    endpoint,
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

describe("OTEL_SDK_DISABLED", () => {
  const endpoint = (env: Record<string, string>) => appSettingFrom(env, (config) => config.otelEndpoint)
  const collector = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }

  it("turns export off even with an endpoint set, as OpenTelemetry's SDKs do", () => {
    expect(endpoint(collector)).toEqual(Exit.succeed(Option.some("http://127.0.0.1:4318")))
    expect(endpoint({ ...collector, OTEL_SDK_DISABLED: "false" })).toEqual(
      Exit.succeed(Option.some("http://127.0.0.1:4318"))
    )
    expect(endpoint({ ...collector, OTEL_SDK_DISABLED: "true" })).toEqual(Exit.succeed(Option.none()))
  })

  it("refuses a value that is not a boolean", () => {
    expect(Exit.isFailure(endpoint({ ...collector, OTEL_SDK_DISABLED: "sometimes" }))).toBe(true)
  })
})
