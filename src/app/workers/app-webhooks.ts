import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Context, Duration, Effect, Option, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { nextAttemptAt } from "../../domain/retry-policy.js"
import { standardWebhooksKey } from "../../domain/webhook-secrets.js"
import { type AppWebhookDelivery, ChangeDeliveries } from "../../ports/change-deliveries.js"
import { traced } from "../../ports/traced.js"
import { afterPass, failingPasses } from "./failing-passes.js"

/**
 * Issue 21: each entry of the change feed, sent to the main app as a Standard Webhooks message
 * (https://www.standardwebhooks.com/). The webhook-id is the entry's (`chg_<sequence>`), the same
 * on every attempt, so the receiver drops a repeat; a restaurant's entries go one at a time, in
 * feed order; a failed attempt is retried on the platform pushes' schedule (R-8.1), then
 * dead-lettered for an operator's replay.
 */
export interface AppWebhookOptions {
  readonly url: string
  /** `whsec_` and the base64 of the key, as the Standard Webhooks libraries take it. */
  readonly secret: Redacted.Redacted<string>
  readonly pollInterval: Duration.DurationInput
  readonly timeout: Duration.DurationInput
  readonly leaseMs: number
}

/** None unless APP_WEBHOOK_URL is set: the webhooks are optional. */
export class AppWebhookSettings extends Context.Reference<AppWebhookSettings>()("AppWebhookSettings", {
  defaultValue: (): Option.Option<AppWebhookOptions> => Option.none()
}) {}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, the Standard Webhooks signature. */
export const signStandardWebhook = (key: Uint8Array, id: string, timestamp: number, body: string) =>
  `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`

export const messageOf = (delivery: AppWebhookDelivery) => ({
  id: `chg_${delivery.entry.sequence}`,
  body: JSON.stringify({
    type: `${delivery.entry.entityType}.${delivery.entry.action}`,
    timestamp: delivery.entry.occurredAt,
    data: delivery.entry
  })
})

/** One attempt at one delivery, always recorded: delivered, retried later, or dead. */
const attempt = (options: AppWebhookOptions, key: Uint8Array, delivery: AppWebhookDelivery) =>
  Effect.gen(function*() {
    const deliveries = yield* ChangeDeliveries
    // The connectors' client: the egress policy of issue 18 applies to this URL as to theirs.
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const { body, id } = messageOf(delivery)
    const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const request = HttpClientRequest.post(options.url).pipe(
      HttpClientRequest.setHeaders({
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signStandardWebhook(key, id, timestamp, body)
      }),
      HttpClientRequest.bodyText(body, "application/json")
    )
    const sent = yield* client.execute(request).pipe(Effect.scoped, Effect.timeout(options.timeout), Effect.either)
    const now = new Date(yield* Clock.currentTimeMillis)
    if (sent._tag === "Right") return yield* deliveries.markDelivered(delivery.entry.sequence, now)
    // The reason without the URL: it may carry a token of the receiver's.
    const reason = sent.left._tag === "ResponseError"
      ? `the receiver answered ${sent.left.response.status}`
      : sent.left._tag === "TimeoutException"
      ? "the receiver did not answer in time"
      : "the receiver could not be reached"
    const retryAt = Option.getOrNull(nextAttemptAt(delivery.attempts, now))
    yield* deliveries.markFailed(delivery.entry.sequence, reason, retryAt)
    yield* Effect.logWarning(`app webhook ${id} failed: ${reason}`).pipe(
      Effect.annotateLogs({
        restaurantId: delivery.entry.restaurantId,
        attempts: delivery.attempts + 1,
        dead: retryAt === null
      })
    )
  }).pipe(traced("AppWebhook.deliver", { attributes: { sequence: delivery.entry.sequence } }))

/** Queues new entries, then attempts every restaurant's due delivery; returns how many were attempted. */
export const deliverAppWebhooksOnce = (options: AppWebhookOptions, key: Uint8Array) =>
  Effect.gen(function*() {
    const deliveries = yield* ChangeDeliveries
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* deliveries.enqueueFromFeed(500, now)
    const due = yield* deliveries.claimDue(now, options.leaseMs, 64)
    // One delivery per restaurant is claimed at a time, so these run side by side without reordering.
    yield* Effect.forEach(due, (delivery) => attempt(options, key, delivery), { concurrency: 16, discard: true })
    return due.length
  })

/** The delivery loop, when the webhooks are configured; every instance may run it. */
export const runAppWebhooks = Effect.gen(function*() {
  const settings = yield* AppWebhookSettings
  if (Option.isNone(settings)) return
  const options = settings.value
  const key = standardWebhooksKey(Redacted.value(options.secret))
  if (key === undefined) {
    return yield* Effect.logError(
      "APP_WEBHOOK_SECRET is not a Standard Webhooks secret (whsec_…): app webhooks are off"
    )
  }
  const deliveries = yield* ChangeDeliveries
  yield* deliveries.start
  yield* Effect.logInfo("app webhooks on")
  const failures = failingPasses("app webhook pass", options.pollInterval)
  while (true) yield* deliverAppWebhooksOnce(options, key).pipe(afterPass(failures, options.pollInterval))
})
