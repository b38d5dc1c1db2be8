import { Context, Data, type Effect, type Redacted } from "effect"

export class DecryptionFailed extends Data.TaggedError("DecryptionFailed")<{ readonly message: string }> {}

/** Encryption at rest of platform credentials and webhook secrets. */
export class CredentialCipher extends Context.Tag("CredentialCipher")<CredentialCipher, {
  readonly encrypt: (plaintext: Redacted.Redacted<string>) => Effect.Effect<string>
  readonly decrypt: (ciphertext: string) => Effect.Effect<Redacted.Redacted<string>, DecryptionFailed>
}>() {}
