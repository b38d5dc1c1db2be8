import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

/** What an OTLP receiver was sent, per signal path (`/v1/traces`, `/v1/metrics`). */
export interface OtlpReceived {
  readonly requests: number
  readonly bytes: number
}

/**
 * A loopback OTLP/HTTP receiver for the bench: it takes every export, counts it, and answers as a
 * collector does (200, an empty message), so the exporters run their normal path at full cost.
 */
export const startOtlpReceiver = async () => {
  const received = new Map<string, { requests: number; bytes: number }>()
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? ""
    const counts = received.get(path) ?? { requests: 0, bytes: 0 }
    received.set(path, counts)
    request.on("data", (chunk: Buffer) => {
      counts.bytes += chunk.length
    })
    request.on("end", () => {
      counts.requests += 1
      const json = (request.headers["content-type"] ?? "").includes("json")
      response.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" })
      response.end(json ? "{}" : undefined)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received: (path: string): OtlpReceived => ({ ...(received.get(path) ?? { requests: 0, bytes: 0 }) }),
    /** Every path an export was sent to. */
    paths: (): ReadonlyArray<string> => [...received.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
