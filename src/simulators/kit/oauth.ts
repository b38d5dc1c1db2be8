import { Clock, Effect, Ref } from "effect"
import { randomBytes } from "node:crypto"

/**
 * The token side of an OAuth 2 client-credentials server, for the simulators of platforms that
 * use one (Uber Eats, Deliveroo). Tokens expire for real, so connectors must refresh, and every
 * grant is counted, so a test can prove "one token request for fifty calls".
 */

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: string
  /** Scopes the client may ask for; empty means the platform has no scopes (Deliveroo). */
  readonly scopes: ReadonlyArray<string>
}

export type TokenCheck =
  | { readonly _tag: "Valid"; readonly clientId: string; readonly scopes: ReadonlyArray<string> }
  | { readonly _tag: "Expired" }
  | { readonly _tag: "Unknown" }

export type GrantResult =
  | {
    readonly _tag: "Granted"
    readonly body: {
      readonly access_token: string
      readonly token_type: "Bearer"
      readonly expires_in: number
      readonly scope?: string
    }
  }
  | {
    readonly _tag: "Refused"
    readonly status: 400 | 401
    readonly error: "invalid_client" | "invalid_scope" | "unsupported_grant_type" | "invalid_request"
  }

interface Issued {
  readonly clientId: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number
}

export interface TokenIssuer {
  /** RFC 6749 §4.4: the client from Basic auth or form fields, `grant_type=client_credentials`. */
  readonly grant: (form: URLSearchParams, authorization: string | undefined) => Effect.Effect<GrantResult>
  readonly check: (authorization: string | undefined) => Effect.Effect<TokenCheck>
  readonly setLifetime: (seconds: number) => Effect.Effect<void>
  /** Every issued token stops working at once (a platform-side revocation). */
  readonly revokeAll: Effect.Effect<void>
  /** Token requests received, granted or not. */
  readonly requests: Effect.Effect<number>
  readonly resetRequests: Effect.Effect<void>
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** JWT-looking (Deliveroo's are JWTs), unsigned: only this issuer reads them back, by lookup. */
const newToken = (clientId: string, expiresAtSeconds: number) =>
  `${base64url({ alg: "HS256", typ: "JWT" })}.${
    base64url({ sub: clientId, exp: expiresAtSeconds, jti: randomBytes(8).toString("hex") })
  }.${randomBytes(24).toString("base64url")}`

const basicClient = (authorization: string | undefined): { id: string; secret: string } | undefined => {
  if (authorization === undefined || !authorization.startsWith("Basic ")) return undefined
  const decoded = Buffer.from(authorization.slice("Basic ".length), "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

export const makeTokenIssuer = (
  clients: ReadonlyArray<OAuthClient>,
  lifetimeSeconds: number
): Effect.Effect<TokenIssuer> =>
  Effect.gen(function*() {
    const tokens = yield* Ref.make(new Map<string, Issued>())
    const lifetime = yield* Ref.make(lifetimeSeconds)
    const requests = yield* Ref.make(0)

    const grant = (form: URLSearchParams, authorization: string | undefined) =>
      Effect.gen(function*() {
        yield* Ref.update(requests, (n) => n + 1)
        if (form.get("grant_type") !== "client_credentials") {
          return { _tag: "Refused", status: 400, error: "unsupported_grant_type" } as const
        }
        const basic = basicClient(authorization)
        const id = basic?.id ?? form.get("client_id")
        const secret = basic?.secret ?? form.get("client_secret")
        const client = clients.find((c) => c.clientId === id && c.clientSecret === secret)
        if (client === undefined) return { _tag: "Refused", status: 401, error: "invalid_client" } as const
        const asked = (form.get("scope") ?? "").split(" ").filter((s) => s !== "")
        if (asked.some((s) => !client.scopes.includes(s))) {
          return { _tag: "Refused", status: 400, error: "invalid_scope" } as const
        }
        const now = yield* Clock.currentTimeMillis
        const seconds = yield* Ref.get(lifetime)
        const token = newToken(client.clientId, Math.floor(now / 1000) + seconds)
        // Tokens an hour past expiry are dropped as new ones are issued, so a long benchmark does not
        // grow the map; until then a late use is still told "expired" rather than "unknown".
        yield* Ref.update(tokens, (all) =>
          new Map([...all].filter(([, t]) => t.expiresAt > now - 3_600_000)).set(token, {
            clientId: client.clientId,
            scopes: asked,
            expiresAt: now + seconds * 1000
          }))
        return {
          _tag: "Granted",
          body: {
            access_token: token,
            token_type: "Bearer",
            expires_in: seconds,
            ...(asked.length === 0 ? {} : { scope: asked.join(" ") })
          }
        } as const
      })

    const check = (authorization: string | undefined) =>
      Effect.gen(function*() {
        const token = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length).trim() : undefined
        const issued = token === undefined ? undefined : (yield* Ref.get(tokens)).get(token)
        if (issued === undefined) return { _tag: "Unknown" } as const
        const now = yield* Clock.currentTimeMillis
        return now >= issued.expiresAt
          ? { _tag: "Expired" } as const
          : { _tag: "Valid", clientId: issued.clientId, scopes: issued.scopes } as const
      })

    return {
      grant,
      check,
      setLifetime: (seconds) => Ref.set(lifetime, seconds),
      revokeAll: Ref.set(tokens, new Map()),
      requests: Ref.get(requests),
      resetRequests: Ref.set(requests, 0)
    }
  })
