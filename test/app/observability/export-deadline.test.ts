import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Duration, Effect, Either, Exit } from "effect"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exportHttpClient } from "../../../src/app/observability/telemetry.js"
import { appSettingFrom } from "../../support/app-config.js"

// A collector that takes the connection and the request, and never answers.
const held: Array<IncomingMessage> = []
const silent = createServer((request) => {
  held.push(request)
})
let url = ""

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`
})
afterAll(async () => {
  silent.closeAllConnections()
  await new Promise<void>((resolve) => silent.close(() => resolve()))
})

describe("the OTLP exporters' HTTP client", () => {
  it("gives up on a collector that does not answer within the export timeout", async () => {
    const startedAt = Date.now()
    const result = await Effect.runPromise(
      Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(HttpClientRequest.post(url))).pipe(
        Effect.either,
        Effect.provide(exportHttpClient(Duration.millis(300)))
      )
    )
    const elapsed = Date.now() - startedAt
    // The collector took the request (so this is a silent collector, not a refused connection);
    // under a loaded CI machine it has once recorded two arrivals, which says nothing of the deadline.
    expect(held.length).toBeGreaterThanOrEqual(1)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("RequestError")
      expect(result.left.message).toContain("no answer within")
    }
    expect(elapsed).toBeGreaterThanOrEqual(300)
    expect(elapsed).toBeLessThan(3_000)
  })
})

describe("OTEL_EXPORTER_OTLP_TIMEOUT", () => {
  const read = (env: Record<string, string>) => appSettingFrom(env, (config) => Duration.toMillis(config.otelTimeout))

  it("is in milliseconds, 10 s by default, as OpenTelemetry's exporters read it", () => {
    expect(read({})).toEqual(Exit.succeed(10_000))
    expect(read({ OTEL_EXPORTER_OTLP_TIMEOUT: "2500" })).toEqual(Exit.succeed(2_500))
  })

  it("refuses what is not a number of milliseconds above zero", () => {
    expect(Exit.isFailure(read({ OTEL_EXPORTER_OTLP_TIMEOUT: "0" }))).toBe(true)
    expect(Exit.isFailure(read({ OTEL_EXPORTER_OTLP_TIMEOUT: "10s" }))).toBe(true)
  })
})
