import { Either, Encoding } from "effect"

/**
 * Webhook secrets (issue 18): a secret short or malformed enough to be guessed lets anyone forge a
 * restaurant's deliveries. Where we issue the secret, it follows the scheme's rule; where the
 * platform issues it (Uber Eats' client secret, Deliveroo's webhook secret), only its shape is
 * checked, since its length is the platform's choice.
 */
export type WebhookSecretScheme = "standard-webhooks" | "url-token" | "platform-issued"

export const STANDARD_WEBHOOKS_PREFIX = "whsec_"
/** Standard Webhooks: the key behind `whsec_` is 24 to 64 bytes (the spec's range). */
export const STANDARD_WEBHOOKS_KEY_BYTES = { min: 24, max: 64 } as const
/** A URL token is a bearer secret: at least this many characters from the URL-safe alphabet. */
export const URL_TOKEN_MIN_LENGTH = 32

const base64 = /^[A-Za-z0-9+/]+={0,2}$/
const urlSafe = /^[A-Za-z0-9_~.-]+$/

/** The HMAC key of a Standard Webhooks secret, or undefined when the secret breaks the rule. */
export const standardWebhooksKey = (secret: string): Uint8Array | undefined => {
  if (!secret.startsWith(STANDARD_WEBHOOKS_PREFIX)) return undefined
  const encoded = secret.slice(STANDARD_WEBHOOKS_PREFIX.length)
  if (!base64.test(encoded) || encoded.length % 4 !== 0) return undefined
  const key = Either.getOrUndefined(Encoding.decodeBase64(encoded))
  return key !== undefined && key.length >= STANDARD_WEBHOOKS_KEY_BYTES.min &&
      key.length <= STANDARD_WEBHOOKS_KEY_BYTES.max
    ? key
    : undefined
}

/** What is wrong with `secret` under `scheme`, never quoting it; undefined when it is acceptable. */
export const webhookSecretIssue = (scheme: WebhookSecretScheme, secret: string): string | undefined => {
  switch (scheme) {
    case "standard-webhooks":
      return standardWebhooksKey(secret) === undefined
        ? `must be "${STANDARD_WEBHOOKS_PREFIX}" followed by the base64 of ${STANDARD_WEBHOOKS_KEY_BYTES.min} to ${STANDARD_WEBHOOKS_KEY_BYTES.max} random bytes`
        : undefined
    case "url-token":
      return secret.length < URL_TOKEN_MIN_LENGTH || !urlSafe.test(secret)
        ? `must be at least ${URL_TOKEN_MIN_LENGTH} random URL-safe characters (A-Z, a-z, 0-9, "-", "_", ".", "~")`
        : undefined
    case "platform-issued":
      return secret.trim() !== secret || secret.length < 8
        ? "must be the secret the platform issued, as it issued it"
        : undefined
  }
}
