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

export type StoreEventType =
  | "store.menu_refresh_request"
  | "store.provisioned"
  | "store.deprovisioned"
  | "eats.store.status.notification"

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

/** One signed event: a new `event_id` (stable across retries of this delivery), the time, the type, `fields`. */
const emitEvent = (
  queue: DeliveryQueue,
  target: WebhookTarget,
  eventType: OrderEventType | StoreEventType,
  fields: Record<string, unknown>
) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const envelope = { event_id: randomUUID(), event_time: Math.floor(now / 1000), event_type: eventType, ...fields }
    yield* queue.enqueue({
      id: envelope.event_id,
      label: eventType,
      url: target.url,
      body: JSON.stringify(envelope),
      sign: uberSigner(target.clientSecret)
    })
  })

/** Store events name the store in `store_id` (ubereats.md, Webhooks). */
export const emitStoreEvent = (
  queue: DeliveryQueue,
  target: WebhookTarget,
  eventType: StoreEventType,
  storeId: string
) =>
  emitEvent(queue, target, eventType, {
    store_id: storeId,
    resource_href: `${target.origin}/v2/eats/stores/${storeId}`
  })

/** Thin order events: ids and a link, never the order (documented body). */
export const emitOrderEvent = (queue: DeliveryQueue, target: WebhookTarget, eventType: OrderEventType, order: Order) =>
  emitEvent(queue, target, eventType, {
    meta: { user_id: order.store.id, resource_id: order.id, status: "pos" },
    resource_href: `${target.origin}/v2/eats/order/${order.id}`
  })
