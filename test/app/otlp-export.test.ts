import { Effect, Exit, Scope } from "effect"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { adminApiKey, freePort, npmStartArgs, waitFor } from "../../bench/lib/service.js"
import { bookingEnvelope, sign } from "../../bench/lib/webhooks.js"
import { freshDatabaseUrl } from "../support/database.js"

interface OtlpValue {
  readonly stringValue?: string
  readonly intValue?: string | number
}

interface OtlpAttribute {
  readonly key: string
  readonly value: OtlpValue
}

interface OtlpSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes: ReadonlyArray<OtlpAttribute>
}

interface Received {
  readonly path: string
  readonly body: string
}

/** A loopback OTLP/HTTP receiver (JSON encoding): keeps every export it is sent. */
const otlpReceiver = async () => {
  const received: Array<Received> = []
  const server: Server = createServer((request, response) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => (body += chunk))
    request.on("end", () => {
      received.push({ path: request.url ?? "", body })
      response.writeHead(200, { "content-type": "application/json" })
      response.end("{}")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const spans = () =>
    received.filter((r) => r.path === "/v1/traces").flatMap((r) => {
      const parsed = JSON.parse(r.body) as {
        resourceSpans: ReadonlyArray<{ scopeSpans: ReadonlyArray<{ spans: ReadonlyArray<OtlpSpan> }> }>
      }
      return parsed.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const valueOf = (attributes: ReadonlyArray<OtlpAttribute>, key: string) => {
  const value = attributes.find((a) => a.key === key)?.value
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : String(value.intValue))
}

const attribute = (span: OtlpSpan, key: string) => valueOf(span.attributes, key)

/** The resource attributes of every export to `path` (`/v1/traces` or `/v1/metrics`). */
const resourcesOf = (received: ReadonlyArray<Received>, path: string) =>
  received.filter((r) => r.path === path).flatMap((r) => {
    const parsed = JSON.parse(r.body) as Record<
      string,
      ReadonlyArray<{ resource: { attributes: Array<OtlpAttribute> } }>
    >
    return (parsed["resourceSpans"] ?? parsed["resourceMetrics"] ?? []).map((resource) => resource.resource.attributes)
  })

// Issue 22: with OTEL_EXPORTER_OTLP_ENDPOINT set, the service (as npm start runs it, the sync
// workers in their own thread) exports a span for a webhook delivery and one for the sync attempt
// that applied it, in the same trace, the attempt a child of the delivery; logs carry the trace id.
describe("OTLP export", () => {
  const scope = Effect.runSync(Scope.make())
  // One database for the cases, so one key for the credentials they store in it.
  const credentialsKey = randomBytes(32).toString("base64")
  let databaseUrl = ""
  beforeAll(async () => {
    databaseUrl = await Effect.runPromise(Scope.extend(freshDatabaseUrl, scope))
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  /**
   * The service as `npm start` runs it, exporting to a loopback receiver in JSON, with a Zenchef
   * config for a new restaurant; `body` gets what it needs to deliver webhooks and read the
   * output, and the service is stopped (SIGTERM, exit 0) after it.
   */
  const withTracedService = async (
    env: Record<string, string>,
    body: (service: {
      readonly receiver: Awaited<ReturnType<typeof otlpReceiver>>
      readonly output: () => string
      readonly restaurantUid: string
      readonly restaurantId: string
      readonly deliver: (eventId: string, headers?: Record<string, string>) => Promise<void>
    }) => Promise<void>
  ) => {
    const receiver = await otlpReceiver()
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-otlp-"))
    const port = await freePort()
    const child = spawn(process.execPath, npmStartArgs(), {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        WORKER_POLL_INTERVAL: "50 millis",
        // An external database wants the credentials key given (both spellings, old and new).
        CREDENTIALS_KEY: credentialsKey,
        CREDENTIALS_KEYS: credentialsKey,
        // The platform's address (nothing listens there) is on loopback, which the egress policy refuses unless named.
        PLATFORM_URL_ALLOWLIST: "127.0.0.1",
        // Every route but /health and the webhooks takes an API key (issue 17).
        ADMIN_API_KEY: adminApiKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        // A settled success and an accepted delivery are logged at debug level.
        LOG_LEVEL: "Debug",
        ...env
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    const base = `http://127.0.0.1:${port}`
    const restaurantUid = randomBytes(4).toString("hex")
    const restaurantId = `resto-${restaurantUid}`
    const secret = `whsec_${randomBytes(24).toString("base64")}`
    try {
      await waitFor("/health", async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000, 200).catch(
        (e: unknown) => {
          throw new Error(`${String(e)}\n${output}`)
        }
      )
      const config = await fetch(`${base}/api/platform-configs`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminApiKey}` },
        body: JSON.stringify({
          restaurantId,
          platform: "zenchef",
          credentials: {
            apiKey: "otlp-test-key",
            restaurantUid,
            timezone: "Europe/Paris",
            baseUrl: "http://127.0.0.1:9"
          },
          webhookSecret: secret,
          syncEntities: ["reservation"]
        })
      })
      expect(config.status, `${await config.clone().text()}\n${output}`).toBe(201)

      const deliver = async (eventId: string, headers: Record<string, string> = {}) => {
        const envelope = bookingEnvelope({
          restaurantUid,
          uid: `booking-${eventId}`,
          eventId,
          event: "booking.created",
          guest: 1,
          tables: 1,
          revision: 0
        })
        const delivered = await fetch(`${base}/api/webhooks/zenchef`, {
          method: "POST",
          headers: { ...sign(secret, `msg_${eventId}`, envelope), ...headers },
          body: envelope
        })
        expect(delivered.status, `${await delivered.clone().text()}\n${output}`).toBe(200)
      }
      await body({ receiver, output: () => output, restaurantUid, restaurantId, deliver })

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      child.kill("SIGTERM")
      expect(await exited, output).toBe(0)
      // Metrics are flushed at shutdown at the latest; no export carries a secret.
      expect(receiver.received.some((r) => r.path === "/v1/metrics" && r.body.includes("alloresto_syncs_total"))).toBe(
        true
      )
      // Every export names the service and carries the resource attributes given.
      const given = (env["OTEL_RESOURCE_ATTRIBUTES"] ?? "").split(",").filter((pair) => pair !== "")
      for (const path of ["/v1/traces", "/v1/metrics"]) {
        for (const attributes of resourcesOf(receiver.received, path)) {
          expect(valueOf(attributes, "service.name")).toBe("alloresto-sync")
          for (const [key, value] of given.map((pair) => pair.split("="))) expect(valueOf(attributes, key!)).toBe(value)
        }
      }
      for (const r of receiver.received) {
        expect(r.body).not.toContain(secret)
        expect(r.body).not.toContain("otlp-test-key")
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
      await receiver.close()
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  }

  it(
    "exports a webhook's span and the sync attempt it caused, linked",
    () =>
      withTracedService(
        { OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=otlp-test" },
        async ({ deliver, output, receiver, restaurantId, restaurantUid }) => {
          await deliver(`evt-${restaurantUid}`)

          // Spans leave every 5 s (the exporter's interval), from both threads.
          const [delivery, attempt] = await waitFor(
            "the delivery's span and its attempt's",
            async () => {
              const spans = receiver.spans()
              const request = spans.find((s) =>
                s.name === "http.server POST" && attribute(s, "url.path") === "/api/webhooks/zenchef"
              )
              const applied = spans.find((s) =>
                s.name.startsWith("SyncJob.") && attribute(s, "restaurantId") === restaurantId
              )
              return request !== undefined && applied !== undefined ? [request, applied] as const : undefined
            },
            30_000,
            250
          ).catch((e: unknown) => {
            throw new Error(`${String(e)}\nspans: ${receiver.spans().map((s) => s.name).join(", ")}\n${output()}`)
          })
          expect(attribute(delivery, "platform")).toBe("zenchef")
          expect(attribute(delivery, "restaurantId")).toBe(restaurantId)
          expect(attribute(delivery, "http.response.status_code")).toBe("200")
          expect(attempt.traceId).toBe(delivery.traceId)
          expect(attempt.parentSpanId).toBe(delivery.spanId)
          expect(attribute(attempt, "platform")).toBe("zenchef")
          expect(attribute(attempt, "direction")).toBe("inbound")
          expect(attribute(attempt, "jobId")).toMatch(/^\d+$/)

          // The delivery's access line and the attempt's line carry the trace they belong to.
          const accessLine = output().split("\n").find((line) =>
            line.includes("http request") && line.includes("/api/webhooks/zenchef")
          )
          expect(JSON.parse(accessLine ?? "{}").traceId, output()).toBe(delivery.traceId)
          const settledLine = await waitFor(
            "the attempt's log line",
            async () =>
              output().split("\n").find((line) => line.includes("sync settled") && line.includes(restaurantId)),
            10_000,
            100
          )
          expect(JSON.parse(settledLine).traceId).toBe(delivery.traceId)
          // Both threads export their spans.
          const threads = new Set(
            resourcesOf(receiver.received, "/v1/traces").map((a) => valueOf(a, "alloresto.thread"))
          )
          expect([...threads].sort()).toEqual(["main", "sync"])
        }
      ),
    90_000
  )

  it("exports only the traces its sampler keeps, and those its callers sampled", () =>
    withTracedService(
      { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" },
      async ({ deliver, output, receiver, restaurantId }) => {
        const callerTrace = randomBytes(16).toString("hex")
        await deliver("evt-unsampled")
        await deliver("evt-sampled", { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` })

        // Both are applied; the attempts' log lines name their traces.
        const settled = await waitFor(
          "both attempts' log lines",
          async () => {
            const lines = output().split("\n").filter((line) =>
              line.includes("sync settled") && line.includes(restaurantId)
            )
            return lines.length >= 2 ? lines.map((line) => JSON.parse(line) as { traceId?: string }) : undefined
          },
          20_000,
          100
        )
        const unsampledTrace = settled.map((line) => line.traceId).find((id) => id !== callerTrace)
        expect(unsampledTrace, output()).toMatch(/^[0-9a-f]{32}$/)

        // The caller's trace is exported, the delivery and its attempt; nothing of the other.
        const sampled = await waitFor(
          "the sampled delivery's spans",
          async () => {
            const spans = receiver.spans().filter((s) => s.traceId === callerTrace)
            return spans.some((s) => s.name.startsWith("SyncJob.")) && spans.some((s) => s.name === "http.server POST")
              ? spans
              : undefined
          },
          30_000,
          250
        ).catch((e: unknown) => {
          throw new Error(`${String(e)}\nspans: ${receiver.spans().map((s) => s.name).join(", ")}\n${output()}`)
        })
        expect(sampled.find((s) => s.name === "http.server POST")?.parentSpanId).toBe("00f067aa0ba902b7")
        expect(receiver.spans().filter((s) => s.traceId === unsampledTrace)).toEqual([])
        expect(
          receiver.spans().filter((s) => s.name === "http.server POST" && s.traceId !== callerTrace)
            .filter((s) => attribute(s, "restaurantId") === restaurantId)
        ).toEqual([])
      }
    ), 90_000)
})
