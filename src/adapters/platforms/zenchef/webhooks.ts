import { Effect, Either, Option, Redacted, Schema } from "effect"
import { createHash } from "node:crypto"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import { DEFAULT_TIMEZONE } from "../../../domain/local-time.js"
import type { WebhookAuthenticator } from "../../../ports/webhook-authenticator.js"
import { bodyJson, decodeBodyOr, malformed } from "../shared/json-body.js"
import { fromLocalDateTime, toIsoInstant } from "../shared/local-time.js"
import { verifyStandardWebhook, verifyUrlToken } from "../shared/standard-webhooks.js"
import { toReservation } from "./mapper.js"
import { type ZenchefBooking, ZenchefCredentials, ZenchefWebhookEnvelope, ZenchefWebhookRestaurant } from "./types.js"

/** The design document's event names (zenchef.md: unconfirmed) in neutral terms. */
export const eventTypeOf = (event: string): WebhookEventType => {
  switch (event) {
    case "booking.created":
      return "reservation.created"
    case "booking.accepted":
    case "booking.changed":
      return "reservation.updated"
    case "booking.canceled":
    case "booking.cancelled":
      return "reservation.cancelled"
    case "booking.checkin":
    case "booking.checkout":
      return "reservation.status_changed"
    default:
      return "unknown"
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

/** Per-restaurant webhook settings, from the config's credentials when the caller has them. */
const WebhookSettings = ZenchefCredentials.pick("timezone", "webhookSigning")
const decodeSettings = Schema.decodeUnknownEither(WebhookSettings)
// A config's credentials stay the same object while it is cached: decoded once, not per delivery.
const settingsByCredentials = new WeakMap<object, Option.Option<typeof WebhookSettings.Type>>()
const settingsOf = (credentials: Readonly<Record<string, unknown>> | undefined) => {
  if (credentials === undefined) return Option.none()
  let settings = settingsByCredentials.get(credentials)
  if (settings === undefined) {
    settings = Either.getRight(decodeSettings(credentials))
    settingsByCredentials.set(credentials, settings)
  }
  return settings
}

export interface BookingEventInput {
  readonly booking: ZenchefBooking
  readonly eventType: WebhookEventType
  readonly eventId: string
  readonly restaurantUid: string
  readonly timezone: string
  readonly occurredAt?: string | null | undefined
  readonly rawPayload: unknown
}

/** One booking fact as a neutral event; webhooks and polling both go through here. */
export const bookingEvent = (input: BookingEventInput): Either.Either<WebhookEvent, string> =>
  Either.map(toReservation(input.booking, input.timezone), (reservation) => {
    const occurredAt = input.occurredAt === undefined || input.occurredAt === null
      ? undefined
      : Option.getOrUndefined(Option.map(fromLocalDateTime(input.occurredAt, input.timezone), toIsoInstant))
    return {
      platform: "zenchef",
      eventId: input.eventId,
      eventType: input.eventType,
      externalRestaurantId: input.restaurantUid,
      externalId: input.booking.uid,
      occurredAt,
      externalReferenceId: reservation.externalReferenceId,
      reservation,
      rawPayload: input.rawPayload
    }
  })

const decodeRestaurant = decodeBodyOr(ZenchefWebhookRestaurant, "body carries no restaurantUid")
const decodeEnvelope = decodeBodyOr(ZenchefWebhookEnvelope, "body is not a Zenchef webhook envelope")

export const zenchefWebhooks: WebhookAuthenticator = {
  restaurantOf: (req) => Effect.map(decodeRestaurant(req), (body) => body.restaurantUid),

  /** The config chooses the scheme; without it, a `whsec_` secret means Standard Webhooks. */
  authenticate: (req, secret, now, credentials) => {
    const signing = Option.match(settingsOf(credentials), {
      onNone: () => (Redacted.value(secret).startsWith("whsec_") ? "standard" : "url-token"),
      onSome: (s) => s.webhookSigning
    })
    return signing === "standard" ? Effect.asVoid(verifyStandardWebhook(req, secret, now)) : verifyUrlToken(req, secret)
  },

  parse: (req, _now, credentials) =>
    Effect.gen(function*() {
      const envelope = yield* decodeEnvelope(req)
      const timezone = Option.match(settingsOf(credentials), {
        onNone: () => DEFAULT_TIMEZONE,
        onSome: (s) => s.timezone
      })
      const event = bookingEvent({
        booking: envelope.booking,
        eventType: eventTypeOf(envelope.event),
        // Stable across redeliveries: the dedupe key.
        eventId: req.headers["webhook-id"] ?? envelope.eventId ?? `zenchef:${sha256(req.rawBody)}`,
        restaurantUid: envelope.restaurantUid,
        timezone,
        occurredAt: envelope.occurredAt,
        rawPayload: Either.getOrThrow(bodyJson(req))
      })
      return Either.isRight(event) ? [event.right] : yield* malformed(`booking ${event.left}`)
    })
}
