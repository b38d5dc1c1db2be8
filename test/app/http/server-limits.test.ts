import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { connect } from "node:net"
import { IngressServer, makeWebhookIngress } from "../../../src/app/http/webhook-ingress.js"
import { makeTestApp } from "../../support/app.js"
import { listening } from "../../support/listening.js"

// Issue 18, server limits, on loopback.

/** A raw client: sends `head`, then `bodyBytes` in chunks (or stalls), and reports what came back and when the socket closed. */
const rawClient = (port: number, head: string, bodyBytes: number) =>
  Effect.async<{ readonly answer: string; readonly closedAfterMs: number; readonly error: string | undefined }>(
    (resume) => {
      const started = Date.now()
      const socket = connect(port, "127.0.0.1")
      let answer = ""
      let error: string | undefined
      socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")))
      socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
      socket.on("close", () => resume(Effect.succeed({ answer, closedAfterMs: Date.now() - started, error })))
      socket.write(head)
      const chunk = Buffer.alloc(64 * 1024, 120)
      let sent = 0
      const pump = () => {
        while (sent < bodyBytes) {
          const size = Math.min(chunk.length, bodyBytes - sent)
          sent += size
          if (!socket.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
            return void socket.once("drain", pump)
          }
        }
        if (bodyBytes > 0) socket.end()
      }
      pump()
    }
  )

describe("server limits", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.scoped("a slow-loris client is cut off within the configured request timeout", () =>
      Effect.gen(function*() {
        const server = new IngressServer(() => false, {
          headersTimeoutSec: 1,
          requestTimeoutSec: 1,
          keepAliveTimeoutSec: 1,
          maxConnections: 100
        })
        server.on("request", (req, res) => req.on("end", () => res.end("ok")).resume())
        const port = yield* listening(server)
        const [bodyStalled, headersStalled] = yield* Effect.all([
          rawClient(
            port,
            "POST /api/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
            0
          ),
          rawClient(port, "POST /api/reservations HTTP/1.1\r\nHost: x\r\n", 0)
        ], { concurrency: 2 })
        for (const cut of [bodyStalled, headersStalled]) {
          assert.isAtMost(cut.closedAfterMs, 3_000, "cut off after the 1 s timeout (timeouts are checked every second)")
          assert.isAtLeast(cut.closedAfterMs, 900)
        }
        assert.match(bodyStalled.answer, /^HTTP\/1\.1 408/)
      }), { timeout: 20_000 })

    it.scoped("20 concurrent 5 MB posts with Connection: close all get their 413", () =>
      Effect.gen(function*() {
        const maxBodyBytes = 1_000_000
        const server = new IngressServer(yield* makeWebhookIngress(maxBodyBytes))
        server.on("request", (_req, res) => res.writeHead(500).end())
        const port = yield* listening(server)
        const size = 5 * 1024 * 1024
        const head = (path: string) =>
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`
        const answers = yield* Effect.forEach(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? "/api/webhooks/zenchef" : "/api/reservations")),
          (path) => rawClient(port, head(path), size),
          { concurrency: 20 }
        )
        for (const a of answers) {
          assert.match(a.answer, /^HTTP\/1\.1 413 /, `answer: ${a.answer.slice(0, 40)} error: ${a.error}`)
          assert.include(a.answer, "PayloadTooLarge")
        }
      }), { timeout: 60_000 })
  })
})
