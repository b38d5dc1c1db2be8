import { HttpApiMiddleware, HttpApiSecurity, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, Redacted, Schema } from "effect"
import type { Caller, Role } from "../../../domain/access.js"
import { CurrentCaller } from "../../caller.js"
import { Forbidden, Unauthorized } from "../../errors.js"
import { ApiKeys } from "../../services/api-keys.js"

/**
 * Issue 17: every route but /health and the platform webhooks takes an API key, as a bearer token.
 * One scheme record shared by the three tags, so the OpenAPI document names one scheme and a new
 * scheme (the operator page's session cookie) is added in one place.
 */
export const security = { bearer: HttpApiSecurity.bearer }

/** 401 for a missing, unknown or revoked key; 403 for a key below the route's role. */
const failure = Schema.Union(Unauthorized, Forbidden)

/** Any valid key (role `app` and up): restaurant data, the voice AI, reads of the sync records. */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("Authentication", {
  failure,
  provides: CurrentCaller,
  security
}) {}

/** Operators and admins: replays, retries, the operator page's data. */
export class OperatorAuthentication extends HttpApiMiddleware.Tag<OperatorAuthentication>()("OperatorAuthentication", {
  failure,
  provides: CurrentCaller,
  security
}) {}

/** Admins only: platform configs, backfill, API keys. */
export class AdminAuthentication extends HttpApiMiddleware.Tag<AdminAuthentication>()("AdminAuthentication", {
  failure,
  provides: CurrentCaller,
  security
}) {}

/** The handler of each scheme for a route needing `role`. */
export const schemesFor = (keys: ApiKeys, role: Role) => ({
  bearer: (token: Redacted.Redacted<string>) => keys.authenticate(token, role)
})

export const AuthenticationLive = Layer.mergeAll(
  Layer.effect(Authentication, Effect.map(ApiKeys, (keys) => Authentication.of(schemesFor(keys, "app")))),
  Layer.effect(
    OperatorAuthentication,
    Effect.map(ApiKeys, (keys) => OperatorAuthentication.of(schemesFor(keys, "operator")))
  ),
  Layer.effect(AdminAuthentication, Effect.map(ApiKeys, (keys) => AdminAuthentication.of(schemesFor(keys, "admin"))))
)

/**
 * The same check for the routes beside the HttpApi (/docs, /openapi.json, /metrics, the operator
 * page's data), which no HttpApiMiddleware reaches: the caller, or the JSON 401/403 to answer.
 */
export const authenticateRequest = (keys: ApiKeys, role: Role) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const header = request.headers.authorization ?? ""
    const token = header.toLowerCase().startsWith("bearer ") ? header.slice("bearer ".length) : ""
    return keys.authenticate(Redacted.make(token), role)
  })

/** The answer for a plain route's refused caller, in the API's error shape. */
export const refusal = (error: Unauthorized | Forbidden) =>
  HttpServerResponse.json(
    { _tag: error._tag, message: error.message },
    {
      status: error._tag === "Unauthorized" ? 401 : 403,
      headers: error._tag === "Unauthorized" ? { "www-authenticate": "Bearer" } : {}
    }
  ).pipe(Effect.orDie)

/** A plain route for callers of `role` and up; `handle` gets the caller. */
export const guarded = <E, R>(
  keys: ApiKeys,
  role: Role,
  handle: (caller: Caller) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  authenticateRequest(keys, role).pipe(
    Effect.matchEffect({ onFailure: refusal, onSuccess: handle })
  )
