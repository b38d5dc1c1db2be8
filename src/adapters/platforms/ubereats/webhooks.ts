import { Effect, Either, Redacted } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import {
  type InboundRequest,
  type WebhookAuthenticator,
  WebhookRejected
} from "../../../ports/webhook-authenticator.js"
import { bodyJson, decodeBodyOr, malformed } from "../shared/json-body.js"
import { unauthenticated } from "../shared/standard-webhooks.js"
import { UberWebhookEnvelope } from "./types.js"

export const SIGNATURE_HEADER = "x-uber-signature"

/**
 * Uber's signature (ubereats.md, Signing, documented): lowercase hex HMAC-SHA256 of the raw body,
 * keyed by the app's client secret, no prefix, no timestamp. Compared as bytes in constant time.
 */
const verifyUberSignature = (
  req: InboundRequest,
  clientSecret: Redacted.Redacted<string>
): Effect.Effect<void, WebhookRejected> => {
  const given = req.headers[SIGNATURE_HEADER]
  if (given === undefined || given === "") return Effect.fail(unauthenticated(`missing ${SIGNATURE_HEADER}`))
  if (!/^[0-9a-f]{64}$/i.test(given.trim())) {
    return Effect.fail(unauthenticated(`${SIGNATURE_HEADER} is not a hex SHA-256 digest`))
  }
  const expected = createHmac("sha256", Redacted.value(clientSecret)).update(req.rawBody, "utf8").digest()
  return timingSafeEqual(Buffer.from(given.trim(), "hex"), expected)
    ? Effect.void
    : Effect.fail(unauthenticated(`${SIGNATURE_HEADER} does not match`))
}

/**
 * Uber's events in neutral terms. Order events are thin (an id and a `resource_href`): the order
 * itself is fetched with `orders.get`, hence `needsFetch`.
 */
export const eventTypeOf = (eventType: string): WebhookEventType => {
  switch (eventType) {
    case "orders.notification":
    case "orders.scheduled.notification":
      return "order.created"
    // orders.failure is the cancellation event of stores on API version 1.0.0.
    case "orders.cancel":
    case "orders.failure":
      return "order.cancelled"
    case "orders.release":
    case "order.fulfillment_issues.resolved":
      return "order.updated"
    case "eats.store.status.notification":
      return "store.status_changed"
    case "store.provisioned":
      return "store.provisioned"
    case "store.deprovisioned":
      return "store.deprovisioned"
    // Uber asks for the store's menu to be pushed again.
    case "store.menu_refresh_request":
      return "menu.updated"
    default:
      return "unknown"
  }
}

const decodeEnvelope = decodeBodyOr(UberWebhookEnvelope, "body is not an Uber Eats webhook")

/** Order events name the store in `meta.user_id`; store events in `store_id`. */
const storeOf = (e: UberWebhookEnvelope) => e.meta?.user_id ?? e.store_id ?? undefined

const toWebhookEvent = (envelope: UberWebhookEnvelope, rawPayload: unknown): WebhookEvent | undefined => {
  const store = storeOf(envelope)
  const eventType = eventTypeOf(envelope.event_type)
  const externalId = eventType.startsWith("order.") ? envelope.meta?.resource_id : store
  if (store === undefined || externalId === undefined || externalId === null) return undefined
  return {
    platform: "ubereats",
    // Uber resends the same event_id on every retry: the dedupe key; there is no timestamp to check.
    eventId: envelope.event_id,
    eventType,
    externalRestaurantId: store,
    externalId,
    occurredAt: envelope.event_time === undefined || envelope.event_time === null
      ? undefined
      : new Date(envelope.event_time * 1000).toISOString(),
    needsFetch: eventType.startsWith("order.") ? true : undefined,
    rawPayload
  }
}

export const ubereatsWebhooks: WebhookAuthenticator = {
  restaurantOf: (req) =>
    Effect.flatMap(decodeEnvelope(req), (envelope) => {
      const store = storeOf(envelope)
      return store === undefined ? Effect.fail(malformed("body names no store")) : Effect.succeed(store)
    }),

  /** The secret is the config's webhook secret, which for Uber is the app's client secret. */
  authenticate: (req, secret) => verifyUberSignature(req, secret),

  parse: (req) =>
    Effect.flatMap(decodeEnvelope(req), (envelope) => {
      const event = toWebhookEvent(envelope, Either.getOrThrow(bodyJson(req)))
      return event === undefined
        ? Effect.fail(malformed(`${envelope.event_type} names no store or order`))
        : Effect.succeed([event])
    })
}
