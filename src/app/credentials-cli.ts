import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Option } from "effect"
import { reencryptCredentials } from "../adapters/sql/credentials-canary.js"
import { refuseSharedEmbeddedDatabase } from "./cli-database-guard.js"
import { CredentialCipherFromKeys } from "./credentials-key.js"
import { DatabaseFromConfig } from "./database-layer.js"

/**
 * `npm run credentials -- rotate` (issue 18): re-encrypts every stored credential, webhook secret
 * and the canary under the newest of CREDENTIALS_KEYS, with the service's own settings. On the
 * embedded database, run it while the service is stopped (it starts the database itself).
 */
const usage = "usage: npm run credentials -- rotate"

const program = Effect.gen(function*() {
  const [command, ...rest] = process.argv.slice(2)
  if (command !== "rotate" || rest.length > 0) return yield* Effect.fail(new Error(usage))
  // No route does this: every instance has to hold the new keys first, so it runs between stops.
  yield* refuseSharedEmbeddedDatabase("stop the service, run this command, then start the service again")
  const rewritten = yield* reencryptCredentials.pipe(
    Effect.provide(CredentialCipherFromKeys),
    Effect.provide(DatabaseFromConfig)
  )
  yield* Console.log(`credentials rotated: ${rewritten} values re-encrypted under the newest key`)
}).pipe(
  // One readable line on stderr, never a value: the messages name keys by position only.
  Effect.tapErrorCause((cause) =>
    Console.error(
      `credentials ${process.argv[2] ?? ""} failed: ${
        Option.match(Cause.failureOption(cause), {
          onNone: () => Cause.pretty(cause),
          onSome: (e) => e.message
        })
      }`
    )
  )
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
