/**
 * `npm run simulator -- <platform> [--port 4010] [--no-rate-limit]`: runs one platform simulator
 * on 127.0.0.1 until SIGINT/SIGTERM. Control it over HTTP through its `/_sim/...` routes.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Data, Effect } from "effect"
import { simulatorStarters as starters, type Starter } from "./index.js"
import { SimulatorListenError } from "./kit/http-server.js"

class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

const usage = `usage: npm run simulator -- <${Object.keys(starters).join("|")}> [--port <n>] [--no-rate-limit]`

const parseArgs = (argv: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const [name, ...flags] = argv
    const starter = name === undefined ? undefined : (starters as Partial<Record<string, Starter>>)[name]
    if (name === undefined || starter === undefined) return yield* new UsageError({ message: usage })
    let port = 0
    let rateLimited = true
    for (let i = 0; i < flags.length; i++) {
      const flag = flags[i]
      if (flag === "--port") {
        const value = Number(flags[++i])
        if (!Number.isInteger(value) || value < 0 || value > 65535) {
          return yield* new UsageError({ message: `--port needs 0-65535\n${usage}` })
        }
        port = value
      } else if (flag === "--no-rate-limit") rateLimited = false
      else return yield* new UsageError({ message: `unknown option ${flag}\n${usage}` })
    }
    return { name, starter, options: { port, rateLimited } }
  })

const main = Effect.gen(function*() {
  const { name, starter, options } = yield* parseArgs(process.argv.slice(2))
  const running = yield* starter(options)
  yield* Console.log(`${name} simulator listening: ${running.url}`)
  yield* Console.log(`control routes: ${running.controlUrl} (GET it for their list)`)
  for (const note of running.notes) yield* Console.log(note)
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.catchIf(
    (error): error is UsageError => error instanceof UsageError,
    (error) => Effect.zipRight(Console.error(error.message), Effect.sync(() => process.exit(2)))
  ),
  // A port in use is the usual mistake: one line that says so, not a stack trace.
  Effect.catchIf(
    (error): error is SimulatorListenError => error instanceof SimulatorListenError,
    (error) =>
      Effect.zipRight(
        Console.error(`simulator not started: ${error.message} (give another --port, or 0 for any free one)`),
        Effect.sync(() => process.exit(1))
      )
  )
)

NodeRuntime.runMain(main)
