import { Data, Effect, Option } from "effect"
import * as path from "node:path"
import { clusterInUse } from "../adapters/sql/postmaster-orphan.js"
import { AppConfig } from "./config.js"

export class CliError extends Data.TaggedError("CliError")<{ readonly message: string }> {}

/**
 * A command on the embedded database while the service runs on the same folder would have to
 * start a second server on it, which the embedded PostgreSQL refuses: say so here instead, with
 * what to do (the route that does the same over HTTP, or stopping the service first). An orphan
 * left by a killed service does not count: the command's own start takes it over.
 */
export const refuseSharedEmbeddedDatabase = (advice: string) =>
  Effect.gen(function*() {
    const config = yield* AppConfig
    if (Option.isSome(config.databaseUrl)) return
    const service = yield* clusterInUse(path.join(config.dataDir, "postgres", "pgdata"))
    if (service !== undefined) {
      return yield* new CliError({
        message: `the service runs on this DATA_DIR's embedded PostgreSQL (pid ${service}): ${advice}`
      })
    }
  })
