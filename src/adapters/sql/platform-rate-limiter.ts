import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Duration, Effect, Layer, Option } from "effect"
import { makeGroupCommit } from "../../ports/group-commit.js"
import { PlatformRateLimiter } from "../../ports/platform-rate-limiter.js"
import { PlatformRateLimiterLive, type RateLimitOptions } from "../platforms/shared/rate-limiter.js"

/**
 * The per-key token buckets kept in PostgreSQL, so every instance pushing with one API key draws
 * from one bucket (issue 19: two instances with buckets of their own could send twice the
 * platform's limit). A statement refills each bucket by the time passed on the database's clock
 * and takes the tokens asked of it; a bucket in debt answers how long a request waits for its
 * turn, so callers are spaced at the platform's rate without polling. The requests that arrive
 * while a statement is in flight take their tokens together in the next one (group commit): one
 * statement per batch of pushes, not per push. The table is unlogged (migration 0015): a token's
 * commit waits for no WAL flush. Same rate and 10% burst reserve as the in-memory limiter.
 * Should the database not answer, this instance falls back to its own buckets rather than stop
 * pushing.
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

      /**
       * One token per key given, in order; answers each one's bucket level once it is taken (as
       * if taken one after another). Keys go in sorted order: two instances' statements lock the
       * bucket rows in the same order, so they never deadlock.
       */
      const take = (keys: ReadonlyArray<string>) => {
        const wanted = new Map<string, number>()
        for (const key of keys) wanted.set(key, (wanted.get(key) ?? 0) + 1)
        const sorted = [...wanted.keys()].sort()
        return sql<{ key: string; tokens: number }>`
          INSERT INTO platform_rate_buckets AS b (key, tokens, refilled_at)
          SELECT t.key, ${burst}::double precision - t.n, now()
          FROM unnest(${sorted}::text[], ${sorted.map((key) => wanted.get(key)!)}::int[]) AS t(key, n)
          ORDER BY t.key
          ON CONFLICT (key) DO UPDATE SET
            tokens = LEAST(${burst}::double precision,
              b.tokens + EXTRACT(EPOCH FROM (now() - b.refilled_at)) * ${perSecond}::double precision)
              - (${burst}::double precision - EXCLUDED.tokens),
            refilled_at = now()
          RETURNING b.key, b.tokens`.pipe(
          Effect.map((rows) => {
            // What is left once every token of this statement is taken; the earlier takers of a
            // key see the levels above it, one token apart.
            const left = new Map(rows.map((row) => [row.key, Number(row.tokens)]))
            const seen = new Map<string, number>()
            return keys.map((key) => {
              const before = seen.get(key) ?? 0
              seen.set(key, before + 1)
              return left.get(key)! + (wanted.get(key)! - 1 - before)
            })
          })
        )
      }
      const takeTogether = yield* makeGroupCommit(take, { maxCallersPerWrite: 500 })

      const permit = (key: string) =>
        takeTogether([key]).pipe(
          Effect.flatMap(Option.match({
            // This instance is stopping: its own bucket paces what it still sends.
            onNone: () => local.limit(key)(Effect.void),
            onSome: ([tokens = 0]) =>
              tokens >= 0 ? Effect.void : Effect.sleep(Duration.millis((-tokens / perSecond) * 1000))
          })),
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
