import { Effect, Either, ParseResult, Redacted, Schema } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import {
  type InboundRequest,
  type WebhookAuthenticator,
  WebhookRejected
} from "../../../ports/webhook-authenticator.js"
import { bodyJson, decodeBodyOr, malformed } from "../shared/json-body.js"
import { unauthenticated } from "../shared/standard-webhooks.js"
import { deliverooStatusOf, fromLegacy, statusTimeOf, toOrder } from "./mapper.js"
import {
  DeliverooLegacyEnvelope,
  DeliverooMenuEvent,
  DeliverooOrder,
  DeliverooWebhookEnvelope,
  DeliverooWebhookLocation
} from "./types.js"

const GUID_HEADER = "x-deliveroo-sequence-guid"
export const SIGNATURE_HEADER = "x-deliveroo-hmac-sha256"
const PAYLOAD_TYPE_HEADER = "x-deliveroo-payload-type"

const hmac = (secret: Redacted.Redacted<string>, message: string) =>
  createHmac("sha256", Redacted.value(secret)).update(message, "utf8").digest()

/**
 * Deliveroo's signature (deliveroo.md, Signing, documented): hex HMAC-SHA256, keyed by the
 * webhook secret, of `GUID + " " + rawBody`; the legacy `new_order`/`cancel_order` events sign
 * `GUID + " \n " + rawBody`. Either form is accepted (both need the secret), compared in constant time.
 */
const verifyDeliverooSignature = (
  req: InboundRequest,
  webhookSecret: Redacted.Redacted<string>
): Effect.Effect<string, WebhookRejected> => {
  const guid = req.headers[GUID_HEADER]
  const given = req.headers[SIGNATURE_HEADER]?.trim()
  if (guid === undefined || guid === "" || given === undefined || given === "") {
    return Effect.fail(unauthenticated(`missing ${GUID_HEADER} or ${SIGNATURE_HEADER}`))
  }
  if (!/^[0-9a-f]{64}$/i.test(given)) {
    return Effect.fail(unauthenticated(`${SIGNATURE_HEADER} is not a hex SHA-256 digest`))
  }
  const signature = Buffer.from(given, "hex")
  const matches = [`${guid} ${req.rawBody}`, `${guid} \n ${req.rawBody}`].some((message) =>
    timingSafeEqual(signature, hmac(webhookSecret, message))
  )
  return matches ? Effect.succeed(guid) : Effect.fail(unauthenticated(`${SIGNATURE_HEADER} does not match`))
}

/** The docs spell order events both `order.*` and `orders.*`: both are accepted. */
export const eventTypeOf = (event: string, status: string): WebhookEventType => {
  switch (event) {
    case "order.new":
    case "orders.new":
    case "new_order":
      return "order.created"
    case "cancel_order":
      return "order.cancelled"
    case "order.status_update":
    case "orders.status_update":
      return Either.getOrUndefined(deliverooStatusOf(status)) === "canceled"
        ? "order.cancelled"
        : "order.status_changed"
    default:
      return "unknown"
  }
}

const AnOrder = Schema.Struct({ event: Schema.String, order: Schema.typeSchema(DeliverooOrder) })

/** An order event, current (`{event, body: {order}}`, documented) or legacy (`{event, location_id, order}`). */
const OrderDelivery = Schema.Union(
  Schema.transform(DeliverooWebhookEnvelope, AnOrder, {
    strict: true,
    decode: (e) => ({ event: e.event, order: e.body.order }),
    encode: (e) => ({ event: e.event, body: { order: e.order } })
  }),
  Schema.transformOrFail(DeliverooLegacyEnvelope, AnOrder, {
    strict: true,
    decode: (e) => ParseResult.succeed({ event: e.event, order: fromLegacy(e) }),
    encode: (e, _, ast) => ParseResult.fail(new ParseResult.Forbidden(ast, e, "legacy events are only read"))
  })
)

const decodeOrderDelivery = decodeBodyOr(OrderDelivery, "body is not a Deliveroo order event")
const decodeMenuEvent = decodeBodyOr(DeliverooMenuEvent, "body is not a Deliveroo menu event")
const decodeLocation = decodeBodyOr(DeliverooWebhookLocation, "body names no location_id")

const parseOrderEvent = (
  req: InboundRequest,
  event: string,
  order: DeliverooOrder
): Effect.Effect<WebhookEvent, WebhookRejected> =>
  Effect.gen(function*() {
    const dto = toOrder(order)
    if (Either.isLeft(dto)) return yield* malformed(`order ${dto.left}`)
    const guid = req.headers[GUID_HEADER] ?? ""
    return {
      platform: "deliveroo",
      // Deliveroo dedupes on (order, status, GUID): the GUID stays the same across retries (documented).
      eventId: `${guid}:${order.id}:${order.status.toLowerCase()}`,
      eventType: eventTypeOf(event, order.status),
      externalRestaurantId: order.location_id,
      externalId: order.id,
      occurredAt: statusTimeOf(order),
      order: dto.right,
      rawPayload: Either.getOrThrow(bodyJson(req))
    }
  })

export const deliverooWebhooks: WebhookAuthenticator = {
  restaurantOf: decodeLocation,
  authenticate: (req, secret) => Effect.asVoid(verifyDeliverooSignature(req, secret)),
  // The Menu Upload Result (`x-deliveroo-payload-type: webhook_menu`, reference/menu-events-webhook)
  // is checked and acknowledged but yields no event: the engine has no step for it, and the
  // connector's menu push waits for the upload to be live itself.
  parse: (req) =>
    req.headers[PAYLOAD_TYPE_HEADER]?.toLowerCase() === "webhook_menu"
      ? Effect.as(decodeMenuEvent(req), [])
      : Effect.flatMap(decodeOrderDelivery(req), (d) =>
        Effect.map(parseOrderEvent(req, d.event, d.order), (event) => [event]))
}
