import { Effect, Queue } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import type { InboundRequest } from "../../../../src/ports/webhook-authenticator.js"

/**
 * Stands in for our webhook endpoint in connector tests: a loopback server that keeps each
 * delivery exactly as received (raw body, lower-case headers) and answers 204.
 */
export const startWebhookReceiver = Effect.gen(function*() {
  const deliveries = yield* Queue.unbounded<InboundRequest>()
  const server = yield* Effect.acquireRelease(
    Effect.async<http.Server>((resume) => {
      const created = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          const url = new URL(req.url ?? "/", "http://receiver")
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k.toLowerCase()] = v
          Queue.unsafeOffer(deliveries, {
            headers,
            query: Object.fromEntries(url.searchParams),
            rawBody: Buffer.concat(chunks).toString("utf8")
          })
          res.writeHead(204).end()
        })
      })
      created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    next: Queue.take(deliveries).pipe(
      Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "no webhook within 5 s" }),
      Effect.orDie
    )
  }
})
