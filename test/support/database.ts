import { Reactivity } from "@effect/experimental"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { inject } from "vitest"
import { DatabaseLive } from "../../src/adapters/sql/database.js"
import { QueueTimeSource } from "../../src/adapters/sql/push-jobs.js"

/** A database of its own on the run's shared embedded PostgreSQL, migrated, dropped afterwards. */
export const freshDatabaseUrl = Effect.gen(function*() {
  const adminUrl = inject("pgUrl")
  const name = `test_${randomUUID().replaceAll("-", "")}`
  const admin = yield* PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
    Effect.provide(Reactivity.layer)
  )
  yield* admin.unsafe(`CREATE DATABASE ${name}`)
  yield* Effect.addFinalizer(() => admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
})

/**
 * Tests drive time with TestClock, so the queue times its leases on the Effect Clock here; the
 * service's processes time them on PostgreSQL's.
 */
export const testDatabaseWith = (maxConnections: number) =>
  Layer.unwrapScoped(
    Effect.map(freshDatabaseUrl, (url) => DatabaseLive({ url: Redacted.make(url), maxConnections }))
  ).pipe(Layer.orDie, Layer.merge(Layer.succeed(QueueTimeSource, "clock")))

export const TestDatabaseLive = testDatabaseWith(10)
