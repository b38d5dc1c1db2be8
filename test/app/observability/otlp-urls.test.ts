import { Effect, Metric, Option } from "effect"
import { describe, expect, it } from "vitest"
import { startOtlpReceiver } from "../../../bench/lib/otlp-receiver.js"
import { OtlpExport, TelemetryLive } from "../../../src/app/observability/telemetry.js"
import { defaultTraceSampling } from "../../../src/app/observability/trace-sampling.js"

/** A span and a counted metric under the telemetry given, which flushes both when its scope closes. */
const traceAndCount = (tracesUrl: Option.Option<string>, metricsUrl: Option.Option<string>) =>
  Effect.runPromise(
    Effect.zipLeft(
      OtlpExport,
      Effect.withSpan(Metric.increment(Metric.counter("otlp_urls_test_total")), "exported")
    ).pipe(
      Effect.provide(TelemetryLive({
        tracesUrl,
        metricsUrl,
        protocol: "http/json",
        serviceName: "test",
        headers: Option.none(),
        timeout: "2 seconds",
        sampling: defaultTraceSampling,
        thread: "main"
      }))
    )
  )

describe("OTLP export URLs", () => {
  it("sends traces and metrics each to its own URL, as given", async () => {
    const receiver = await startOtlpReceiver()
    try {
      const exported = await traceAndCount(
        Option.some(`${receiver.url}/tempo/traces`),
        Option.some(`${receiver.url}/mimir/metrics`)
      )
      expect(exported).toBe(true)
      expect([...receiver.paths()].sort()).toEqual(["/mimir/metrics", "/tempo/traces"])
      expect(receiver.received("/tempo/traces").requests).toBeGreaterThan(0)
      expect(receiver.received("/mimir/metrics").requests).toBeGreaterThan(0)
    } finally {
      await receiver.close()
    }
  })

  it("exports metrics alone, with the tracer off, when only metrics have a URL", async () => {
    const receiver = await startOtlpReceiver()
    try {
      const exported = await traceAndCount(Option.none(), Option.some(`${receiver.url}/v1/metrics`))
      expect(exported).toBe(false)
      expect(receiver.paths()).toEqual(["/v1/metrics"])
    } finally {
      await receiver.close()
    }
  })
})
