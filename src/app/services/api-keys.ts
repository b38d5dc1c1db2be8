import { Cache, Clock, Duration, Effect, FiberSet, Option, Redacted, Schema } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { type Caller, canGrant, canManage, hasRole, Role } from "../../domain/access.js"
import { Name } from "../../domain/fields.js"
import { RestaurantId } from "../../domain/ids.js"
import { ApiKey, ApiKeyRepository } from "../../ports/api-keys.js"
import { traced } from "../../ports/traced.js"
import { CurrentCaller } from "../caller.js"
import { Forbidden, notFound, Unauthorized } from "../errors.js"
import { AdminAuditLog } from "./admin-audit.js"

/** Keys start with this, so a leaked one is recognisable (secret scanners, logs). */
export const keyPrefix = "ars_"
/** 32 random bytes: 43 characters of base64url after the prefix. */
const keyBytes = 32
/** How many characters of a key are kept in clear to recognise it by. */
const shownPrefixLength = keyPrefix.length + 6
/** A key's last use is written at most this often, so a busy key does not write on every request. */
const touchEveryMs = 60_000
/**
 * A key read from the database is trusted this long by this instance: a busy client's requests
 * then cost no key lookup each. A key revoked here stops at once; revoked by another instance,
 * it stops here within this time.
 */
export const keyCacheTtl = Duration.seconds(2)
/**
 * A key in use is read again in the background once its cached copy is this old, and requests go
 * on with the copy meanwhile. Otherwise, at the end of each period, the read waits for a
 * connection behind the writes already queued for one, and every request of that key waits with it.
 */
export const keyRefreshAfter = Duration.seconds(1)

export const newApiKeySecret = () => keyPrefix + randomBytes(keyBytes).toString("base64url")
export const hashApiKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex")

/** POST /api/admin/api-keys. */
export const ApiKeyCreate = Schema.Struct({
  name: Name,
  role: Role,
  /** Omitted or null: every restaurant. */
  restaurants: Schema.optionalWith(
    Schema.NullOr(Schema.Array(RestaurantId).pipe(Schema.minItems(1), Schema.maxItems(1000))),
    {
      default: () => null
    }
  )
})
export type ApiKeyCreate = typeof ApiKeyCreate.Type

/** The one answer that holds the key itself: it is never shown again. */
export const ApiKeyIssued = Schema.Struct({ ...ApiKey.fields, key: Schema.String })
export type ApiKeyIssued = typeof ApiKeyIssued.Type

const unauthorized = new Unauthorized({ message: "a valid API key is required (Authorization: Bearer ars_...)" })

/** Issue 17: API keys, issued, listed, revoked and checked. */
export class ApiKeys extends Effect.Service<ApiKeys>()("ApiKeys", {
  scoped: Effect.gen(function*() {
    const repository = yield* ApiKeyRepository
    const audit = yield* AdminAuditLog
    const byHash = yield* Cache.make({ capacity: 1_000, timeToLive: keyCacheTtl, lookup: repository.findByHash })
    // Background reads and last-use writes; ended with the service. A key is in `busy` while one runs.
    const background = yield* FiberSet.make<void, never>()
    const busy = new Set<string>()
    const inBackground = (key: string, work: Effect.Effect<void>) =>
      busy.has(key) ? Effect.void : Effect.suspend(() => {
        busy.add(key)
        return FiberSet.run(
          background,
          work.pipe(
            Effect.catchAllCause((cause) => Effect.logWarning("API key: background read or write failed", cause)),
            Effect.ensuring(Effect.sync(() => busy.delete(key)))
          )
        )
      })
    const refreshAfterMs = Duration.toMillis(keyRefreshAfter)
    // A read made before a revocation here may land in the cache after it: the ids revoked by this
    // instance are refused whatever the cached copy says (a handful of ids, kept for its lifetime).
    const revokedHere = new Set<string>()

    /** Stores a key given whole (ADMIN_API_KEY, a new key) under its hash. */
    const store = (secret: string, input: ApiKeyCreate) =>
      repository.create({
        id: crypto.randomUUID(),
        name: input.name,
        role: input.role,
        // A restaurant named twice (`" r1"` and `"r1"` once trimmed) is one: the audit's restaurant
        // of a key for one restaurant is read from a list of one.
        restaurants: input.restaurants === null ? null : [...new Set(input.restaurants)],
        prefix: secret.slice(0, shownPrefixLength),
        hash: hashApiKey(secret)
      })

    const issue = (input: ApiKeyCreate) =>
      Effect.gen(function*() {
        const secret = newApiKeySecret()
        const key = yield* store(secret, input)
        return { ...key, key: secret } satisfies ApiKeyIssued
      })

    const manageable = (id: string) =>
      Effect.gen(function*() {
        const caller = yield* CurrentCaller
        const key = yield* repository.get(id)
        return Option.filter(key, (k) => canManage(caller, k))
      })

    return {
      /**
       * The caller a bearer token names, if it may act with `role`: an empty, unknown or revoked
       * key is 401 whatever the route; a valid key below the role is 403.
       */
      authenticate: (token: Redacted.Redacted<string>, role: Role) =>
        Effect.gen(function*() {
          const secret = Redacted.value(token).trim()
          if (!secret.startsWith(keyPrefix) || secret.length > 200) return yield* unauthorized
          const hash = hashApiKey(secret)
          const found = yield* byHash.get(hash)
          if (Option.isNone(found) || found.value.revokedAt !== null || revokedHere.has(found.value.id)) {
            return yield* unauthorized
          }
          const key = found.value
          const caller: Caller = { keyId: key.id, name: key.name, role: key.role, restaurants: key.restaurants }
          const now = yield* Clock.currentTimeMillis
          if (key.lastUsedAt === null || now - Date.parse(key.lastUsedAt) >= touchEveryMs) {
            // The cached copy keeps the old time until it is read again after the write.
            yield* inBackground(hash, Effect.zipRight(repository.touch(key.id), byHash.refresh(hash)))
          } else {
            const stats = yield* byHash.entryStats(hash)
            if (Option.isSome(stats) && now - stats.value.loadedMillis >= refreshAfterMs) {
              yield* inBackground(hash, byHash.refresh(hash))
            }
          }
          if (!hasRole(caller, role)) return yield* new Forbidden({ message: `this needs a key of role ${role}` })
          return caller
        }).pipe(traced("ApiKeys.authenticate", { captureStackTrace: false })),
      create: (input: ApiKeyCreate) =>
        Effect.gen(function*() {
          const caller = yield* CurrentCaller
          if (!canGrant(caller, input.role, input.restaurants)) {
            return yield* new Forbidden({
              message: "a key may only grant its own role or less, for its own restaurants"
            })
          }
          const issued = yield* issue(input)
          yield* audit.record("api_key.created", {
            target: issued.id,
            restaurantId: issued.restaurants?.length === 1 ? issued.restaurants[0] : null,
            detail: `${issued.name} (${issued.role})`
          })
          return issued
        }).pipe(traced("ApiKeys.create", { attributes: { role: input.role } })),
      list: () =>
        Effect.gen(function*() {
          const caller = yield* CurrentCaller
          return (yield* repository.list()).filter((key) => canManage(caller, key))
        }).pipe(traced("ApiKeys.list")),
      revoke: (id: string) =>
        Effect.gen(function*() {
          if (Option.isNone(yield* manageable(id))) return yield* notFound("api key", id)
          const revoked = yield* repository.revoke(id)
          if (Option.isSome(revoked)) revokedHere.add(id)
          yield* byHash.invalidateAll
          return yield* Option.match(revoked, {
            onNone: () => Effect.fail(notFound("api key", id)),
            onSome: (key) =>
              Effect.as(
                audit.record("api_key.revoked", {
                  target: key.id,
                  restaurantId: key.restaurants?.length === 1 ? key.restaurants[0] : null,
                  detail: key.name
                }),
                key
              )
          })
        }).pipe(traced("ApiKeys.revoke", { attributes: { id } })),
      /** Start-up: whether any key can still be used. */
      hasActiveKey: Effect.map(repository.countActive(), (n) => n > 0),
      /** Start-up: a key given whole (ADMIN_API_KEY) is stored once, as an admin for every restaurant. */
      ensure: (secret: Redacted.Redacted<string>, name: string) =>
        Effect.gen(function*() {
          const value = Redacted.value(secret).trim()
          const existing = yield* repository.findByHash(hashApiKey(value))
          if (Option.isSome(existing)) return existing.value
          return yield* store(value, { name, role: "admin", restaurants: null })
        }),
      /** Start-up: a new admin key for every restaurant, handed back once. */
      issueAdmin: (name: string) => issue({ name, role: "admin", restaurants: null })
    }
  })
}) {}
