import { createHmac, timingSafeEqual } from "node:crypto"
import { Effect, Either, Redacted, Schema } from "effect"
import type { WebhookEvent, WebhookEventType } from "../../../domain/dtos.js"
import { type InboundRequest, type WebhookAuthenticator, WebhookRejected } from "../../../ports/platform-connector.js"
import { deliverooStatusOf, statusTimeOf, toOrder } from "./mapper.js"
import { DeliverooWebhookEnvelope, DeliverooWebhookLocation } from "./types.js"
import { bodyJson, decodeBody } from "../json-body.js"

const malformed = (message: string) => new WebhookRejected({ reason: "malformed", message })
const unauthenticated = (message: string) => new WebhookRejected({ reason: "unauthenticated", message })

export const GUID_HEADER = "x-deliveroo-sequence-guid"
export const SIGNATURE_HEADER = "x-deliveroo-hmac-sha256"

const hmac = (secret: Redacted.Redacted<string>, message: string) => createHmac("sha256", Redacted.value(secret)).update(message, "utf8").digest()

/**
 * Deliveroo's signature (deliveroo.md, Signing, documented): hex HMAC-SHA256, keyed by the
 * webhook secret, of `GUID + " " + rawBody`; the legacy `new_order`/`cancel_order` events sign
 * `GUID + " \n " + rawBody`. Either form is accepted (both need the secret), compared in constant time.
 */
export const verifyDeliverooSignature = (req: InboundRequest, webhookSecret: Redacted.Redacted<string>): Effect.Effect<string, WebhookRejected> => {
  const guid = req.headers[GUID_HEADER]
  const given = req.headers[SIGNATURE_HEADER]?.trim()
  if (guid === undefined || guid === "" || given === undefined || given === "") {
    return Effect.fail(unauthenticated(`missing ${GUID_HEADER} or ${SIGNATURE_HEADER}`))
  }
  if (!/^[0-9a-f]{64}$/i.test(given)) return Effect.fail(unauthenticated(`${SIGNATURE_HEADER} is not a hex SHA-256 digest`))
  const signature = Buffer.from(given, "hex")
  const matches = [`${guid} ${req.rawBody}`, `${guid} \n ${req.rawBody}`].some((message) => timingSafeEqual(signature, hmac(webhookSecret, message)))
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
      return Either.getOrUndefined(deliverooStatusOf(status)) === "canceled" ? "order.cancelled" : "order.status_changed"
    default:
      return "unknown"
  }
}

const decode = <A, I>(schema: Schema.Schema<A, I>, req: InboundRequest, what: string) =>
  decodeBody(schema)(req).pipe(Effect.mapError(() => malformed(what)))

export const parseDelivery = (req: InboundRequest): Effect.Effect<WebhookEvent, WebhookRejected> =>
  Effect.gen(function* () {
    const envelope = yield* decode(DeliverooWebhookEnvelope, req, "body is not a Deliveroo order event")
    const order = envelope.body.order
    const dto = toOrder(order)
    if (Either.isLeft(dto)) return yield* malformed(`order ${dto.left}`)
    const guid = req.headers[GUID_HEADER] ?? ""
    return {
      platform: "deliveroo",
      // Deliveroo dedupes on (order, status, GUID): the GUID stays the same across retries (documented).
      eventId: `${guid}:${order.id}:${order.status.toLowerCase()}`,
      eventType: eventTypeOf(envelope.event, order.status),
      externalRestaurantId: order.location_id,
      externalId: order.id,
      occurredAt: statusTimeOf(order),
      order: dto.right,
      rawPayload: Either.getOrThrow(bodyJson(req))
    }
  })

export const deliverooWebhooks: WebhookAuthenticator = {
  restaurantOf: (req) => Effect.map(decode(DeliverooWebhookLocation, req, "body names no location_id"), (b) => b.body.order.location_id),
  authenticate: (req, secret) => Effect.asVoid(verifyDeliverooSignature(req, secret)),
  parse: (req) => Effect.map(parseDelivery(req), (event) => [event])
}
