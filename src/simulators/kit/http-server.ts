import { Data, Effect, FiberSet } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface SimRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** A reply, or `Drop`: close the socket without answering (the client sees a network error). */
export type SimReply =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
  | { readonly _tag: "Drop" }

export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): SimReply => ({
  _tag: "Respond",
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(body)
})

export const empty = (status: number, headers: Readonly<Record<string, string>> = {}): SimReply => ({
  _tag: "Respond",
  status,
  headers,
  body: ""
})

export const drop: SimReply = { _tag: "Drop" }

export class SimulatorListenError extends Data.TaggedError("SimulatorListenError")<{ readonly message: string }> {}

export interface ServeOptions {
  readonly port?: number
  /** Loopback only: simulators are test fixtures, never exposed. */
  readonly host?: "127.0.0.1" | "localhost" | "::1"
  readonly maxBodyBytes?: number
}

class BodyTooLarge extends Data.TaggedError("BodyTooLarge") {}

const readBody = (req: http.IncomingMessage, maxBytes: number) =>
  Effect.async<string, BodyTooLarge>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        req.removeAllListeners("data")
        resume(Effect.fail(new BodyTooLarge()))
      } else chunks.push(chunk)
    })
    req.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
    req.on("error", () => resume(Effect.succeed("")))
  })

const write = (req: http.IncomingMessage, res: http.ServerResponse, reply: SimReply) => {
  if (reply._tag === "Drop") {
    req.socket.destroy()
    return
  }
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) })
  res.end(reply.body)
}

/**
 * A node:http server on loopback, closed with the scope. node:http rather than HttpServer because
 * dropped responses need the raw socket.
 */
export const serveLoopback = (handler: (request: SimRequest) => Effect.Effect<SimReply>, options: ServeOptions = {}) =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const maxBodyBytes = options.maxBodyBytes ?? 1_000_000
    const run = yield* FiberSet.makeRuntime<never, void, never>()

    const handle = (req: http.IncomingMessage, res: http.ServerResponse) =>
      Effect.gen(function*() {
        const url = new URL(req.url ?? "/", "http://simulator")
        const body = yield* readBody(req, maxBodyBytes)
        return yield* handler({
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body
        })
      }).pipe(
        Effect.catchTag("BodyTooLarge", () => Effect.succeed(json(413, { title: "Payload Too Large", status: 413 }))),
        Effect.catchAllDefect((defect) =>
          Effect.succeed(json(500, { title: "Simulator defect", status: 500, detail: String(defect) }))
        ),
        Effect.flatMap((reply) => Effect.sync(() => write(req, res, reply)))
      )

    const server = yield* Effect.acquireRelease(
      Effect.async<http.Server, SimulatorListenError>((resume) => {
        const created = http.createServer((req, res) => {
          run(handle(req, res))
        })
        created.once("error", (error) => resume(Effect.fail(new SimulatorListenError({ message: error.message }))))
        created.listen(options.port ?? 0, host, () => resume(Effect.succeed(created)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        })
    )
    const port = (server.address() as AddressInfo).port
    const authority = host === "::1" ? `[::1]:${port}` : `${host}:${port}`
    return { port, origin: `http://${authority}` }
  })
