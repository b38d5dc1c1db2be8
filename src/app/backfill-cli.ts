import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { parseArgs } from "node:util"
import { Platform, platforms, RestaurantId } from "../domain/ids.js"
import { asSystem } from "./caller.js"
import { CliError, refuseSharedEmbeddedDatabase } from "./cli-database-guard.js"
import { CredentialCipherFromConfig } from "./credentials-key.js"
import { DatabaseFromConfig } from "./database-layer.js"
import { ConnectorsFromConfig } from "./from-config.js"
import { RepositoriesSql } from "./layers.js"
import { Backfill, type BackfillReport } from "./services/backfill.js"
import { ConfigCache } from "./sync/config-cache.js"

/** from a shell: `npm run backfill -- --restaurant <id> --platform zenchef [--dry-run]`. */

const usage = `usage: npm run backfill -- --restaurant <restaurantId> --platform <${platforms.join("|")}> [--dry-run]`

const Args = Schema.Struct({ restaurant: RestaurantId, platform: Platform, "dry-run": Schema.Boolean })

const readArgs = Effect.try({
  try: () =>
    parseArgs({
      args: process.argv.slice(2),
      options: {
        restaurant: { type: "string" },
        platform: { type: "string" },
        "dry-run": { type: "boolean", default: false }
      },
      strict: true
    }).values,
  catch: (e) => new CliError({ message: `${e instanceof Error ? e.message : String(e)}\n${usage}` })
}).pipe(
  Effect.flatMap((values) => Schema.decodeUnknown(Args)(values, { errors: "all" })),
  Effect.mapError((e) => {
    if (e._tag === "CliError") return e
    // One line per option: a literal union would otherwise list every platform it is not.
    const issues = ParseResult.ArrayFormatter.formatErrorSync(e)
    const options = [...new Set(issues.map((i) => i.path.join(".")))].map((option) =>
      `--${option} ${
        issues.some((i) => i.path.join(".") === option && i.message === "is missing") ? "is missing" : "is invalid"
      }`
    )
    return new CliError({ message: `${options.join("; ")}\n${usage}` })
  })
)

const line = (parts: ReadonlyArray<string>) => `  ${parts.join("  ")}`

const formatReport = (r: BackfillReport, platform: string) =>
  [
    r.dryRun ? "Dry run: nothing was written." : `${r.created} mapping(s) created.`,
    `Matched (${r.matched.length}):`,
    ...r.matched.map((m) =>
      line([m.entityType.padEnd(14), `"${m.localName}" (${m.localId})`, "→", `"${m.externalName}" [${m.externalId}]`])
    ),
    `Ambiguous, link by hand (${r.ambiguous.length}):`,
    ...r.ambiguous.map((a) =>
      line([
        a.entityType.padEnd(14),
        `"${a.localName}" (${a.localId})`,
        "?",
        a.candidates.map((c) => `"${c.externalName}" [${c.externalId}]`).join(" | ")
      ])
    ),
    `Only here (${r.unmatchedLocal.length}):`,
    ...r.unmatchedLocal.map((u) => line([u.entityType.padEnd(14), `"${u.localName}" (${u.localId})`])),
    `Only on ${platform} (${r.unmatchedRemote.length}):`,
    ...r.unmatchedRemote.map((u) => line([u.entityType.padEnd(14), `"${u.externalName}" [${u.externalId}]`]))
  ].join("\n")

/** The layers of main.ts, without the HTTP server and the workers. */
const BackfillFromConfig = Backfill.Default.pipe(
  Layer.provide(ConfigCache.Default),
  Layer.provide(ConnectorsFromConfig),
  Layer.provide(RepositoriesSql),
  Layer.provide(CredentialCipherFromConfig),
  Layer.provide(DatabaseFromConfig)
)

const program = Effect.gen(function*() {
  const args = yield* readArgs
  yield* refuseSharedEmbeddedDatabase("call POST /api/backfill instead, or set DATABASE_URL")
  const report = yield* Effect.flatMap(
    Backfill,
    (b) => asSystem(b.run(args.restaurant, args.platform, args["dry-run"]))
  ).pipe(
    Effect.provide(BackfillFromConfig)
  )
  yield* Console.log(
    `Backfill of ${args.platform} for restaurant ${args.restaurant}\n${formatReport(report, args.platform)}`
  )
}).pipe(
  // One readable line on stderr for the expected failures, the full cause for defects; runMain then exits 1.
  Effect.tapErrorCause((cause) =>
    Console.error(
      `backfill failed: ${
        Option.match(Cause.failureOption(cause), {
          onNone: () => Cause.pretty(cause),
          onSome: (e) => e.message
        })
      }`
    )
  )
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
