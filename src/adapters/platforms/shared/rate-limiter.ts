import { Duration, Effect, Layer, RateLimiter, RcMap } from "effect"
import { PlatformRateLimiter } from "../../../ports/platform-rate-limiter.js"

export interface RateLimitOptions {
  /** Requests allowed per window and API key (R-4.4: Zenchef's 100 per minute). */
  readonly limit?: number
  readonly window?: Duration.DurationInput
}

/**
 * One token bucket per API key, shared by every connector holding that key. Callers over the
 * limit wait for a token; they never fail. The bucket keeps the platform's average rate but
 * bursts 10% below its size: requests do not reach the platform in the order and spacing they
 * left, and that reserve keeps such jitter from meeting an empty bucket there (a 429).
 */
export const PlatformRateLimiterLive = (options: RateLimitOptions = {}) =>
  Layer.scoped(
    PlatformRateLimiter,
    Effect.gen(function*() {
      const limit = options.limit ?? 100
      const windowMs = Duration.toMillis(Duration.decode(options.window ?? "1 minute"))
      const burst = Math.max(1, limit - Math.ceil(limit * 0.1))
      const limiters = yield* RcMap.make({
        lookup: (_key: string) =>
          RateLimiter.make({ limit: burst, interval: Duration.millis((windowMs * burst) / limit) }),
        // Kept while idle, or each call would start a fresh, full bucket.
        idleTimeToLive: Duration.max(Duration.millis(windowMs * 2), Duration.minutes(10))
      })
      const permit = (key: string) =>
        Effect.scoped(Effect.flatMap(RcMap.get(limiters, key), (limiter) => limiter(Effect.void)))
      return {
        limit: (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.zipRight(permit(key), effect)
      }
    })
  )
