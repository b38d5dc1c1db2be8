import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Duration, Effect, Layer } from "effect"
import { PlatformRateLimiter } from "../../ports/platform-rate-limiter.js"
import { PlatformRateLimiterLive, type RateLimitOptions } from "../platforms/shared/rate-limiter.js"

/**
 * The per-key token buckets kept in PostgreSQL, so every instance pushing with one API key draws
 * from one bucket (issue 19: two instances with buckets of their own could send twice the
 * platform's limit). One statement per request refills the bucket by the time passed on the
 * database's clock and takes a token; a bucket in debt answers how long this request waits for
 * its turn, so callers are spaced at the platform's rate without polling. The table is unlogged
 * (migration 0015): a token's commit waits for no WAL flush. Same rate and 10%
 * burst reserve as the in-memory limiter. Should the database not answer, this instance falls
 * back to its own buckets rather than stop pushing.
 */
export const PlatformRateLimiterSql = (options: RateLimitOptions = {}) =>
  Layer.scoped(
    PlatformRateLimiter,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // Built in this layer's scope: its buckets must outlive construction to serve as the fallback.
      const local = Context.get(yield* Layer.build(PlatformRateLimiterLive(options)), PlatformRateLimiter)
      const limit = options.limit ?? 100
      const windowMs = Duration.toMillis(Duration.decode(options.window ?? "1 minute"))
      const burst = Math.max(1, limit - Math.ceil(limit * 0.1))
      const perSecond = (limit * 1000) / windowMs
      const take = (key: string) =>
        sql<{ tokens: number }>`
          INSERT INTO platform_rate_buckets AS b (key, tokens, refilled_at) VALUES (${key}, ${burst - 1}, now())
          ON CONFLICT (key) DO UPDATE SET
            tokens = LEAST(${burst}::double precision,
              b.tokens + EXTRACT(EPOCH FROM (now() - b.refilled_at)) * ${perSecond}::double precision) - 1,
            refilled_at = now()
          RETURNING tokens`
      const permit = (key: string) =>
        take(key).pipe(
          Effect.flatMap(([row]) => {
            const tokens = Number(row?.tokens ?? 0)
            return tokens >= 0 ? Effect.void : Effect.sleep(Duration.millis((-tokens / perSecond) * 1000))
          }),
          Effect.catchAll((error) =>
            Effect.zipRight(
              Effect.logWarning(`shared rate limit unavailable, using this instance's: ${error.message}`),
              local.limit(key)(Effect.void)
            )
          )
        )
      return {
        limit: (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.zipRight(permit(key), effect)
      }
    })
  )
