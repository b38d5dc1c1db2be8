import { Effect, Ref } from "effect"
import { countRoute, headerOf, limitFaultAndHandle } from "../kit/api-guard.js"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import { handleIssuerTokenRequest } from "../kit/oauth-control.js"
import { makeRouter } from "../kit/router.js"
import type { Counters, UberSimCore } from "./core.js"
import { apiRoutes } from "./routes.js"

export const TOKEN_PATH = "/oauth/v2/token"

const router = makeRouter(apiRoutes)

const error = (status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) =>
  json(status, { code, message }, headers)

const count = (core: UberSimCore, f: (c: Counters) => Counters) => Ref.update(core.counters, f)
const guardReplies = {
  limited: (retryAfter: number) =>
    error(429, "rate_limited", "too many requests", { "retry-after": String(retryAfter) }),
  failed: (status: number) => error(status, "internal_error", "injected failure")
}

/** `POST /oauth/v2/token` (form post, documented); counted by the issuer whatever the outcome. */
export const handleTokenRequest = (core: UberSimCore, request: SimRequest): Effect.Effect<SimReply> =>
  handleIssuerTokenRequest(core.issuer, request, error(405, "method_not_allowed", "POST only"))

/**
 * One API call: route, count, authenticate the bearer token, check its scope, rate-limit per
 * client, inject faults, handle. A dropped response is applied after handling: the change stays.
 */
export const handleApiRequest = (core: UberSimCore, request: SimRequest): Effect.Effect<SimReply> =>
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
      return error(401, "unauthorized", token._tag === "Expired" ? "access token expired" : "invalid access token")
    }
    if (!route.handler.scopes.some((s) => token.scopes.includes(s))) {
      return error(403, "forbidden", `requires scope ${route.handler.scopes.join(" or ")}`)
    }

    return yield* limitFaultAndHandle(
      core,
      token.clientId,
      guardReplies,
      () =>
        route.handler.run({ core, params, body: request.body }).pipe(
          Effect.catchTag("UberSimRejected", (r) => Effect.succeed(error(r.status, r.code, r.message)))
        )
    )
  })
