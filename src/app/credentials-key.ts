import { Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { CredentialCipherAesGcm, generateKey, parseKey } from "../adapters/crypto/aes-gcm-cipher.js"
import { AppConfig } from "./config.js"

class CredentialsKeyInvalid extends Error {
  override readonly name = "CredentialsKeyInvalid"
}

/**
 * The key encrypting credentials at rest: CREDENTIALS_KEY, or one generated on first start and
 * kept (mode 0600) in DATA_DIR so a local installation survives restarts.
 */
const loadKey = Effect.gen(function* () {
  const config = yield* AppConfig
  if (Option.isSome(config.credentialsKey)) return config.credentialsKey.value
  const file = path.join(config.dataDir, "credentials.key")
  const stored = yield* Effect.promise(() => fs.readFile(file, "utf8").catch(() => undefined))
  if (stored !== undefined) return Redacted.make(stored.trim())
  const key = generateKey()
  yield* Effect.promise(async () => {
    await fs.mkdir(config.dataDir, { recursive: true })
    await fs.writeFile(file, key + "\n", { mode: 0o600, flag: "wx" })
  })
  yield* Effect.logWarning(`no CREDENTIALS_KEY given: generated one in ${file}; set CREDENTIALS_KEY in production`)
  return Redacted.make(key)
})

export const CredentialCipherFromConfig = Layer.unwrapEffect(
  Effect.gen(function* () {
    const key = parseKey(yield* loadKey)
    if (key === undefined) {
      return yield* Effect.die(new CredentialsKeyInvalid("CREDENTIALS_KEY must be 32 bytes, base64 or hex encoded"))
    }
    return CredentialCipherAesGcm(key)
  })
)
