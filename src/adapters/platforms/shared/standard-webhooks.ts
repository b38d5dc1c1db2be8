import { Effect, Redacted } from "effect"
import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import { standardWebhooksKey, URL_TOKEN_MIN_LENGTH } from "../../../domain/webhook-secrets.js"
import { type InboundRequest, WebhookRejected } from "../../../ports/webhook-authenticator.js"

/**
 * Receiving side of Standard Webhooks (https://www.standardwebhooks.com/), the scheme we assume
 * where a platform publishes none, and of the URL-token fallback. Every rejection says only
 * "unauthenticated" plus a reason that reveals nothing about the secret.
 */

const DEFAULT_TOLERANCE_SECONDS = 5 * 60

export const unauthenticated = (message: string) => new WebhookRejected({ reason: "unauthenticated", message })

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/** Checks `webhook-id`, `webhook-timestamp` and `webhook-signature`; succeeds with the message id. */
export const verifyStandardWebhook = (
  req: InboundRequest,
  secret: Redacted.Redacted<string>,
  now: Date,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS
): Effect.Effect<string, WebhookRejected> => {
  const id = req.headers["webhook-id"]
  const timestamp = req.headers["webhook-timestamp"]
  const signatures = req.headers["webhook-signature"]
  if (id === undefined || timestamp === undefined || signatures === undefined) {
    return Effect.fail(unauthenticated("missing webhook-id, webhook-timestamp or webhook-signature"))
  }
  if (!/^\d+$/.test(timestamp)) return Effect.fail(unauthenticated("webhook-timestamp is not Unix seconds"))
  // Both ways: a timestamp from the future is as suspicious as a stale one (replay protection).
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return Effect.fail(unauthenticated("webhook-timestamp is outside the tolerance window"))
  }
  // Issue 18: a secret outside the rule (a key of 0 to 23 bytes can be guessed) authenticates
  // nothing, even if it was stored before the rule was checked on saving.
  const key = standardWebhooksKey(Redacted.value(secret))
  if (key === undefined) {
    return Effect.fail(unauthenticated("the configured webhook secret is not a valid Standard Webhooks secret"))
  }
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${req.rawBody}`).digest()
  // Several space-separated values during a secret rotation: any v1 match is enough.
  const matches = signatures.split(" ").some((candidate) => {
    const [version, value] = candidate.split(",", 2)
    return version === "v1" && value !== undefined && sameBytes(Buffer.from(value, "base64"), expected)
  })
  return matches ? Effect.succeed(id) : Effect.fail(unauthenticated("webhook-signature does not match"))
}

/** The shared secret in the query string, compared in constant time (hashing first evens out lengths). */
export const verifyUrlToken = (
  req: InboundRequest,
  secret: Redacted.Redacted<string>,
  parameter = "token"
): Effect.Effect<void, WebhookRejected> => {
  const given = req.query[parameter]
  if (given === undefined || given === "") return Effect.fail(unauthenticated(`missing ${parameter} query parameter`))
  // Issue 18: a short token can be guessed; one stored before the rule authenticates nothing.
  if (Redacted.value(secret).length < URL_TOKEN_MIN_LENGTH) {
    return Effect.fail(unauthenticated("the configured webhook token is too short"))
  }
  const digest = (s: string) => createHash("sha256").update(s).digest()
  return timingSafeEqual(digest(given), digest(Redacted.value(secret)))
    ? Effect.void
    : Effect.fail(unauthenticated(`${parameter} does not match`))
}
