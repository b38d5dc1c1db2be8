import { Context, type Effect, type Option } from "effect"

/**
 * The operator page's sessions (issue 17): a random id in an HttpOnly cookie, stored server-side
 * (only its SHA-256) with the key it was opened with and its expiry, so every instance honours it
 * and a revoked key ends its sessions.
 */
export interface OpsSession {
  readonly idHash: string
  readonly keyId: string
  readonly expiresAt: string
}

export class OpsSessionRepository extends Context.Tag("OpsSessionRepository")<OpsSessionRepository, {
  /** Stores a session and forgets the expired ones. */
  readonly create: (session: OpsSession) => Effect.Effect<void>
  /** The session with this hash, if it has not expired at `now` (ISO). */
  readonly find: (idHash: string, now: string) => Effect.Effect<Option.Option<OpsSession>>
  readonly remove: (idHash: string) => Effect.Effect<void>
}>() {}
