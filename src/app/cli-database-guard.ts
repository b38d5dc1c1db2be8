import { Data, Effect, Option } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { AppConfig } from "./config.js"

export class CliError extends Data.TaggedError("CliError")<{ readonly message: string }> {}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * The embedded PostgreSQL stops any server already running on its data folder as an orphan: with
 * the service up on the same folder, a command would take its database away. Refuse instead,
 * naming the route that does the same over HTTP.
 */
export const refuseSharedEmbeddedDatabase = (instead: string) =>
  Effect.gen(function*() {
    const config = yield* AppConfig
    if (Option.isSome(config.databaseUrl)) return
    const pidFile = path.join(config.dataDir, "postgres", "pgdata", "postmaster.pid")
    const pid = Number((yield* Effect.promise(() => fs.readFile(pidFile, "utf8").catch(() => ""))).split("\n")[0])
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      return yield* new CliError({
        message:
          `the service's embedded PostgreSQL is running (pid ${pid}): call ${instead} instead, or set DATABASE_URL`
      })
    }
  })
