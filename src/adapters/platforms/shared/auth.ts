import { Effect, Redacted } from "effect"
import type { ConnectorError } from "../../../ports/connector-errors.js"
import type { TokenCache } from "./oauth-token.js"

/** The headers that authorize one attempt. */
export interface Authorization {
  readonly headers: Readonly<Record<string, string>>
  /**
   * After a 401 to these headers: forgets the credential so the next run of the strategy brings a
   * fresh one. Absent where nothing fresher exists (a static key), so a 401 is final at once.
   */
  readonly renew?: Effect.Effect<void> | undefined
}

/** Run once per attempt, so an expiring credential is read anew every time. */
export type AuthStrategy = Effect.Effect<Authorization, ConnectorError>

/** A key that does not expire, sent as it is in `header` (Zenchef's `ApiKey`). */
export const staticKeyAuth = (header: string, key: string): AuthStrategy =>
  Effect.succeed({ headers: { [header]: key } })

/**
 * A token from `tokens` in the Authorization header. `format` writes it: `Bearer <t>` for OAuth;
 * SevenRooms wants the bare token. A 401 drops it (SevenRooms: "re-run /auth once, then retry").
 */
export const tokenAuth = (
  tokens: TokenCache,
  format: (token: string) => string = (token) => `Bearer ${token}`
): AuthStrategy =>
  Effect.map(
    tokens.get,
    (token) => ({ headers: { authorization: format(Redacted.value(token)) }, renew: tokens.invalidate(token) })
  )
