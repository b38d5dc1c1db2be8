import { Clock, Effect, Option, Ref } from "effect"
import { randomBytes } from "node:crypto"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import {
  clientOfIssuedToken,
  credentialFields,
  expireAllTokens as expireIssued,
  issueToken
} from "../kit/issued-tokens.js"
import type { SimulatorCore } from "./core.js"

/** Auth0's client-credentials endpoint as TheFork runs it (thefork.md: confirmed). */
export const TOKEN_PATH = "/oauth/token"
export const AUDIENCE = "https://api.thefork.io"

const RENEWAL_WINDOW_MS = 60_000

const knownClient = (core: SimulatorCore, clientId: string, secret: string) =>
  Effect.map(
    Ref.get(core.restaurants),
    (all) =>
      [...all.values()].some((r) => r.config.clients.some((c) => c.clientId === clientId && c.clientSecret === secret))
  )

export const handleTokenRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    yield* core.count((c) => ({ ...c, tokenRequests: c.tokenRequests + 1 }))
    if (request.method !== "POST") return json(405, { error: "method_not_allowed" })
    const f = credentialFields(request)
    if (f["grant_type"] !== "client_credentials") {
      return json(400, { error: "unsupported_grant_type", error_description: "grant_type must be client_credentials" })
    }
    if (!(yield* knownClient(core, f["client_id"] ?? "", f["client_secret"] ?? ""))) {
      return json(401, { error: "access_denied", error_description: "Unauthorized" })
    }
    if (f["audience"] !== AUDIENCE) {
      return json(403, { error: "access_denied", error_description: "Service not enabled within domain" })
    }
    const clientId = f["client_id"] ?? ""
    const now = yield* Clock.currentTimeMillis
    const { tokenLifetimeSeconds } = yield* Ref.get(core.mode)
    const token = randomBytes(24).toString("base64url")
    const held = yield* issueToken(core.tokens, token, { clientId, expiresAt: now + tokenLifetimeSeconds * 1000 }, now)
    const early = held.some((t) => t.expiresAt - now > RENEWAL_WINDOW_MS)
    const inTime = held.some((t) => t.expiresAt > now)
    yield* core.count((c) => ({
      ...c,
      earlyTokenRequests: c.earlyTokenRequests + (early ? 1 : 0),
      renewalsBeforeExpiry: c.renewalsBeforeExpiry + (inTime ? 1 : 0)
    }))
    return json(200, { access_token: token, expires_in: tokenLifetimeSeconds, token_type: "Bearer" })
  })

/** The client a `Bearer` token was issued to, while it has not expired. */
export const clientOfBearer = (core: SimulatorCore, request: SimRequest) => {
  const match = /^Bearer (\S+)$/.exec(String(request.headers["authorization"] ?? ""))
  return match === null ? Effect.succeed(Option.none<string>()) : clientOfIssuedToken(core.tokens, match[1]!)
}

/** Every token stops working now, as if each had reached its expiry. */
export const expireAllTokens = (core: SimulatorCore) => expireIssued(core.tokens)
