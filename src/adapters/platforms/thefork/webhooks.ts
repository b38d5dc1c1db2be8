import { Effect } from "effect"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import { trustedEncoderSync } from "../../../domain/trusted-encode.js"
import type { WebhookAuthenticator } from "../../../ports/webhook-authenticator.js"
import { decodeBodyOr, malformed } from "../shared/json-body.js"
import { verifyUrlToken } from "../shared/standard-webhooks.js"
import { TheForkWebhookEvent } from "./types.js"

// A record just decoded from the platform's answer: its fields are encoded as they are (trusted-encode.ts).
const encodeEvent = trustedEncoderSync(TheForkWebhookEvent)

/**
 * TheFork's event-based webhook flow (thefork.md, confirmed): no signature, no HMAC; the only
 * authentication is the token we put in the URL we gave TheFork, compared in constant time. Events
 * are thin: they name the reservation, and the sync engine fetches it (`needsFetch`).
 */

export const eventTypeOf = (eventType: string): WebhookEventType => {
  switch (eventType) {
    case "reservationCreated":
      return "reservation.created"
    // Cancellation, no-show and seating all arrive as updates: the fetched status tells which.
    case "reservationUpdated":
      return "reservation.updated"
    default:
      return "unknown"
  }
}

/**
 * The dedupe key. A reservation is created once, so `uuid + eventType` identifies its
 * creation for good. Updates are different: the event carries no id or time, so every update of a
 * reservation has the same body, and the inbox remembers keys forever; `uuid + eventType` alone
 * would swallow every later update. An update is keyed by its arrival as well: a redelivery then
 * costs one more fetch, whose unchanged record the engine skips as a duplicate.
 */
const eventIdOf = (event: TheForkWebhookEvent, receivedAt: Date): string =>
  event.eventType === "reservationUpdated"
    ? `thefork:${event.uuid}:${event.eventType}:${receivedAt.getTime()}`
    : `thefork:${event.uuid}:${event.eventType}`

const decode = decodeBodyOr(TheForkWebhookEvent, "body is not a TheFork webhook event")

export const theforkWebhooks: WebhookAuthenticator = {
  // Customer events carry only the group: they cannot be routed to one restaurant's config.
  restaurantOf: (req) =>
    Effect.flatMap(decode(req), (event) =>
      event.restaurantUuid === undefined || event.restaurantUuid === null
        ? Effect.fail(malformed(`${event.entityType} event carries no restaurantUuid`))
        : Effect.succeed(event.restaurantUuid)),

  authenticate: (req, secret) => verifyUrlToken(req, secret, "token"),

  parse: (req, now) =>
    Effect.map(decode(req), (event): ReadonlyArray<WebhookEvent> => {
      // Reviews and customers are not synced; acknowledging them stops TheFork's retries.
      if (
        event.entityType !== "reservation" || event.restaurantUuid === undefined || event.restaurantUuid === null
      ) return []
      return [{
        platform: "thefork",
        eventId: eventIdOf(event, now),
        eventType: eventTypeOf(event.eventType),
        externalRestaurantId: event.restaurantUuid,
        externalId: event.uuid,
        needsFetch: true,
        rawPayload: encodeEvent(event)
      }]
    })
}
