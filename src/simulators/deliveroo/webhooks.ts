import { createHmac } from "node:crypto"
import { Effect } from "effect"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import type { WebhookSigner } from "../kit/webhook-signing.js"
import type { Order } from "./wire.js"

export type OrderEventKind = "new" | "status_update"

/** Current events and their legacy POS names (documented), with their signing separators. */
const eventName = (kind: OrderEventKind, legacy: boolean, order: Order) =>
  legacy ? (kind === "new" ? "new_order" : order.status === "canceled" ? "cancel_order" : "order.status_update") : `order.${kind}`

/**
 * deliveroo.md, Signing: hex HMAC-SHA256 keyed by the webhook secret over `GUID + " " + body`,
 * or `GUID + " \n " + body` for the legacy `new_order`/`cancel_order`. The GUID is fixed per
 * delivery, so retries and duplicates carry the same one.
 */
export const deliverooSigner = (secret: string, guid: string, event: string, legacyForm: boolean): WebhookSigner => (url, body) => ({
  url,
  headers: {
    "x-deliveroo-sequence-guid": guid,
    "x-deliveroo-hmac-sha256": createHmac("sha256", secret).update(`${guid}${legacyForm ? " \n " : " "}${body}`).digest("hex"),
    "x-deliveroo-payload-type": `event/${event}`,
    "x-deliveroo-webhook-version": "1"
  }
})

export interface WebhookTarget {
  readonly url: string
  readonly secret: string
  readonly legacy: boolean
}

/** Order events carry the whole order (documented example), its status log cumulative. */
export const emitOrderEvent = (queue: DeliveryQueue, target: WebhookTarget, kind: OrderEventKind, order: Order, guid: string) => {
  const event = eventName(kind, target.legacy, order)
  return queue.enqueue({
    id: `${guid}:${order.id}:${order.status}`,
    label: event,
    url: target.url,
    body: JSON.stringify({ event, body: { order } }),
    sign: deliverooSigner(target.secret, guid, event, event === "new_order" || event === "cancel_order")
  }).pipe(Effect.asVoid)
}
