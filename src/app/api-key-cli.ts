import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Layer, Option, Schema } from "effect"
import { parseArgs } from "node:util"
import { AdminAuditSql } from "../adapters/sql/admin-audit.js"
import { ApiKeyRepositorySql } from "../adapters/sql/api-keys.js"
import { Role } from "../domain/access.js"
import type { ApiKey } from "../ports/api-keys.js"
import { asSystem } from "./caller.js"
import { CliError, refuseSharedEmbeddedDatabase } from "./cli-database-guard.js"
import { DatabaseFromConfig } from "./database-layer.js"
import { AdminAuditLog } from "./services/admin-audit.js"
import { ApiKeyCreate, ApiKeys } from "./services/api-keys.js"

/**
 * Issue 17 from a shell:
 *   npm run api-key -- create --role app --restaurant resto-1 [--restaurant resto-2] [--name "voice AI"]
 *   npm run api-key -- list
 *   npm run api-key -- revoke <id>
 * A new key is printed once, on stdout alone, so it can be piped into a secret store.
 */
const usage = `usage: npm run api-key -- create --role <${
  Role.literals.join("|")
}> [--restaurant <id>]... [--name <name>]
       npm run api-key -- list
       npm run api-key -- revoke <id>`

const readArgs = Effect.try({
  try: () =>
    parseArgs({
      args: process.argv.slice(2),
      options: { role: { type: "string" }, restaurant: { type: "string", multiple: true }, name: { type: "string" } },
      allowPositionals: true,
      strict: true
    }),
  catch: (e) => new CliError({ message: `${e instanceof Error ? e.message : String(e)}\n${usage}` })
})

const describeKey = (key: ApiKey) =>
  [
    key.id,
    key.prefix + "…",
    key.role.padEnd(8),
    (key.restaurants === null ? "all restaurants" : key.restaurants.join(",")).padEnd(20),
    key.revokedAt === null ? "active" : `revoked ${key.revokedAt}`,
    `last used ${key.lastUsedAt ?? "never"}`,
    key.name
  ].join("  ")

// Keys made or revoked from the shell are audited too, as the system's own caller.
const ApiKeysFromConfig = ApiKeys.Default.pipe(
  Layer.provide(AdminAuditLog.Default),
  Layer.provide(Layer.mergeAll(ApiKeyRepositorySql, AdminAuditSql)),
  Layer.provide(DatabaseFromConfig)
)

const program = Effect.gen(function*() {
  const { positionals, values } = yield* readArgs
  const [command, id] = positionals
  if (command !== "create" && command !== "list" && command !== "revoke") return yield* new CliError({ message: usage })
  yield* refuseSharedEmbeddedDatabase("call the /api/admin/api-keys routes instead, or set DATABASE_URL")
  yield* Effect.gen(function*() {
    const keys = yield* ApiKeys
    if (command === "list") {
      for (const key of yield* keys.list()) yield* Console.log(describeKey(key))
      return
    }
    if (command === "revoke") {
      if (id === undefined) return yield* new CliError({ message: usage })
      const revoked = yield* keys.revoke(id).pipe(Effect.mapError(() => new CliError({ message: `no API key ${id}` })))
      yield* Console.error(`revoked: ${describeKey(revoked)}`)
      return
    }
    const input = yield* Schema.decodeUnknown(ApiKeyCreate)({
      name: values.name ?? `${values.role ?? "?"} key`,
      role: values.role,
      restaurants: values.restaurant === undefined || values.restaurant.length === 0 ? null : values.restaurant
    }).pipe(
      Effect.mapError(() =>
        new CliError({
          message: `--role must be one of ${Role.literals.join(", ")}; restaurant ids must not be empty\n${usage}`
        })
      )
    )
    const issued = yield* keys.create(input)
    yield* Console.error(`created: ${describeKey(issued)}\nthe key, shown this once:`)
    yield* Console.log(issued.key)
  }).pipe(asSystem, Effect.provide(ApiKeysFromConfig))
}).pipe(
  // One readable line on stderr for the expected failures, the full cause for defects; runMain then exits 1.
  Effect.tapErrorCause((cause) =>
    Console.error(
      `api-key failed: ${
        Option.match(Cause.failureOption(cause), {
          onNone: () => Cause.pretty(cause),
          onSome: (e) => e.message
        })
      }`
    )
  )
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
