import { Data, Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { CredentialCipherAesGcm, generateKey, parseKey } from "../adapters/crypto/aes-gcm-cipher.js"
import { checkCredentialsCanary } from "../adapters/sql/credentials-canary.js"
import { AppConfig } from "./config.js"

/** Why the service will not start with the keys it was given; the message is one line, without a key. */
export class CredentialsKeyError extends Data.TaggedError("CredentialsKeyError")<{ readonly message: string }> {}

/**
 * The keys encrypting credentials at rest, newest first: CREDENTIALS_KEYS (or CREDENTIALS_KEY).
 * Only an installation on the embedded database may go without: a key is generated on first
 * start and kept (mode 0600) in DATA_DIR, beside the database it encrypts. With DATABASE_URL,
 * several instances share the database, and a key of each instance's own would make them unable
 * to read each other's writes (issue 18): a missing key is an error.
 */
const loadKeys = Effect.gen(function*() {
  const config = yield* AppConfig
  if (config.credentialsKeys.length > 0) return config.credentialsKeys
  if (Option.isSome(config.databaseUrl)) {
    return yield* new CredentialsKeyError({
      message:
        "CREDENTIALS_KEYS is required with DATABASE_URL: give every instance the same key (32 bytes, base64 or hex)"
    })
  }
  const file = path.join(config.dataDir, "credentials.key")
  const stored = yield* Effect.promise(() => fs.readFile(file, "utf8").catch(() => undefined))
  if (stored !== undefined) return [Redacted.make(stored.trim())]
  const key = generateKey()
  yield* Effect.promise(async () => {
    await fs.mkdir(config.dataDir, { recursive: true })
    await fs.writeFile(file, key + "\n", { mode: 0o600, flag: "wx" })
  })
  yield* Effect.logWarning(`no CREDENTIALS_KEYS given: generated one in ${file}; set CREDENTIALS_KEYS in production`)
  return [Redacted.make(key)]
})

const parsedKeys = Effect.flatMap(loadKeys, (keys) =>
  Effect.forEach(keys, (key, i) => {
    const parsed = parseKey(key)
    return parsed === undefined
      ? Effect.fail(
        new CredentialsKeyError({
          message: `CREDENTIALS_KEYS: key ${i + 1} of ${keys.length} is not 32 bytes, base64 or hex encoded`
        })
      )
      : Effect.succeed(parsed)
  }))

/** The cipher on the configured keys, without the database check (the rotation command runs before it). */
export const CredentialCipherFromKeys = Layer.unwrapEffect(Effect.map(parsedKeys, CredentialCipherAesGcm))

/**
 * The cipher, once the database's canary has been decrypted with it: an instance whose key does
 * not match refuses to start, with one line saying so.
 */
export const CredentialCipherFromConfig = Layer.effectDiscard(
  checkCredentialsCanary.pipe(
    Effect.mapError((e) => new CredentialsKeyError({ message: e.message }))
  )
).pipe(
  Layer.provideMerge(CredentialCipherFromKeys),
  Layer.tapError((e) =>
    e._tag === "CredentialsKeyError" ? Effect.logError(`the service cannot start: ${e.message}`) : Effect.void
  )
)
