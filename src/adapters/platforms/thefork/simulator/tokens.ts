import { randomBytes } from "node:crypto"
import { Clock, Effect, Option, Ref } from "effect"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { json } from "../../simulator-kit/http-server.js"
import type { SimulatorCore } from "./core.js"

/** Auth0's client-credentials endpoint as TheFork runs it (thefork.md: confirmed). */
export const TOKEN_PATH = "/oauth/token"
export const AUDIENCE = "https://api.thefork.io"

const RENEWAL_WINDOW_MS = 60_000

/** Auth0 accepts form or JSON bodies. */
const fieldsOf = (request: SimRequest): Readonly<Record<string, string>> => {
  const type = String(request.headers["content-type"] ?? "")
  if (type.includes("application/json")) {
    try {
      const parsed = JSON.parse(request.body) as unknown
      return typeof parsed === "object" && parsed !== null
        ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]))
        : {}
    } catch {
      return {}
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body))
}

const knownClient = (core: SimulatorCore, clientId: string, secret: string) =>
  Effect.map(Ref.get(core.restaurants), (all) =>
    [...all.values()].some((r) => r.config.clients.some((c) => c.clientId === clientId && c.clientSecret === secret)))

export const handleTokenRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function* () {
    yield* core.count((c) => ({ ...c, tokenRequests: c.tokenRequests + 1 }))
    if (request.method !== "POST") return json(405, { error: "method_not_allowed" })
    const f = fieldsOf(request)
    if (f["grant_type"] !== "client_credentials") return json(400, { error: "unsupported_grant_type", error_description: "grant_type must be client_credentials" })
    if (!(yield* knownClient(core, f["client_id"] ?? "", f["client_secret"] ?? ""))) {
      return json(401, { error: "access_denied", error_description: "Unauthorized" })
    }
    if (f["audience"] !== AUDIENCE) return json(403, { error: "access_denied", error_description: "Service not enabled within domain" })
    const clientId = f["client_id"] ?? ""
    const now = yield* Clock.currentTimeMillis
    const { tokenLifetimeSeconds } = yield* Ref.get(core.mode)
    const token = randomBytes(24).toString("base64url")
    const [early, inTime] = yield* Ref.modify(core.tokens, (all) => {
      const held = [...all.values()].filter((t) => t.clientId === clientId)
      const live = new Map([...all].filter(([, t]) => t.expiresAt > now))
      return [
        [held.some((t) => t.expiresAt - now > RENEWAL_WINDOW_MS), held.some((t) => t.expiresAt > now)] as const,
        live.set(token, { clientId, expiresAt: now + tokenLifetimeSeconds * 1000 })
      ]
    })
    yield* core.count((c) => ({
      ...c,
      earlyTokenRequests: c.earlyTokenRequests + (early ? 1 : 0),
      renewalsBeforeExpiry: c.renewalsBeforeExpiry + (inTime ? 1 : 0)
    }))
    return json(200, { access_token: token, expires_in: tokenLifetimeSeconds, token_type: "Bearer" })
  })

/** The client a `Bearer` token was issued to, while it has not expired. */
export const clientOfBearer = (core: SimulatorCore, request: SimRequest) =>
  Effect.gen(function* () {
    const header = String(request.headers["authorization"] ?? "")
    const match = /^Bearer (\S+)$/.exec(header)
    if (match === null) return Option.none<string>()
    const issued = (yield* Ref.get(core.tokens)).get(match[1]!)
    const now = yield* Clock.currentTimeMillis
    return issued !== undefined && issued.expiresAt > now ? Option.some(issued.clientId) : Option.none<string>()
  })

/** Every token stops working now, as if each had reached its expiry. */
export const expireAllTokens = (core: SimulatorCore) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Ref.update(core.tokens, (all) => new Map([...all].map(([k, t]) => [k, { ...t, expiresAt: Math.min(t.expiresAt, now) }]))))
