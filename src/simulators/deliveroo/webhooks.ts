import { Effect } from "effect"
import { createHmac } from "node:crypto"
import type { DeliveryQueue } from "../kit/delivery-queue.js"
import type { WebhookSigner } from "../kit/webhook-signing.js"
import type { Order } from "./wire.js"

export type OrderEventKind = "new" | "status_update"

/** Current events and their legacy POS names (documented), with their signing separators. */
const eventName = (kind: OrderEventKind, legacy: boolean, order: Order) =>
  legacy
    ? (kind === "new" ? "new_order" : order.status === "canceled" ? "cancel_order" : "order.status_update")
    : `order.${kind}`

/**
 * deliveroo.md, Signing: hex HMAC-SHA256 keyed by the webhook secret over `GUID + " " + body`,
 * or `GUID + " \n " + body` for the legacy `new_order`/`cancel_order`. The GUID is fixed per
 * delivery, so retries and duplicates carry the same one.
 */
export const deliverooSigner =
  (secret: string, guid: string, payloadType: string, legacyForm: boolean): WebhookSigner => (url, body) => ({
    url,
    headers: {
      "x-deliveroo-sequence-guid": guid,
      "x-deliveroo-hmac-sha256": createHmac("sha256", secret).update(`${guid}${legacyForm ? " \n " : " "}${body}`)
        .digest("hex"),
      "x-deliveroo-payload-type": payloadType,
      "x-deliveroo-webhook-version": "1"
    }
  })

export interface WebhookTarget {
  readonly url: string
  readonly secret: string
  readonly legacy: boolean
}

const isLegacy = (event: string) => event === "new_order" || event === "cancel_order"

/**
 * Order events carry the whole order in `{event, body: {order}}` (api-docs.deliveroo.com,
 * order-events-webhook), its status log cumulative. The legacy POS events put the order beside
 * `location_id` and `restaurant_acknowledged_at` (reference/new-order-event-webhook-1, and a
 * public client's copy of its example).
 */
const envelope = (event: string, order: Order) =>
  isLegacy(event)
    ? { event, location_id: order.location_id, restaurant_acknowledged_at: order.status_log.at(-1)?.at ?? null, order }
    : { event, body: { order } }

export const emitOrderEvent = (
  queue: DeliveryQueue,
  target: WebhookTarget,
  kind: OrderEventKind,
  order: Order,
  guid: string
) => {
  const event = eventName(kind, target.legacy, order)
  return queue.enqueue({
    id: `${guid}:${order.id}:${order.status}`,
    label: event,
    url: target.url,
    body: JSON.stringify(envelope(event, order)),
    sign: deliverooSigner(target.secret, guid, `event/${event}`, isLegacy(event))
  }).pipe(Effect.asVoid)
}

export interface MenuUploadOutcome {
  readonly brandId: string
  readonly menuId: string
  readonly siteIds: ReadonlyArray<string>
}

/**
 * The Menu Event webhook (reference/menu-events-webhook): `x-deliveroo-payload-type: webhook_menu`,
 * body `{event, body}`, signed like order events. ASSUMPTION: the event name and the keys of
 * `body` are not published; we send `menu.upload_result` with the brand, menu, sites and status.
 */
export const emitMenuUploadResult = (
  queue: DeliveryQueue,
  target: Omit<WebhookTarget, "legacy">,
  outcome: MenuUploadOutcome,
  guid: string
) =>
  queue.enqueue({
    id: `${guid}:${outcome.brandId}:${outcome.menuId}`,
    label: "menu.upload_result",
    url: target.url,
    body: JSON.stringify({
      event: "menu.upload_result",
      body: {
        brand_id: outcome.brandId,
        menu_id: outcome.menuId,
        site_ids: outcome.siteIds,
        status: "succeeded",
        errors: []
      }
    }),
    sign: deliverooSigner(target.secret, guid, "webhook_menu", false)
  }).pipe(Effect.asVoid)
