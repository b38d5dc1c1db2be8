import { Context, Data, type Effect, type Redacted } from "effect"

export class DecryptionFailed extends Data.TaggedError("DecryptionFailed")<{ readonly message: string }> {}

/**
 * Where a ciphertext belongs: authenticated with it (AES-GCM associated data), so a ciphertext
 * copied into another row or column no longer decrypts (issue 18).
 */
export interface CipherBinding {
  /** The config's id, or another stable name of the row. */
  readonly row: string
  /** The column the ciphertext is stored in. */
  readonly column: string
}

/** Encryption at rest of platform credentials and webhook secrets. */
export class CredentialCipher extends Context.Tag("CredentialCipher")<CredentialCipher, {
  /** Always under the newest key. */
  readonly encrypt: (plaintext: Redacted.Redacted<string>, binding: CipherBinding) => Effect.Effect<string>
  /** Under any key the instance was given, newest first. */
  readonly decrypt: (
    ciphertext: string,
    binding: CipherBinding
  ) => Effect.Effect<Redacted.Redacted<string>, DecryptionFailed>
  /** False when the ciphertext was written under an older key or an older format: rotation rewrites it. */
  readonly isCurrent: (ciphertext: string) => boolean
}>() {}
