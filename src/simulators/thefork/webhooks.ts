import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import { urlTokenSigner } from "../kit/webhook-signing.js"
import type { RestaurantConfig } from "./seed.js"

/** TheFork's thin event (thefork.md): names the reservation, carries none of it. */
export interface ThinEvent {
  readonly entityType: "reservation"
  readonly eventType: "reservationCreated" | "reservationUpdated"
  readonly uuid: string
  readonly groupUuid: string
  readonly restaurantUuid: string
}

/** Queues the event when the restaurant has a webhook URL; authentication is the `?token=` alone, no signature. */
export const emitThinEvent = (
  queue: DeliveryQueue,
  config: RestaurantConfig,
  eventType: ThinEvent["eventType"],
  uuid: string
) =>
  Effect.gen(function*() {
    const target = config.webhook
    if (target === null) return
    const event: ThinEvent = {
      entityType: "reservation",
      eventType,
      uuid,
      groupUuid: config.groupUuid,
      restaurantUuid: config.uuid
    }
    yield* queue.enqueue({
      id: randomUUID(),
      label: eventType,
      url: target.url,
      body: JSON.stringify(event),
      sign: urlTokenSigner(target.token)
    })
  })
