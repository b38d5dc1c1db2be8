import { SqlClient } from "@effect/sql"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { createCipheriv, randomBytes } from "node:crypto"
import { keyIdOf, makeAesGcmCipher } from "../../../src/adapters/crypto/aes-gcm-cipher.js"
import { checkCredentialsCanary, reencryptCredentials } from "../../../src/adapters/sql/credentials-canary.js"
import { CredentialCipher } from "../../../src/ports/credential-cipher.js"
import { TestDatabaseLive } from "../../support/database.js"

// Issue 18: ciphertexts bound to their row and column, carrying their key's id, rotatable.

const secret = Redacted.make(JSON.stringify({ apiKey: "sk-live-secret" }))
const rowA = { row: "11111111-1111-4111-8111-111111111111", column: "credentials" }
const rowB = { row: "22222222-2222-4222-8222-222222222222", column: "credentials" }

describe("AES-GCM credentials cipher", () => {
  it.effect("a ciphertext copied to another row or column does not decrypt", () =>
    Effect.gen(function*() {
      const cipher = makeAesGcmCipher([randomBytes(32)])
      const ciphertext = yield* cipher.encrypt(secret, rowA)
      assert.strictEqual(Redacted.value(yield* cipher.decrypt(ciphertext, rowA)), Redacted.value(secret))
      assert.strictEqual((yield* Effect.flip(cipher.decrypt(ciphertext, rowB)))._tag, "DecryptionFailed")
      assert.strictEqual(
        (yield* Effect.flip(cipher.decrypt(ciphertext, { ...rowA, column: "webhook_secret" })))._tag,
        "DecryptionFailed"
      )
    }))

  it.effect("keys newest first: old ciphertexts still decrypt, new ones are written under the newest key", () =>
    Effect.gen(function*() {
      const [oldKey, newKey] = [randomBytes(32), randomBytes(32)]
      const written = yield* makeAesGcmCipher([oldKey]).encrypt(secret, rowA)
      assert.include(written, keyIdOf(oldKey))
      const rotated = makeAesGcmCipher([newKey, oldKey])
      assert.isFalse(rotated.isCurrent(written))
      assert.strictEqual(Redacted.value(yield* rotated.decrypt(written, rowA)), Redacted.value(secret))
      const rewritten = yield* rotated.encrypt(yield* rotated.decrypt(written, rowA), rowA)
      assert.isTrue(rotated.isCurrent(rewritten))
      assert.strictEqual(
        (yield* Effect.flip(makeAesGcmCipher([newKey]).decrypt(written, rowA)))._tag,
        "DecryptionFailed"
      )
      assert.strictEqual(
        Redacted.value(yield* makeAesGcmCipher([newKey]).decrypt(rewritten, rowA)),
        Redacted.value(secret)
      )
    }))

  it.effect("the earlier format (no key id, no associated data) is still read, and is never current", () =>
    Effect.gen(function*() {
      const key = randomBytes(32)
      const iv = randomBytes(12)
      const c = createCipheriv("aes-256-gcm", key, iv)
      const body = Buffer.concat([c.update(Redacted.value(secret), "utf8"), c.final()])
      const legacy = ["v1", iv, c.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".")
      const cipher = makeAesGcmCipher([randomBytes(32), key])
      assert.strictEqual(Redacted.value(yield* cipher.decrypt(legacy, rowB)), Redacted.value(secret))
      assert.isFalse(cipher.isCurrent(legacy))
    }))
})

layer(TestDatabaseLive, { excludeTestServices: true })("credentials canary and rotation (PostgreSQL)", (it) => {
  const insertConfig = (cipher: CredentialCipher["Type"], id: string) =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const credentials = yield* cipher.encrypt(secret, { row: id, column: "credentials" })
      const webhookSecret = yield* cipher.encrypt(Redacted.make("whsec_secret"), { row: id, column: "webhook_secret" })
      yield* sql`INSERT INTO sync_platform_configs (id, restaurant_id, platform, external_restaurant_id, credentials, master_for, sync_entities, supports_webhook, webhook_secret)
        VALUES (${id}, ${`resto-${id.slice(0, 8)}`}, 'zenchef', ${
        id.slice(0, 8)
      }, ${credentials}, '[]', '["reservation"]', true, ${webhookSecret})`
    })

  it.effect("a second key refuses to start; rotation re-encrypts every row and the canary under the newest key", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [keyA, keyB] = [randomBytes(32), randomBytes(32)]
      const a = makeAesGcmCipher([keyA])
      yield* insertConfig(a, rowA.row)
      yield* checkCredentialsCanary.pipe(Effect.provideService(CredentialCipher, a))
      yield* checkCredentialsCanary.pipe(Effect.provideService(CredentialCipher, a))
      const refused = yield* Effect.flip(
        checkCredentialsCanary.pipe(Effect.provideService(CredentialCipher, makeAesGcmCipher([keyB])))
      )
      assert.strictEqual(refused._tag, "CredentialsKeyMismatch")
      assert.notInclude(refused.message, keyA.toString("base64"))

      const both = makeAesGcmCipher([keyB, keyA])
      yield* insertConfig(a, rowB.row)
      assert.strictEqual(yield* reencryptCredentials.pipe(Effect.provideService(CredentialCipher, both)), 4)
      assert.strictEqual(
        yield* reencryptCredentials.pipe(Effect.provideService(CredentialCipher, both)),
        0,
        "nothing left to rewrite"
      )
      const onlyB = makeAesGcmCipher([keyB])
      yield* checkCredentialsCanary.pipe(Effect.provideService(CredentialCipher, onlyB))
      const rows = yield* sql<
        { id: string; credentials: string }
      >`SELECT id, credentials FROM sync_platform_configs ORDER BY id`
      for (const row of rows) {
        assert.strictEqual(
          Redacted.value(yield* onlyB.decrypt(row.credentials, { row: row.id, column: "credentials" })),
          Redacted.value(secret)
        )
      }
      // A row whose ciphertext is copied from another row fails to decrypt.
      yield* sql`UPDATE sync_platform_configs SET credentials = ${rows[0]!.credentials} WHERE id = ${rows[1]!.id}`
      const [copied] = yield* sql<{ credentials: string }>`SELECT credentials FROM sync_platform_configs WHERE id = ${
        rows[1]!.id
      }`
      assert.strictEqual(
        (yield* Effect.flip(onlyB.decrypt(copied!.credentials, { row: rows[1]!.id, column: "credentials" })))._tag,
        "DecryptionFailed"
      )
    }))
})
