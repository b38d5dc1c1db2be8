import { Clock, Effect, Option, Ref } from "effect"
import type { SimRequest } from "./http-server.js"

/**
 * Opaque access tokens handed out by a simulator's token route (TheFork, SevenRooms): each
 * remembers its client and expiry, so tests can watch connectors renew them.
 */
export interface IssuedToken {
  readonly clientId: string
  readonly expiresAt: number
}

export type IssuedTokens = Ref.Ref<ReadonlyMap<string, IssuedToken>>

/** A token request's fields, from a JSON or a form body. */
export const credentialFields = (request: SimRequest): Readonly<Record<string, string>> => {
  if (String(request.headers["content-type"] ?? "").includes("application/json")) {
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

/** Stores `token` (dropping expired ones) and returns the tokens `clientId` held before it, expired or not. */
export const issueToken = (tokens: IssuedTokens, token: string, issued: IssuedToken, now: number) =>
  Ref.modify(tokens, (all): [ReadonlyArray<IssuedToken>, ReadonlyMap<string, IssuedToken>] => [
    [...all.values()].filter((t) => t.clientId === issued.clientId),
    new Map([...all].filter(([, t]) => t.expiresAt > now)).set(token, issued)
  ])

/** The client `token` was issued to, while it has not expired. */
export const clientOfIssuedToken = (tokens: IssuedTokens, token: string) =>
  Effect.gen(function*() {
    const issued = (yield* Ref.get(tokens)).get(token)
    const now = yield* Clock.currentTimeMillis
    return issued !== undefined && issued.expiresAt > now ? Option.some(issued.clientId) : Option.none<string>()
  })

/** Every token stops working now, as if each had reached its expiry. */
export const expireAllTokens = (tokens: IssuedTokens) =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) =>
      Ref.update(
        tokens,
        (all) => new Map([...all].map(([k, t]) => [k, { ...t, expiresAt: Math.min(t.expiresAt, now) }]))
      )
  )
