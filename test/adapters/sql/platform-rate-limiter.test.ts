import * as SqlClient from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import { assert, layer } from "@effect/vitest"
import { Clock, Context, Effect, Layer } from "effect"
import { PlatformRateLimiterSql } from "../../../src/adapters/sql/platform-rate-limiter.js"
import { PlatformRateLimiter } from "../../../src/ports/platform-rate-limiter.js"
import { TestDatabaseLive } from "../../support/database.js"

// Issue 19: two instances (two limiters on one database) draw from one bucket per key.
const limiter = PlatformRateLimiterSql({ limit: 20, window: "1 second" })
const twoInstances = Effect.all([Layer.build(limiter), Layer.build(limiter)])

layer(TestDatabaseLive, { excludeTestServices: true })("shared platform rate limits, on PostgreSQL", (it) => {
  it.scoped(
    "two instances sending 60 requests with one key keep to the key's rate together",
    () =>
      Effect.gen(function*() {
        const [a, b] = (yield* twoInstances).map((context) => Layer.succeedContext(context))
        const one = yield* Effect.provide(PlatformRateLimiter, a!)
        const two = yield* Effect.provide(PlatformRateLimiter, b!)
        const sent: Array<number> = []
        const start = yield* Clock.currentTimeMillis
        const send = (l: typeof one) =>
          l.limit("zenchef:key-1")(
            Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => sent.push(t - start)))
          )
        yield* Effect.all(Array.from({ length: 60 }, (_, i) => send(i % 2 === 0 ? one : two)), {
          concurrency: "unbounded"
        })
        // 18 at once (the burst), then 20 per second: the 60th leaves after about 2.1 s.
        const last = Math.max(...sent)
        assert.isAtLeast(last, 1_900)
        assert.isAtMost(last, 3_500)
        // As the platform's own token bucket counts: no second holds more than the burst and a second's refill.
        sent.sort((x, y) => x - y)
        for (let i = 0; i < sent.length; i++) {
          assert.isAtMost(sent.filter((t) => t >= sent[i]! && t < sent[i]! + 1_000).length, 18 + 20)
        }
        // Another key has its own bucket.
        const other = yield* Clock.currentTimeMillis
        yield* one.limit("zenchef:key-2")(Effect.void)
        assert.isBelow((yield* Clock.currentTimeMillis) - other, 500)
      }),
    20_000
  )

  it.scoped(
    "requests arriving together take their tokens in one statement, each from its own key's bucket",
    () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        let statements = 0
        // Counts the statements on the buckets, whichever fiber runs them (the layer's or the caller's).
        const counted = Statement.withTransformer((statement) =>
          Effect.sync(() => {
            if (statement.compile()[0].includes("platform_rate_buckets")) statements++
            return statement
          })
        )
        const one = Context.get(yield* counted(Layer.build(limiter)), PlatformRateLimiter)
        const keys = Array.from({ length: 6 }, (_, k) => `sevenrooms:group-${k}`)
        yield* counted(Effect.all(Array.from({ length: 60 }, (_, i) => one.limit(keys[i % 6]!)(Effect.void)), {
          concurrency: "unbounded"
        }))
        // One statement for the first request, one or a few for the 59 that queued behind it.
        assert.isAtMost(statements, 6)
        // Ten tokens came out of each key's shared bucket (burst 18, 20 refilled per second).
        const buckets = yield* sql<{ key: string; tokens: number }>`
          SELECT key, tokens FROM platform_rate_buckets WHERE key LIKE 'sevenrooms:group-%' ORDER BY key`
        assert.deepStrictEqual(buckets.map((b) => b.key), keys)
        for (const bucket of buckets) {
          assert.isAtMost(bucket.tokens, 18 - 10 + 2)
          assert.isAtLeast(bucket.tokens, 18 - 10 - 0.001)
        }
      }),
    20_000
  )

  // A token taken per platform request must not cost a WAL flush per request (its commit waits on none).
  it.effect("the buckets are kept out of the write-ahead log", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [table] = yield* sql<{ relpersistence: string }>`
        SELECT relpersistence FROM pg_class WHERE oid = 'platform_rate_buckets'::regclass`
      assert.strictEqual(table?.relpersistence, "u")
    }))
})

layer(TestDatabaseLive, { excludeTestServices: true })("shared platform rate limits, database unavailable", (it) => {
  it.scoped(
    "a statement that fails falls back to this instance's bucket: requests still leave, at the key's rate",
    () =>
      Effect.gen(function*() {
        const one = Context.get(yield* Layer.build(limiter), PlatformRateLimiter)
        const sql = yield* SqlClient.SqlClient
        yield* sql`DROP TABLE platform_rate_buckets`
        const sent: Array<number> = []
        const start = yield* Clock.currentTimeMillis
        yield* Effect.all(
          Array.from({ length: 30 }, () =>
            one.limit("zenchef:key-1")(
              Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => sent.push(t - start)))
            )),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(sent.length, 30)
        // 18 at once, then 20 per second: the 30th leaves after about 0.6 s.
        assert.isAtLeast(Math.max(...sent), 450)
      }),
    20_000
  )
})
