import { Clock, Effect } from "effect"
import { createHmac, randomUUID } from "node:crypto"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import type { WebhookSigner } from "../kit/webhook-signing.js"
import type { Order } from "./wire.js"

export type OrderEventType =
  | "orders.notification"
  | "orders.cancel"
  | "orders.failure"
  | "orders.release"
  | "orders.scheduled.notification"

/** ubereats.md, Signing: lowercase hex HMAC-SHA256 of the body keyed by the client secret; sandbox header. */
export const uberSigner = (clientSecret: string): WebhookSigner => (url, body) => ({
  url,
  headers: {
    "x-uber-signature": createHmac("sha256", clientSecret).update(body).digest("hex"),
    "x-environment": "sandbox"
  }
})

export interface WebhookTarget {
  readonly url: string
  /** The simulator's own origin, for `resource_href`. */
  readonly origin: string
  readonly clientSecret: string
}

/** Thin order events: ids and a link, never the order (documented body). `event_id` is stable across retries. */
export const emitOrderEvent = (queue: DeliveryQueue, target: WebhookTarget, eventType: OrderEventType, order: Order) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const envelope = {
      event_id: randomUUID(),
      event_time: Math.floor(now / 1000),
      event_type: eventType,
      meta: { user_id: order.store.id, resource_id: order.id, status: "pos" },
      resource_href: `${target.origin}/v2/eats/order/${order.id}`
    }
    yield* queue.enqueue({
      id: envelope.event_id,
      label: eventType,
      url: target.url,
      body: JSON.stringify(envelope),
      sign: uberSigner(target.clientSecret)
    })
  })
