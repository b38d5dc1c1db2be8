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
export const TestHttpLive = Layer.mergeAll(
  HttpAppLive({ maxBodyBytes: 1_000_000 }),
  ServiceUrlLive,
  NodeHttpClient.layerUndici
).pipe(Layer.provide(NodeServerLive({ port: 0, host: "127.0.0.1" })), Layer.provideMerge(NodeHttpClient.layerUndici))

export const request = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown) =>
  Effect.gen(function* () {
    const base = yield* ServiceUrl
    const client = yield* HttpClient.HttpClient
    const req = HttpClientRequest.make(method)(`${base}${path}`)
    const withBody = body === undefined ? req : yield* HttpClientRequest.bodyJson(req, body)
    const response = yield* client.execute(withBody)
    const text = yield* response.text
    return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown), headers: response.headers }
  }).pipe(Effect.scoped, Effect.orDie)
