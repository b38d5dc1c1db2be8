import { Clock, Data, Effect, Option } from "effect"
import { createHash } from "node:crypto"
import type { WebhookEvent } from "../../domain/dtos.js"
import type { Platform, RestaurantId } from "../../domain/ids.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { SyncLogRepository } from "../../ports/sync-log-repository.js"
import { type InboundRequest, type WebhookAuthenticator, WebhookRejected } from "../../ports/webhook-authenticator.js"
import { annotateSpan } from "../observability/telemetry.js"
import { ConfigCache, type LoadedConfig } from "./config-cache.js"
import { EventInbox } from "./event-inbox.js"

export class DeliveryRejected extends Data.TaggedError("DeliveryRejected")<{
  readonly status: 400 | 401 | 404
  readonly message: string
}> {}

const unauthenticated = (message: string) => new DeliveryRejected({ status: 401, message })

/**
 * find the restaurant, authenticate the delivery with its config's secret, and
 * store each event durably before the platform gets its 2xx. Applying happens in the worker.
 *
 * No tracing span per delivery: two spans (here and in the inbox) took a third of the intake's
 * own CPU (about 150 against 100 µs per delivery, measured in-process), and a delivery's log lines
 * already carry its request id. The inbox's writes keep theirs.
 */
export const receiveWebhook = (platform: Platform, req: InboundRequest) =>
  Effect.gen(function*() {
    const registry = yield* ConnectorRegistry
    const cache = yield* ConfigCache
    const inbox = yield* EventInbox
    const module = registry.moduleFor(platform)
    if (Option.isNone(module)) {
      return yield* new DeliveryRejected({ status: 404, message: `no connector for ${platform}` })
    }
    const webhooks = module.value.webhooks
    const externalRestaurantId = yield* webhooks.restaurantOf(req).pipe(
      Effect.mapError((e) => new DeliveryRejected({ status: e.reason === "malformed" ? 400 : 401, message: e.message }))
    )
    const loaded = yield* cache.byExternal(platform, externalRestaurantId)
    // One answer for unknown restaurants and forged deliveries: a caller learns nothing about which exist.
    if (Option.isNone(loaded)) return yield* unauthenticated("delivery not authenticated")
    const config = loaded.value.stored
    // The delivery's span (when traces are exported) names the restaurant it reached.
    yield* annotateSpan("restaurantId", config.restaurantId)
    const decrypted = loaded.value.connector
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* authenticate(webhooks, req, loaded.value, now).pipe(
      Effect.tapError((e) => recordRejection(config.restaurantId, platform, e.message, now.getTime())),
      Effect.mapError((e) => unauthenticated(e.message))
    )
    const parsed = yield* webhooks.parse(req, now, decrypted.credentials).pipe(
      Effect.mapError((e) => new DeliveryRejected({ status: 400, message: e.message }))
    )
    // Issue 18: in URL-token mode nothing signs the event id, so the id alone would let a caller
    // holding the token suppress a later event by replaying its id: the body is part of the key.
    const events = module.value.webhookSecretScheme(decrypted.credentials) === "url-token"
      ? withBodyDigest(parsed, req.rawBody)
      : parsed
    // A paused config's deliveries, once authenticated, are taken like any other and settled by
    // the worker as skipped (logged, on /ops): refused, the platform would retry each one until it
    // gives up (Uber 7 times, Deliveroo for up to 30 minutes), a failing endpoint in its eyes.
    const stored = yield* inbox.store(config.restaurantId, events)
    return { received: events.length, duplicates: stored.filter((s) => s.duplicate).length }
  })

/** The current secret, or during a rotation's overlap the previous one (issue 18). */
const authenticate = (webhooks: WebhookAuthenticator, req: InboundRequest, loaded: LoadedConfig, now: Date) => {
  const { credentials, webhookSecret } = loaded.connector
  if (Option.isNone(webhookSecret)) {
    return Effect.fail(new WebhookRejected({ reason: "unauthenticated", message: "no webhook secret is configured" }))
  }
  const withCurrent = webhooks.authenticate(req, webhookSecret.value, now, credentials)
  return Option.match(loaded.previousWebhookSecret, {
    onNone: () => withCurrent,
    onSome: (previous) =>
      now.getTime() < previous.until
        ? Effect.orElse(withCurrent, () => webhooks.authenticate(req, previous.secret, now, credentials))
        : withCurrent
  })
}

const withBodyDigest = (events: ReadonlyArray<WebhookEvent>, rawBody: string): ReadonlyArray<WebhookEvent> => {
  const digest = createHash("sha256").update(rawBody).digest("base64url").slice(0, 22)
  return events.map((event) => ({ ...event, eventId: `${event.eventId}#${digest}` }))
}

/**
 * Issue 18: a rejected delivery is logged and counted (alloresto_webhook_deliveries_rejected_total,
 * by the request log), but a flood of forgeries must not write a row each: at most one summary
 * line per restaurant, platform and minute per instance, as `skipped` so /ops does not count it
 * as a failed sync attempt. Its body is never kept: it is untrusted.
 */
const summaryWritten = new Map<string, number>()
const MINUTE = 60_000

const recordRejection = (restaurantId: RestaurantId, platform: Platform, reason: string, nowMs: number) =>
  Effect.gen(function*() {
    yield* Effect.logWarning(`webhook delivery rejected for restaurant ${restaurantId} (${platform}): ${reason}`)
    const key = `${platform}\u0000${restaurantId}`
    const minute = Math.floor(nowMs / MINUTE)
    const last = summaryWritten.get(key)
    if (last !== undefined && last >= minute) return
    if (summaryWritten.size >= 10_000) summaryWritten.clear()
    summaryWritten.set(key, minute)
    const logs = yield* SyncLogRepository
    yield* logs.append({
      restaurantId,
      entityType: "reservation",
      entityId: null,
      platform,
      externalId: null,
      direction: "inbound",
      action: "create",
      status: "skipped",
      errorMessage: `webhook rejected: ${reason} (further rejections this minute are counted in metrics only)`
    })
  })
