import { Effect, Either, Option, Schema } from "effect"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import type { WebhookAuthenticator } from "../../../ports/webhook-authenticator.js"
import { bodyJson, decodeBodyOr, malformed } from "../shared/json-body.js"
import { fromLocalDateTime, toIsoInstant } from "../shared/local-time.js"
import { verifyStandardWebhook } from "../shared/standard-webhooks.js"
import { toReservation } from "./mapper.js"
import {
  SevenRoomsCredentials,
  type SevenRoomsReservation,
  SevenRoomsWebhookEnvelope,
  SevenRoomsWebhookVenue
} from "./types.js"

/**
 * SevenRooms publishes no webhooks (sevenrooms.md): public integrations poll `updated_since`.
 * ASSUMPTION, if push is enabled: Standard Webhooks signing and the envelope
 * `{type: reservation.created|updated|cancelled, venue_id, data: <reservation>}`.
 */

export const eventTypeOf = (type: string): WebhookEventType => {
  switch (type) {
    case "reservation.created":
      return "reservation.created"
    case "reservation.updated":
      return "reservation.updated"
    case "reservation.cancelled":
    case "reservation.canceled":
      return "reservation.cancelled"
    default:
      return "unknown"
  }
}

const TimezoneOnly = SevenRoomsCredentials.pick("timezone")
const timezoneOf = (credentials: Readonly<Record<string, unknown>> | undefined) =>
  credentials === undefined
    ? "Europe/Paris"
    : Either.getOrElse(Either.map(Schema.decodeUnknownEither(TimezoneOnly)(credentials), (c) => c.timezone), () =>
      "Europe/Paris")

/** ASSUMPTION: `updated` is UTC when it carries no offset (exports show server timestamps). */
const updatedAt = (r: SevenRoomsReservation) =>
  r.updated === undefined || r.updated === null
    ? undefined
    : Option.getOrUndefined(Option.map(fromLocalDateTime(r.updated.replace(" ", "T"), "UTC"), toIsoInstant))

export interface ReservationEventInput {
  readonly reservation: SevenRoomsReservation
  readonly eventType: WebhookEventType
  readonly eventId: string
  readonly venueId: string
  readonly timezone: string
  readonly rawPayload: unknown
}

/** One reservation fact as a neutral event; webhooks and polling both go through here. */
export const reservationEvent = (input: ReservationEventInput): Either.Either<WebhookEvent, string> =>
  Either.map(toReservation(input.reservation, input.timezone), (reservation) => ({
    platform: "sevenrooms",
    eventId: input.eventId,
    eventType: input.eventType,
    externalRestaurantId: input.venueId,
    externalId: input.reservation.id,
    occurredAt: updatedAt(input.reservation),
    externalReferenceId: reservation.externalReferenceId,
    reservation,
    rawPayload: input.rawPayload
  }))

const decodeVenue = decodeBodyOr(SevenRoomsWebhookVenue, "body carries no venue_id")
const decode = decodeBodyOr(SevenRoomsWebhookEnvelope, "body is not a SevenRooms webhook envelope")

export const sevenroomsWebhooks: WebhookAuthenticator = {
  restaurantOf: (req) => Effect.map(decodeVenue(req), (body) => body.venue_id),

  authenticate: (req, secret, now) => Effect.asVoid(verifyStandardWebhook(req, secret, now)),

  parse: (req, _now, credentials) =>
    Effect.gen(function*() {
      const body = yield* decode(req)
      const eventId = req.headers["webhook-id"]
      if (eventId === undefined) return yield* malformed("missing webhook-id")
      const event = reservationEvent({
        reservation: body.data,
        eventType: eventTypeOf(body.type),
        // Standard Webhooks: stable across retries, the dedupe key.
        eventId: `sevenrooms:${eventId}`,
        venueId: body.venue_id,
        timezone: timezoneOf(credentials),
        rawPayload: Either.getOrThrow(bodyJson(req))
      })
      return Either.isRight(event) ? [event.right] : yield* malformed(`reservation ${event.left}`)
    })
}
