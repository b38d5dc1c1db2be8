import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { inject } from "vitest"
import { DatabaseLive } from "../../../src/adapters/sql/database.js"
import { freshDatabaseUrl } from "../../support/database.js"
import { query } from "../../support/embedded-cluster.js"

/** A role that may connect to a fresh database but not create anything in it, dropped afterwards. */
const connectOnlyRole = Effect.gen(function*() {
  const role = `connect_only_${randomBytes(4).toString("hex")}`
  const password = randomBytes(12).toString("hex")
  yield* query(inject("pgUrl"), `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`).pipe(Effect.orDie)
  // Finalizers run last first: the database (and the grant on it) goes before the role.
  yield* Effect.addFinalizer(() => query(inject("pgUrl"), `DROP ROLE IF EXISTS ${role}`).pipe(Effect.ignore))
  const databaseUrl = yield* freshDatabaseUrl
  yield* query(databaseUrl, `REVOKE CREATE ON SCHEMA public FROM PUBLIC`).pipe(Effect.orDie)
  yield* query(databaseUrl, `GRANT CONNECT ON DATABASE ${new URL(databaseUrl).pathname.slice(1)} TO ${role}`).pipe(
    Effect.orDie
  )
  const url = new URL(databaseUrl)
  url.username = role
  url.password = password
  return { url: url.toString(), role, password }
})

// A DATABASE_URL whose role may connect but not create tables used to stop the start with
// `"message":[]` and a stack trace.
describe("a database the service's role may not migrate", () => {
  it.live(
    "is refused in one line, PostgreSQL's words and the right to grant, without the password",
    () =>
      Effect.gen(function*() {
        const { password, role, url } = yield* connectOnlyRole
        const error = yield* Effect.flip(
          Layer.build(DatabaseLive({ url: Redacted.make(url), maxConnections: 1 })).pipe(Effect.scoped)
        )
        assert.strictEqual(error._tag, "DatabaseSetupError")
        assert.strictEqual(
          error.message,
          `the database schema cannot be brought up to date: permission denied for schema public; the role needs to create tables in the database's public schema (GRANT CREATE ON SCHEMA public TO ${role}, or make it the schema's owner)`
        )
        assert.notInclude(error.message, password)
      }).pipe(Effect.scoped),
    { timeout: 60_000 }
  )
})
