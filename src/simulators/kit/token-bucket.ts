import { Clock, Effect, HashMap, Option, Ref, Schema } from "effect"

/** `limit` requests per `windowMs`, refilled continuously; a full bucket allows a burst of `limit`. */
export const RateLimitSettings = Schema.Struct({
  limit: Schema.Int.pipe(Schema.positive()),
  windowMs: Schema.Number.pipe(Schema.finite(), Schema.positive())
})
export type RateLimitSettings = typeof RateLimitSettings.Type

export type TakeResult =
  | { readonly _tag: "Allowed"; readonly remaining: number }
  | { readonly _tag: "Limited"; readonly retryAfterSeconds: number }

interface Bucket {
  readonly tokens: number
  readonly updatedAt: number
}

export interface TokenBucketLimiter {
  /** Takes one token from `key`'s bucket; fails fast (never waits) so the server can answer 429. */
  readonly take: (key: string) => Effect.Effect<TakeResult>
  /** `null` switches limiting off. Buckets restart full under the new settings. */
  readonly configure: (settings: RateLimitSettings | null) => Effect.Effect<void>
  readonly settings: Effect.Effect<RateLimitSettings | null>
}

const refill = (bucket: Bucket, settings: RateLimitSettings, now: number): Bucket => {
  const perMs = settings.limit / settings.windowMs
  const tokens = Math.min(settings.limit, bucket.tokens + Math.max(0, now - bucket.updatedAt) * perMs)
  return { tokens, updatedAt: now }
}

export const takeToken = (
  bucket: Bucket | undefined,
  settings: RateLimitSettings,
  now: number
): readonly [TakeResult, Bucket] => {
  const current = refill(bucket ?? { tokens: settings.limit, updatedAt: now }, settings, now)
  if (current.tokens >= 1) {
    const next = { tokens: current.tokens - 1, updatedAt: now }
    return [{ _tag: "Allowed", remaining: Math.floor(next.tokens) }, next]
  }
  const waitMs = (1 - current.tokens) / (settings.limit / settings.windowMs)
  // Retry-After is whole seconds and a client told "0" would retry at once.
  return [{ _tag: "Limited", retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }, current]
}

export const makeTokenBucketLimiter = (initial: RateLimitSettings | null): Effect.Effect<TokenBucketLimiter> =>
  Effect.gen(function*() {
    const settingsRef = yield* Ref.make(initial)
    const buckets = yield* Ref.make(HashMap.empty<string, Bucket>())
    return {
      take: (key) =>
        Effect.gen(function*() {
          const settings = yield* Ref.get(settingsRef)
          if (settings === null) return { _tag: "Allowed", remaining: Number.POSITIVE_INFINITY } as const
          const now = yield* Clock.currentTimeMillis
          return yield* Ref.modify(buckets, (all) => {
            const [result, bucket] = takeToken(Option.getOrUndefined(HashMap.get(all, key)), settings, now)
            return [result, HashMap.set(all, key, bucket)]
          })
        }),
      configure: (settings) => Ref.set(settingsRef, settings).pipe(Effect.zipRight(Ref.set(buckets, HashMap.empty()))),
      settings: Ref.get(settingsRef)
    }
  })
