import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer } from "effect"
import { HttpAppLive, NodeServerLive } from "../../src/app/http/server.js"

/** Base URL of the service under test, listening on a system-chosen loopback port. */
export class ServiceUrl extends Context.Tag("test/ServiceUrl")<ServiceUrl, string>() {}

const ServiceUrlLive = Layer.effect(
  ServiceUrl,
  Effect.map(HttpServer.HttpServer, (server) => {
    const address = server.address
    return address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  })
)

/** The HTTP API on real loopback HTTP, plus a client to call it. Requires the app's services. */
const httpOptions = { port: 0, host: "127.0.0.1", maxBodyBytes: 1_000_000 }

export const TestHttpLive = Layer.mergeAll(
  HttpAppLive(httpOptions),
  ServiceUrlLive,
  NodeHttpClient.layerUndici
).pipe(Layer.provide(NodeServerLive(httpOptions)), Layer.provideMerge(NodeHttpClient.layerUndici))

export interface RequestOptions {
  readonly rawBody?: string
  readonly contentType?: string
  readonly headers?: Record<string, string>
  readonly expectText?: boolean
}

/** One HTTP call to the service under test; the body is parsed as JSON unless told otherwise. */
export const request = (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown, options: RequestOptions = {}) =>
  Effect.gen(function* () {
    const base = yield* ServiceUrl
    const client = yield* HttpClient.HttpClient
    const req = HttpClientRequest.make(method)(`${base}${path}`).pipe(HttpClientRequest.setHeaders(options.headers ?? {}))
    const withBody = options.rawBody !== undefined
      ? HttpClientRequest.bodyText(req, options.rawBody, options.contentType ?? "application/json")
      : body === undefined
      ? req
      : yield* HttpClientRequest.bodyJson(req, body)
    const response = yield* client.execute(withBody)
    const text = yield* response.text
    const parsed = options.expectText || text === "" ? text : (JSON.parse(text) as unknown)
    return { status: response.status, body: parsed === "" ? undefined : parsed, text, headers: response.headers }
  }).pipe(Effect.scoped, Effect.orDie)
