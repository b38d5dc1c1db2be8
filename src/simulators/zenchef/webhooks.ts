import { Clock, Effect } from "effect"
import { randomUUID } from "node:crypto"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import type { WebhookSigner } from "../kit/webhook-signing.js"
import { standardWebhooksSigner, unsignedSigner, urlTokenSigner } from "../kit/webhook-signing.js"
import type { RestaurantConfig, WebhookTarget } from "./seed.js"
import type { BookingEvent } from "./state.js"
import type { Booking } from "./wire.js"

/**
 * The webhook body (ASSUMPTION: Formitable publishes none). It carries the restaurant's app
 * settings, as Formitable says its webhooks do, and the full booking.
 */
export interface WebhookEnvelope {
  readonly event: BookingEvent
  readonly eventId: string
  /** UTC instant of the change, unlike the booking's restaurant-local times. */
  readonly occurredAt: string
  readonly restaurantUid: string
  readonly settings: Readonly<Record<string, unknown>>
  readonly booking: Booking
}

const signerFor = (target: WebhookTarget, webhookId: string): WebhookSigner => {
  switch (target.signing) {
    case "standard":
      return standardWebhooksSigner(target.secret, webhookId)
    case "url-token":
      return urlTokenSigner(target.secret)
    case "none":
      return unsignedSigner
  }
}

/** Queues the webhook for `event` when the restaurant has a webhook target; the event id doubles as `webhook-id`. */
export const emitBookingEvent = (
  queue: DeliveryQueue,
  config: RestaurantConfig,
  event: BookingEvent,
  booking: Booking
) =>
  Effect.gen(function*() {
    const target = config.webhook
    if (target === null) return
    const now = yield* Clock.currentTimeMillis
    const envelope: WebhookEnvelope = {
      event,
      eventId: randomUUID(),
      occurredAt: new Date(now).toISOString(),
      restaurantUid: config.uid,
      settings: config.settings,
      booking
    }
    yield* queue.enqueue({
      id: envelope.eventId,
      label: event,
      url: target.url,
      body: JSON.stringify(envelope),
      sign: signerFor(target, envelope.eventId)
    })
  })
