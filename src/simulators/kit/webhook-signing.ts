import { createHmac, randomBytes } from "node:crypto"

/** Where and with which headers one delivery attempt goes; computed per attempt (fresh timestamp). */
export interface SignedRequest {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

/** Signs one attempt of a delivery, given the attempt's Unix time in seconds. */
export type WebhookSigner = (url: string, body: string, timestampSeconds: number) => SignedRequest

const SECRET_PREFIX = "whsec_"

export const generateStandardSecret = (): string => `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`

/** Standard Webhooks: HMAC-SHA256 over `id.timestamp.body`, keyed by the base64 part of `whsec_...`. */
export const standardWebhookSignature = (
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string
): string => {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64")
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`
}

/** `webhook-id` stays the same across retries so receivers can dedupe on it. */
export const standardWebhooksSigner =
  (secret: string, webhookId: string): WebhookSigner => (url, body, timestampSeconds) => ({
    url,
    headers: {
      "webhook-id": webhookId,
      "webhook-timestamp": String(timestampSeconds),
      "webhook-signature": standardWebhookSignature(secret, webhookId, timestampSeconds, body)
    }
  })

/** No signature: the shared secret rides in the query string, as platforms without signing do. */
export const urlTokenSigner = (token: string): WebhookSigner => (url) => {
  const target = new URL(url)
  target.searchParams.set("token", token)
  return { url: target.toString(), headers: {} }
}

export const unsignedSigner: WebhookSigner = (url) => ({ url, headers: {} })
