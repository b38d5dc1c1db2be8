import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { DatabaseLive } from "../../../src/adapters/sql/database.js"
import { serviceRole } from "../../../src/adapters/sql/embedded-postgres-role.js"
import { embeddedPostgres } from "../../../src/adapters/sql/embedded-postgres.js"
import { query, tempRoot } from "../../support/embedded-cluster.js"

// Issue 18: the embedded cluster's superuser prepares a role; the service connects with that role.
describe("the embedded PostgreSQL's service role", () => {
  it.live(
    "is no superuser, migrates its schema, and takes over tables an older start left to the superuser",
    () =>
      Effect.gen(function*() {
        const rootDir = yield* tempRoot("alloresto-role-")
        const first = yield* Effect.scoped(Effect.gen(function*() {
          const pgInfo = yield* embeddedPostgres({ rootDir })
          assert.notStrictEqual(pgInfo.serviceUrl, pgInfo.url)
          const [me] = yield* query(
            pgInfo.serviceUrl,
            "SELECT current_user AS name, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
          )
          assert.deepStrictEqual(me, { name: serviceRole, rolsuper: false, rolcreatedb: false, rolcreaterole: false })
          // What a superuser could do, the service cannot.
          assert.match(yield* Effect.flip(query(pgInfo.serviceUrl, "CREATE DATABASE other")), /permission denied/)
          assert.match(
            yield* Effect.flip(query(pgInfo.serviceUrl, "ALTER SYSTEM SET work_mem = '1GB'")),
            /permission denied/
          )
          assert.match(
            yield* Effect.flip(query(pgInfo.serviceUrl, "SELECT rolpassword FROM pg_authid")),
            /permission denied/
          )
          // The migrations run as that role.
          const tables = yield* Effect.gen(function*() {
            const sql = yield* SqlClient.SqlClient
            return yield* sql<
              { readonly owner: string }
            >`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`
          }).pipe(
            Effect.provide(Layer.orDie(DatabaseLive({ url: Redacted.make(pgInfo.serviceUrl), maxConnections: 2 })))
          )
          assert.deepStrictEqual(tables.map((t) => t.owner), [serviceRole])
          // A table a superuser made (as a cluster from before the role did) with rows in it.
          yield* query(pgInfo.url, "CREATE TABLE legacy_rows (id serial PRIMARY KEY, note text)")
          yield* query(pgInfo.url, "INSERT INTO legacy_rows (note) VALUES ('kept'), ('also kept')")
          assert.match(yield* Effect.flip(query(pgInfo.serviceUrl, "SELECT * FROM legacy_rows")), /permission denied/)
          return pgInfo.serviceUrl
        }))
        yield* Effect.scoped(Effect.gen(function*() {
          const pgInfo = yield* embeddedPostgres({ rootDir })
          // Same role and password from one start to the next.
          assert.strictEqual(new URL(pgInfo.serviceUrl).password, new URL(first).password)
          const rows = yield* query(pgInfo.serviceUrl, "SELECT note FROM legacy_rows ORDER BY id")
          assert.deepStrictEqual(rows.map((r) => r["note"]), ["kept", "also kept"])
          yield* query(pgInfo.serviceUrl, "INSERT INTO legacy_rows (note) VALUES ('new')")
          const [owner] = yield* query(
            pgInfo.url,
            "SELECT tableowner FROM pg_tables WHERE tablename = 'legacy_rows'"
          )
          assert.deepStrictEqual(owner, { tableowner: serviceRole })
        }))
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )
})
