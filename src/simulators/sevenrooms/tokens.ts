import { Clock, Effect, Option, Ref } from "effect"
import { randomBytes } from "node:crypto"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import {
  clientOfIssuedToken,
  credentialFields,
  expireAllTokens as expireIssued,
  issueToken
} from "../kit/issued-tokens.js"
import type { SimulatorCore } from "./core.js"
import { dataReply, errorReply } from "./errors.js"

/** `POST {base}/auth` with client_id and client_secret, form or JSON (sevenrooms.md simulator notes). */
export const handleAuth = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    yield* core.count((c) => ({ ...c, tokenRequests: c.tokenRequests + 1 }))
    if (request.method !== "POST") return errorReply(405, "Method not allowed")
    const f = credentialFields(request)
    const clientId = f["client_id"] ?? ""
    const known = [...(yield* Ref.get(core.venues)).values()].some((v) =>
      v.config.clients.some((c) => c.clientId === clientId && c.clientSecret === f["client_secret"])
    )
    if (!known) return errorReply(401, "Invalid client credentials")
    const now = yield* Clock.currentTimeMillis
    const { tokenLifetimeSeconds } = yield* Ref.get(core.mode)
    const token = randomBytes(32).toString("hex")
    const expiresAt = now + tokenLifetimeSeconds * 1000
    yield* issueToken(core.tokens, token, { clientId, expiresAt }, now)
    return dataReply({ token, token_expiration_datetime: new Date(expiresAt).toISOString() })
  })

/** The raw token in Authorization, as the observed clients send it: `Bearer <token>` is refused. */
export const clientOfToken = (core: SimulatorCore, request: SimRequest) => {
  const header = String(request.headers["authorization"] ?? "").trim()
  return header === "" || header.includes(" ")
    ? Effect.succeed(Option.none<string>())
    : clientOfIssuedToken(core.tokens, header)
}

export const expireAllTokens = (core: SimulatorCore) => expireIssued(core.tokens)
