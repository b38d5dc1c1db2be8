import { Effect, Layer, Redacted } from "effect"
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"
import { type CipherBinding, CredentialCipher, DecryptionFailed } from "../../ports/credential-cipher.js"

/**
 * AES-256-GCM: `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts), authenticated together with
 * the row and column it is stored in. `v1.<iv>.<tag>.<ciphertext>` (no key id, no associated data)
 * is what earlier versions wrote: still read, rewritten by `npm run credentials -- rotate`.
 */

const VERSION = "v2"
const LEGACY = "v1"

/** Reads a 32-byte key given as base64 or hex; anything else is refused at start-up. */
export const parseKey = (key: Redacted.Redacted<string>): Buffer | undefined => {
  const text = Redacted.value(key).trim()
  const candidates = [
    /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : undefined,
    Buffer.from(text, "base64")
  ]
  return candidates.find((buffer) => buffer !== undefined && buffer.length === 32)
}

export const generateKey = () => randomBytes(32).toString("base64")

/** A short public name of a key (a hash: it tells nothing about the key), written in each ciphertext. */
export const keyIdOf = (key: Buffer) =>
  createHash("sha256").update("alloresto-credentials-key:").update(key).digest("hex").slice(0, 12)

/** The key id a ciphertext names, if it is of the current format. */
export const keyIdOfCiphertext = (ciphertext: string): string | undefined => {
  const [version, keyId] = ciphertext.split(".")
  return version === VERSION ? keyId : undefined
}

const associatedData = (binding: CipherBinding) => Buffer.from(`${binding.row}\u0000${binding.column}`, "utf8")

// The cause may quote input; only a fixed message leaves this module.
const failed = () =>
  new DecryptionFailed({ message: "stored credentials could not be decrypted (wrong key or altered data)" })

const open = (key: Buffer, iv: string, tag: string, body: string, aad: Buffer | undefined) => {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
  if (aad !== undefined) decipher.setAAD(aad)
  decipher.setAuthTag(Buffer.from(tag, "base64url"))
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")
}

const attempt = (f: () => string): string | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

/** `keys` newest first: the first encrypts, every one decrypts. */
export const makeAesGcmCipher = (keys: ReadonlyArray<Buffer>): CredentialCipher["Type"] => {
  const [newest] = keys
  if (newest === undefined) throw new Error("at least one credentials key is needed")
  const byId = new Map(keys.map((key) => [keyIdOf(key), key] as const))
  const newestId = keyIdOf(newest)
  return {
    encrypt: (plaintext, binding) =>
      Effect.sync(() => {
        const iv = randomBytes(12)
        const cipher = createCipheriv("aes-256-gcm", newest, iv)
        cipher.setAAD(associatedData(binding))
        const body = Buffer.concat([cipher.update(Redacted.value(plaintext), "utf8"), cipher.final()])
        return [VERSION, newestId, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url"))].join(
          "."
        )
      }),
    decrypt: (ciphertext, binding) =>
      Effect.suspend(() => {
        const parts = ciphertext.split(".")
        let plain: string | undefined
        if (parts[0] === VERSION && parts.length === 5) {
          const key = byId.get(parts[1]!)
          if (key !== undefined) {
            plain = attempt(() => open(key, parts[2]!, parts[3]!, parts[4]!, associatedData(binding)))
          }
        } else if (parts[0] === LEGACY && parts.length === 4) {
          for (const key of keys) {
            plain = attempt(() => open(key, parts[1]!, parts[2]!, parts[3]!, undefined))
            if (plain !== undefined) break
          }
        }
        return plain === undefined ? Effect.fail(failed()) : Effect.succeed(Redacted.make(plain))
      }),
    isCurrent: (ciphertext) => keyIdOfCiphertext(ciphertext) === newestId
  }
}

export const CredentialCipherAesGcm = (key: Buffer | ReadonlyArray<Buffer>) =>
  Layer.sync(CredentialCipher, () => makeAesGcmCipher(Buffer.isBuffer(key) ? [key] : key))
