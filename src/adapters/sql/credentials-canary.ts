import * as SqlClient from "@effect/sql/SqlClient"
import { Data, Effect, Option, Redacted } from "effect"
import { type CipherBinding, CredentialCipher } from "../../ports/credential-cipher.js"
import { SecretColumn } from "../../ports/platform-config-repository.js"

/**
 * Issue 18: an instance started with another key than the one the database was written with
 * would answer /health, then fail every webhook and hold the jobs it claims. A known value
 * encrypted once (the canary) is decrypted at start instead, and the instance refuses to start.
 */
export class CredentialsKeyMismatch extends Data.TaggedError("CredentialsKeyMismatch")<{ readonly message: string }> {}

const CANARY = "alloresto-sync credentials canary"
const canaryBinding: CipherBinding = { row: "canary", column: "ciphertext" }

const mismatch = () =>
  new CredentialsKeyMismatch({
    message:
      "the credentials key does not decrypt this database's credentials: start with the CREDENTIALS_KEYS the database was written with (older keys may follow the newest)"
  })

interface SecretRow {
  readonly id: string
  readonly credentials: string
  readonly webhookSecret: string | null
  readonly webhookSecretPrevious: string | null
}

const columnsOf = (row: SecretRow): ReadonlyArray<readonly [column: string, ciphertext: string]> => [
  [SecretColumn.credentials, row.credentials],
  ...(row.webhookSecret === null ? [] : [[SecretColumn.webhookSecret, row.webhookSecret] as const]),
  ...(row.webhookSecretPrevious === null
    ? []
    : [[SecretColumn.previousWebhookSecret, row.webhookSecretPrevious] as const])
]

/** Decrypts the canary, writing it first on a database that has none (after checking a stored config, if any). */
export const checkCredentialsCanary = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* CredentialCipher
  const decrypts = (ciphertext: string, binding: CipherBinding) =>
    Effect.match(cipher.decrypt(ciphertext, binding), { onFailure: () => false, onSuccess: () => true })
  const stored = Option.fromNullable(
    (yield* sql<{ ciphertext: string }>`SELECT ciphertext FROM sync_credentials_canary WHERE id = 1`)[0]
  )
  if (Option.isNone(stored)) {
    // A database from before the canary: a stored config tells whether the key is the right one.
    const [config] = yield* sql<
      { id: string; credentials: string }
    >`SELECT id, credentials FROM sync_platform_configs LIMIT 1`
    if (
      config !== undefined &&
      !(yield* decrypts(config.credentials, { row: config.id, column: SecretColumn.credentials }))
    ) {
      return yield* mismatch()
    }
    const ciphertext = yield* cipher.encrypt(Redacted.make(CANARY), canaryBinding)
    yield* sql`INSERT INTO sync_credentials_canary (id, ciphertext) VALUES (1, ${ciphertext}) ON CONFLICT (id) DO NOTHING`
  }
  // Read again: another instance may have written its canary first.
  const [canary] = yield* sql<{ ciphertext: string }>`SELECT ciphertext FROM sync_credentials_canary WHERE id = 1`
  if (canary === undefined || !(yield* decrypts(canary.ciphertext, canaryBinding))) return yield* mismatch()
  const [legacy] = yield* sql<{ n: number }>`
    SELECT count(*)::int AS n FROM sync_platform_configs
    WHERE credentials LIKE 'v1.%' OR webhook_secret LIKE 'v1.%' OR webhook_secret_previous LIKE 'v1.%'`
  if ((legacy?.n ?? 0) > 0) {
    yield* Effect.logWarning(
      `${
        legacy!.n
      } platform configs hold credentials in the format without associated data: run "npm run credentials -- rotate" once`
    )
  }
}).pipe(Effect.catchTag("SqlError", Effect.die), Effect.withSpan("Credentials.checkCanary"))

/**
 * `npm run credentials -- rotate`: every ciphertext not written under the newest key (or written
 * in the older format) is decrypted with the key it names and encrypted again under the newest,
 * the canary included, in one transaction. Returns how many values were rewritten.
 */
export const reencryptCredentials = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* CredentialCipher
  const reencrypt = (ciphertext: string, binding: CipherBinding) =>
    cipher.isCurrent(ciphertext)
      ? Effect.succeed(Option.none<string>())
      : Effect.flatMap(cipher.decrypt(ciphertext, binding), (plain) =>
        Effect.map(cipher.encrypt(plain, binding), Option.some))
  return yield* sql.withTransaction(Effect.gen(function*() {
    let rewritten = 0
    const rows = yield* sql<SecretRow>`
      SELECT id, credentials, webhook_secret, webhook_secret_previous FROM sync_platform_configs ORDER BY id FOR UPDATE`
    for (const row of rows) {
      for (const [column, ciphertext] of columnsOf(row)) {
        const next = yield* reencrypt(ciphertext, { row: row.id, column })
        if (Option.isNone(next)) continue
        rewritten++
        if (column === SecretColumn.credentials) {
          yield* sql`UPDATE sync_platform_configs SET credentials = ${next.value} WHERE id = ${row.id}`
        }
        if (column === SecretColumn.webhookSecret) {
          yield* sql`UPDATE sync_platform_configs SET webhook_secret = ${next.value} WHERE id = ${row.id}`
        }
        if (column === SecretColumn.previousWebhookSecret) {
          yield* sql`UPDATE sync_platform_configs SET webhook_secret_previous = ${next.value} WHERE id = ${row.id}`
        }
      }
    }
    const [canary] = yield* sql<
      { ciphertext: string }
    >`SELECT ciphertext FROM sync_credentials_canary WHERE id = 1 FOR UPDATE`
    if (canary !== undefined) {
      const next = yield* reencrypt(canary.ciphertext, canaryBinding)
      if (Option.isSome(next)) yield* sql`UPDATE sync_credentials_canary SET ciphertext = ${next.value} WHERE id = 1`
    }
    return rewritten
  }))
}).pipe(Effect.catchTag("SqlError", Effect.die), Effect.withSpan("Credentials.reencrypt"))
