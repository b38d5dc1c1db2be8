import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { CredentialCipher, DecryptionFailed } from "../../ports/credential-cipher.js"

const VERSION = "v1"

/** Reads a 32-byte key given as base64 or hex; anything else is refused at start-up. */
export const parseKey = (key: Redacted.Redacted<string>): Buffer | undefined => {
  const text = Redacted.value(key).trim()
  const candidates = [/^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : undefined, Buffer.from(text, "base64")]
  return candidates.find((buffer) => buffer !== undefined && buffer.length === 32)
}

export const generateKey = () => randomBytes(32).toString("base64")

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url parts); tampering fails authentication. */
export const makeAesGcmCipher = (key: Buffer): CredentialCipher["Type"] => ({
  encrypt: (plaintext) =>
    Effect.sync(() => {
      const iv = randomBytes(12)
      const cipher = createCipheriv("aes-256-gcm", key, iv)
      const body = Buffer.concat([cipher.update(Redacted.value(plaintext), "utf8"), cipher.final()])
      return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".")
    }),
  decrypt: (ciphertext) =>
    Effect.try({
      try: () => {
        const [version, iv, tag, body] = ciphertext.split(".")
        if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) throw new Error("unknown format")
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
        decipher.setAuthTag(Buffer.from(tag, "base64url"))
        const plain = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()])
        return Redacted.make(plain.toString("utf8"))
      },
      // The cause may quote input; only a fixed message leaves this module.
      catch: () => new DecryptionFailed({ message: "stored credentials could not be decrypted (wrong key or altered data)" })
    })
})

export const CredentialCipherAesGcm = (key: Buffer) => Layer.succeed(CredentialCipher, makeAesGcmCipher(key))
