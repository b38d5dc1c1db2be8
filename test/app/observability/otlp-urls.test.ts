import { Effect, Metric, Option } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { OtlpExport, TelemetryLive } from "../../../src/app/observability/telemetry.js"
import { defaultTraceSampling } from "../../../src/app/observability/trace-sampling.js"

// A loopback receiver that answers as a collector does and keeps the paths it was sent to.
const paths: Array<string> = []
const receiver = createServer((request, response) => {
  paths.push(request.url ?? "")
  request.resume()
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json" })
    response.end("{}")
  })
})
let base = ""

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

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
    paths.length = 0
    const exported = await traceAndCount(Option.some(`${base}/tempo/traces`), Option.some(`${base}/mimir/metrics`))
    expect(exported).toBe(true)
    expect(paths).toContain("/tempo/traces")
    expect(paths).toContain("/mimir/metrics")
    expect(paths.every((path) => path === "/tempo/traces" || path === "/mimir/metrics")).toBe(true)
  })

  it("exports metrics alone, with the tracer off, when only metrics have a URL", async () => {
    paths.length = 0
    const exported = await traceAndCount(Option.none(), Option.some(`${base}/v1/metrics`))
    expect(exported).toBe(false)
    expect(paths).toContain("/v1/metrics")
    expect(paths.every((path) => path === "/v1/metrics")).toBe(true)
  })
})
