import { Data, Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { AppConfig } from "./config.js"
import { ApiKeys, keyPrefix } from "./services/api-keys.js"

/** Why the service will not start with the admin key it was given; never the key itself. */
export class AdminKeyError extends Data.TaggedError("AdminKeyError")<{ readonly message: string }> {}

/** Where a generated admin key is written, beside the embedded database and the credentials key. */
export const adminKeyFile = (dataDir: string) => path.join(dataDir, "admin-api-key")

/**
 * Issue 17, the two-command start: ADMIN_API_KEY is stored (hashed) if it is new; otherwise, when
 * no key can be used at all, an admin key is made and written to DATA_DIR (mode 0600), and only
 * the file's path is logged. An installation that already has keys is left alone.
 */
export const bootstrapAdminKey = Effect.gen(function*() {
  const config = yield* AppConfig
  const keys = yield* ApiKeys
  if (Option.isSome(config.adminApiKey)) {
    const given = Redacted.value(config.adminApiKey.value).trim()
    if (!given.startsWith(keyPrefix) || given.length < keyPrefix.length + 32) {
      return yield* new AdminKeyError({
        message: `ADMIN_API_KEY must start with ${keyPrefix} and hold at least 32 more characters`
      })
    }
    yield* keys.ensure(config.adminApiKey.value, "admin (ADMIN_API_KEY)")
    return
  }
  if (yield* keys.hasActiveKey) return
  const issued = yield* keys.issueAdmin("admin (first start)")
  const file = adminKeyFile(config.dataDir)
  yield* Effect.promise(async () => {
    await fs.mkdir(config.dataDir, { recursive: true })
    // A file left from an earlier database is replaced: the key in it no longer exists.
    await fs.rm(file, { force: true })
    await fs.writeFile(file, issued.key + "\n", { mode: 0o600, flag: "wx" })
  })
  yield* Effect.logWarning(
    `no API key existed: an admin key was written to ${path.resolve(file)} (readable by its owner only)`
  )
})

export const AdminKeyBootstrapLive = Layer.effectDiscard(bootstrapAdminKey).pipe(
  Layer.tapError((
    e
  ) => (e._tag === "AdminKeyError" ? Effect.logError(`the service cannot start: ${e.message}`) : Effect.void))
)
