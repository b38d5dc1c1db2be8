import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer, Redacted, Schema } from "effect"
import type { Caller, Role } from "../../../domain/access.js"
import { CurrentCaller } from "../../caller.js"
import { Forbidden, Unauthorized } from "../../errors.js"
import { ApiKeys } from "../../services/api-keys.js"
import { OpsSessions } from "../../services/ops-sessions.js"
import { carriesSession, sessionCookie, sessionSecurity } from "../ops/session-cookie.js"

/**
 * Issue 17: every route but /health and the platform webhooks takes an API key, as a bearer token,
 * or the operator page's session cookie. One scheme record shared by the three tags, so the
 * OpenAPI document names the same schemes everywhere.
 */
export const security = { bearer: HttpApiSecurity.bearer, session: sessionSecurity }

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

/** What checks a request's credentials: the API keys, and the sessions opened with them. */
export interface Gate {
  readonly keys: ApiKeys
  readonly sessions: OpsSessions
}

export const Gate = Effect.all({ keys: ApiKeys, sessions: OpsSessions })

/**
 * The caller of a request: its bearer key when it sends one, else its session cookie (the CSRF
 * rule for the cookie is enforced before any route, in server.ts). Every route beside the HttpApi
 * (/docs, /openapi.json, /metrics, the operator page's data) uses it as well.
 */
export const authenticateRequest = (gate: Gate, role: Role) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const header = request.headers.authorization ?? ""
    const token = header.toLowerCase().startsWith("bearer ") ? header.slice("bearer ".length) : ""
    return token === "" && carriesSession(request)
      ? gate.sessions.authenticate(Redacted.make(request.cookies[sessionCookie] ?? ""), role)
      : gate.keys.authenticate(Redacted.make(token), role)
  })

/**
 * The handler of each scheme for a route needing `role`. The builder tries the schemes in turn and
 * answers the last one's failure, so both judge the whole request: a wrong role is then 403
 * whichever scheme the caller used, not the other scheme's 401.
 */
export const schemesFor = (gate: Gate, role: Role) => ({
  bearer: () => authenticateRequest(gate, role),
  session: () => authenticateRequest(gate, role)
})

export const AuthenticationLive = Layer.mergeAll(
  Layer.effect(Authentication, Effect.map(Gate, (gate) => Authentication.of(schemesFor(gate, "app")))),
  Layer.effect(
    OperatorAuthentication,
    Effect.map(Gate, (gate) => OperatorAuthentication.of(schemesFor(gate, "operator")))
  ),
  Layer.effect(AdminAuthentication, Effect.map(Gate, (gate) => AdminAuthentication.of(schemesFor(gate, "admin"))))
)

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
  gate: Gate,
  role: Role,
  handle: (caller: Caller) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  authenticateRequest(gate, role).pipe(
    Effect.matchEffect({ onFailure: refusal, onSuccess: handle })
  )
