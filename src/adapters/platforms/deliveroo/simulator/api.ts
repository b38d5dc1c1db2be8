import { Duration, Effect, Ref } from "effect"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { drop, json } from "../../simulator-kit/http-server.js"
import { makeRouter } from "../../simulator-kit/router.js"
import type { Counters, DeliverooSimCore } from "./core.js"
import { apiRoutes } from "./routes.js"

export const TOKEN_PATH = "/oauth2/token"

const router = makeRouter(apiRoutes)

/** ASSUMPTION (deliveroo.md): error bodies `{error, message}`. */
const error = (status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) =>
  json(status, { error: code, message }, headers)

const count = (core: DeliverooSimCore, f: (c: Counters) => Counters) => Ref.update(core.counters, f)
const header = (request: SimRequest, name: string) => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** `POST /oauth2/token`: Basic-header or form credentials (both documented); tokens live 300 s unless told. */
export const handleTokenRequest = (core: DeliverooSimCore, request: SimRequest): Effect.Effect<SimReply> =>
  request.method !== "POST"
    ? Effect.succeed(error(405, "method_not_allowed", "POST only"))
    : Effect.map(core.issuer.grant(new URLSearchParams(request.body), header(request, "authorization")), (result) =>
      result._tag === "Granted" ? json(200, result.body) : json(result.status, { error: result.error }))

/**
 * One API call: route, count, authenticate the bearer token (401 once it expires), rate-limit
 * per client, inject faults, handle. A dropped response is applied after handling: the change stays.
 */
export const handleApiRequest = (core: DeliverooSimCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function* () {
    const lookup = router(request.method, request.path)
    if (lookup._tag === "NotFound") return error(404, "not_found", `no route for ${request.method} ${request.path}`)
    if (lookup._tag === "MethodNotAllowed") return error(405, "method_not_allowed", `${request.method} not allowed`)
    const { route, params } = lookup.match
    const name = `${route.method} ${route.template}`
    yield* count(core, (c) => ({ ...c, requestsByRoute: { ...c.requestsByRoute, [name]: (c.requestsByRoute[name] ?? 0) + 1 } }))

    const token = yield* core.issuer.check(header(request, "authorization"))
    if (token._tag !== "Valid") {
      yield* count(core, (c) => ({ ...c, unauthorized: c.unauthorized + 1, expiredTokens: c.expiredTokens + (token._tag === "Expired" ? 1 : 0) }))
      return error(401, "unauthorized", token._tag === "Expired" ? "token expired" : "invalid token")
    }

    const taken = yield* core.limiter.take(token.clientId)
    if (taken._tag === "Limited") {
      yield* count(core, (c) => ({ ...c, rateLimited: c.rateLimited + 1 }))
      return error(429, "too_many_requests", "Too many requests", { "retry-after": String(taken.retryAfterSeconds) })
    }

    const fault = yield* core.faults.next
    if (fault.latencyMs > 0) yield* Effect.sleep(Duration.millis(fault.latencyMs))
    if (fault.action._tag === "Fail") {
      yield* count(core, (c) => ({ ...c, failuresInjected: c.failuresInjected + 1 }))
      return error(fault.action.status, "internal_error", "injected failure")
    }
    const reply = yield* route.handler({ core, params, body: request.body }).pipe(
      Effect.catchTag("DeliverooSimRejected", (r) =>
        Effect.as(r.status === 429 ? count(core, (c) => ({ ...c, rateLimited: c.rateLimited + 1 })) : Effect.void, error(r.status, r.error, r.message, r.headers)))
    )
    if (fault.action._tag === "Drop") {
      yield* count(core, (c) => ({ ...c, responsesDropped: c.responsesDropped + 1 }))
      return drop
    }
    return reply
  })
