import { randomBytes } from "node:crypto"
import { Clock, Effect, Option, Ref } from "effect"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import type { SimulatorCore } from "./core.js"
import { dataReply, errorReply } from "./errors.js"

/** `POST {base}/auth` with client_id and client_secret, form or JSON (sevenrooms.md simulator notes). */
const fieldsOf = (request: SimRequest): Readonly<Record<string, string>> => {
  if (String(request.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const parsed = JSON.parse(request.body) as unknown
      return typeof parsed === "object" && parsed !== null ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {}
    } catch {
      return {}
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body))
}

export const handleAuth = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function* () {
    yield* core.count((c) => ({ ...c, tokenRequests: c.tokenRequests + 1 }))
    if (request.method !== "POST") return errorReply(405, "Method not allowed")
    const f = fieldsOf(request)
    const clientId = f["client_id"] ?? ""
    const known = [...(yield* Ref.get(core.venues)).values()].some((v) =>
      v.config.clients.some((c) => c.clientId === clientId && c.clientSecret === f["client_secret"]))
    if (!known) return errorReply(401, "Invalid client credentials")
    const now = yield* Clock.currentTimeMillis
    const { tokenLifetimeSeconds } = yield* Ref.get(core.mode)
    const token = randomBytes(32).toString("hex")
    const expiresAt = now + tokenLifetimeSeconds * 1000
    yield* Ref.update(core.tokens, (all) => new Map([...all].filter(([, t]) => t.expiresAt > now)).set(token, { clientId, expiresAt }))
    return dataReply({ token, token_expiration_datetime: new Date(expiresAt).toISOString() })
  })

/** The raw token in Authorization, as the observed clients send it: `Bearer <token>` is refused. */
export const clientOfToken = (core: SimulatorCore, request: SimRequest) =>
  Effect.gen(function* () {
    const header = String(request.headers["authorization"] ?? "").trim()
    if (header === "" || header.includes(" ")) return Option.none<string>()
    const issued = (yield* Ref.get(core.tokens)).get(header)
    const now = yield* Clock.currentTimeMillis
    return issued !== undefined && issued.expiresAt > now ? Option.some(issued.clientId) : Option.none<string>()
  })

export const expireAllTokens = (core: SimulatorCore) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Ref.update(core.tokens, (all) => new Map([...all].map(([k, t]) => [k, { ...t, expiresAt: Math.min(t.expiresAt, now) }]))))
