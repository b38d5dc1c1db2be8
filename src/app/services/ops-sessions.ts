import { Clock, Effect, Option, Redacted } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { type Caller, hasRole, type Role } from "../../domain/access.js"
import { ApiKeyRepository } from "../../ports/api-keys.js"
import { OpsSessionRepository } from "../../ports/ops-sessions.js"
import { traced } from "../../ports/traced.js"
import { Forbidden, Unauthorized } from "../errors.js"

/** How long the operator page stays signed in: a working day, then the key is asked again. */
export const sessionLifetimeSeconds = 8 * 60 * 60

const hashOf = (id: string) => createHash("sha256").update(id, "utf8").digest("hex")

const expired = new Unauthorized({ message: "the operator session has ended: sign in with an API key again" })

/**
 * Issue 17: the operator page's sessions. The page asks for a key once; the session holds the
 * key's id, not the key, so revoking the key ends its sessions at the next request.
 */
export class OpsSessions extends Effect.Service<OpsSessions>()("OpsSessions", {
  effect: Effect.gen(function*() {
    const sessions = yield* OpsSessionRepository
    const keys = yield* ApiKeyRepository
    return {
      /** A new session for a caller already authenticated by key: its id, for the cookie only. */
      open: (caller: Caller) =>
        Effect.gen(function*() {
          const id = randomBytes(32).toString("base64url")
          const now = yield* Clock.currentTimeMillis
          const expiresAt = new Date(now + sessionLifetimeSeconds * 1000).toISOString()
          yield* sessions.create({ idHash: hashOf(id), keyId: caller.keyId, expiresAt })
          return Redacted.make(id)
        }).pipe(traced("OpsSessions.open")),
      /** The caller of a session cookie, if the session and its key are alive and the role suffices. */
      authenticate: (id: Redacted.Redacted<string>, role: Role) =>
        Effect.gen(function*() {
          const value = Redacted.value(id)
          if (value === "" || value.length > 100) return yield* expired
          const now = new Date(yield* Clock.currentTimeMillis).toISOString()
          const session = yield* sessions.find(hashOf(value), now)
          if (Option.isNone(session)) return yield* expired
          const key = yield* keys.get(session.value.keyId)
          if (Option.isNone(key) || key.value.revokedAt !== null) return yield* expired
          const caller: Caller = {
            keyId: key.value.id,
            name: key.value.name,
            role: key.value.role,
            restaurants: key.value.restaurants
          }
          if (!hasRole(caller, role)) return yield* new Forbidden({ message: `this needs a key of role ${role}` })
          return caller
        }).pipe(traced("OpsSessions.authenticate")),
      close: (id: Redacted.Redacted<string>) =>
        sessions.remove(hashOf(Redacted.value(id))).pipe(traced("OpsSessions.close"))
    }
  })
}) {}
