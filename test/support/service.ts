import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer } from "effect"
import { defaultPoolSize } from "../../src/adapters/sql/pool-size.js"
import { asSystem } from "../../src/app/caller.js"
import type { OpsOptions } from "../../src/app/http/ops/routes.js"
import { HttpAppLive, NodeServerLive } from "../../src/app/http/server.js"
import { ApiKeys } from "../../src/app/services/api-keys.js"
import type { Role } from "../../src/domain/access.js"
import type { RestaurantId } from "../../src/domain/ids.js"
import { recordAnswer, secretsOfRequest } from "./answers.js"

/** Base URL of the service under test, listening on a system-chosen loopback port. */
export class ServiceUrl extends Context.Tag("test/ServiceUrl")<ServiceUrl, string>() {}

const ServiceUrlLive = Layer.effect(
  ServiceUrl,
  Effect.map(HttpServer.HttpServer, (server) => {
    const address = server.address
    return address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  })
)

/** An admin key for every restaurant, made when the test's layer is built: `request` sends it by default. */
export class TestAdminKey extends Context.Tag("test/TestAdminKey")<TestAdminKey, string>() {}

const TestAdminKeyLive = Layer.effect(
  TestAdminKey,
  Effect.map(Effect.flatMap(ApiKeys, (keys) => keys.issueAdmin("test admin")), (issued) => issued.key)
)

/** A new key of `role`, for every restaurant or only `restaurants`: the key itself and its id. */
export const issueKey = (role: Role, restaurants: ReadonlyArray<string> | null = null, name = `test ${role}`) =>
  Effect.flatMap(
    ApiKeys,
    (keys) => asSystem(keys.create({ name, role, restaurants: restaurants as ReadonlyArray<RestaurantId> | null }))
  ).pipe(
    Effect.map((issued) => ({ key: issued.key, id: issued.id })),
    Effect.orDie
  )

/** The HTTP API on real loopback HTTP, plus a client to call it. Requires the app's services. */
const httpOptions = { port: 0, host: "127.0.0.1", maxBodyBytes: 1_000_000 }

/** `ops`: the operator routes' settings (METRICS_TOKEN). */
export const makeTestHttpLive = (ops: OpsOptions = {}) =>
  Layer.mergeAll(
    HttpAppLive({ ...httpOptions, ...ops }),
    ServiceUrlLive,
    NodeHttpClient.layerUndici,
    TestAdminKeyLive
  ).pipe(
    Layer.provide(NodeServerLive({ ...httpOptions, writeConcurrency: defaultPoolSize })),
    Layer.provideMerge(NodeHttpClient.layerUndici)
  )

export const TestHttpLive = makeTestHttpLive()

export interface RequestOptions {
  readonly rawBody?: string
  readonly contentType?: string
  readonly headers?: Record<string, string>
  readonly expectText?: boolean
  /** The API key to send: the test admin key when omitted, none with `null`. */
  readonly key?: string | null
}

const parsedOrText = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

/** One HTTP call to the service under test; the body is parsed as JSON unless told otherwise. */
export const request = (
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  options: RequestOptions = {}
) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const client = yield* HttpClient.HttpClient
    const key = options.key === undefined ? yield* TestAdminKey : options.key
    const req = HttpClientRequest.make(method)(`${base}${path}`).pipe(
      HttpClientRequest.setHeaders(key === null ? {} : { authorization: `Bearer ${key}` }),
      HttpClientRequest.setHeaders(options.headers ?? {})
    )
    const withBody = options.rawBody !== undefined
      ? HttpClientRequest.bodyText(req, options.rawBody, options.contentType ?? "application/json")
      : body === undefined
      ? req
      : yield* HttpClientRequest.bodyJson(req, body)
    const response = yield* client.execute(withBody)
    const text = yield* response.text
    // Issue 17: no answer holds a secret sent to the service (see answers.ts).
    const own = secretsOfRequest(
      withBody.headers.authorization,
      body ?? (options.rawBody === undefined ? undefined : parsedOrText(options.rawBody))
    )
    const echoed = recordAnswer({ method, path, status: response.status }, own, text)
    if (echoed !== undefined) return yield* Effect.dieMessage(echoed)
    const parsed = options.expectText || text === "" ? text : (JSON.parse(text) as unknown)
    return { status: response.status, body: parsed === "" ? undefined : parsed, text, headers: response.headers }
  }).pipe(Effect.scoped, Effect.orDie)
