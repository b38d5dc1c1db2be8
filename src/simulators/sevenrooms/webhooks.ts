import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import { standardWebhooksSigner, unsignedSigner } from "../kit/webhook-signing.js"
import type { EventType } from "./book.js"
import type { VenueConfig } from "./seed.js"
import type { Reservation } from "./wire.js"

/** ASSUMPTION (sevenrooms.md): the push body carries the full reservation. */
export interface WebhookEnvelope {
  readonly type: EventType
  readonly venue_id: string
  readonly data: Reservation
}

/** Queues a Standard Webhooks delivery when the venue has a target; `webhook-id` is stable across retries. */
export const emitReservationEvent = (
  queue: DeliveryQueue,
  config: VenueConfig,
  type: EventType,
  reservation: Reservation
) =>
  Effect.gen(function*() {
    const target = config.webhook
    if (target === null) return
    const id = `msg_${randomUUID().replaceAll("-", "")}`
    const body: WebhookEnvelope = { type, venue_id: config.id, data: reservation }
    yield* queue.enqueue({
      id,
      label: type,
      url: target.url,
      body: JSON.stringify(body),
      sign: target.signing === "standard" ? standardWebhooksSigner(target.secret, id) : unsignedSigner
    })
  })
