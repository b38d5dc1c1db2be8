import { Effect, Ref } from "effect"
import { countRoute, headerOf, limitFaultAndHandle } from "../kit/api-guard.js"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import { handleIssuerTokenRequest } from "../kit/oauth-control.js"
import { makeRouter } from "../kit/router.js"
import type { Counters, DeliverooSimCore } from "./core.js"
import { menuRoutes } from "./menu-routes.js"
import { orderRoutes } from "./routes.js"

export const TOKEN_PATH = "/oauth2/token"

const router = makeRouter([...orderRoutes, ...menuRoutes])

/** deliveroo.md, corrections: error bodies are `{error: {code, message}}` (e.g. `too_many_requests`). */
export const errorBody = (code: string, message: string) => ({ error: { code, message } })
const error = (status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) =>
  json(status, errorBody(code, message), headers)

const count = (core: DeliverooSimCore, f: (c: Counters) => Counters) => Ref.update(core.counters, f)
const guardReplies = {
  limited: (retryAfter: number) =>
    error(429, "too_many_requests", "Too many requests", { "retry-after": String(retryAfter) }),
  failed: (status: number) => error(status, "internal_error", "injected failure")
}

/** `POST /oauth2/token`: Basic-header or form credentials (both documented); tokens live 300 s unless told. */
export const handleTokenRequest = (core: DeliverooSimCore, request: SimRequest): Effect.Effect<SimReply> =>
  handleIssuerTokenRequest(core.issuer, request, error(405, "method_not_allowed", "POST only"))

/**
 * One API call: route, count, authenticate the bearer token (401 once it expires), rate-limit
 * per client, inject faults, handle. A dropped response is applied after handling: the change stays.
 */
export const handleApiRequest = (core: DeliverooSimCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    const lookup = router(request.method, request.path)
    if (lookup._tag === "NotFound") return error(404, "not_found", `no route for ${request.method} ${request.path}`)
    if (lookup._tag === "MethodNotAllowed") return error(405, "method_not_allowed", `${request.method} not allowed`)
    const { route, params } = lookup.match
    yield* countRoute(core, `${route.method} ${route.template}`)

    const token = yield* core.issuer.check(headerOf(request, "authorization"))
    if (token._tag !== "Valid") {
      yield* count(
        core,
        (c) => ({
          ...c,
          unauthorized: c.unauthorized + 1,
          expiredTokens: c.expiredTokens + (token._tag === "Expired" ? 1 : 0)
        })
      )
      return error(401, "unauthorized", token._tag === "Expired" ? "token expired" : "invalid token")
    }

    return yield* limitFaultAndHandle(
      core,
      token.clientId,
      guardReplies,
      () =>
        route.handler({ core, params, body: request.body }).pipe(
          Effect.catchTag("DeliverooSimRejected", (r) =>
            Effect.as(
              r.status === 429 ? count(core, (c) => ({ ...c, rateLimited: c.rateLimited + 1 })) : Effect.void,
              error(r.status, r.error, r.message, r.headers)
            ))
        )
    )
  })
