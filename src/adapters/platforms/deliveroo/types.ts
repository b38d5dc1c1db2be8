import { Schema } from "effect"

/**
 * The Deliveroo Order API wire format (../shared/platforms/deliveroo.md): the order object the
 * webhooks carry, the webhook envelope and credentials. The menu lives in menu-types.ts. Lenient
 * where fields depend on the fulfilment type.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/** Money in minor units (documented). */
export const DeliverooMoney = Schema.Struct({ fractional: Schema.Int, currency_code: Schema.String })
export type DeliverooMoney = typeof DeliverooMoney.Type

/**
 * `placed`, `accepted`, `confirmed` (scheduled only), `rejected`, `canceled`, and `pending` in the
 * status log (documented); the Picking API writes them in capitals. Kept as a string: the mapper
 * normalises and refuses what it does not know.
 */
export const DeliverooStatusText = Schema.String

export interface DeliverooModifier {
  readonly pos_item_id?: string | null | undefined
  readonly name: string
  readonly quantity?: number | null | undefined
  readonly unit_price?: DeliverooMoney | null | undefined
  readonly modifiers?: ReadonlyArray<DeliverooModifier> | null | undefined
}

/** ASSUMPTION: modifiers nest like items (a choice can carry its own choices). */
export const DeliverooModifier: Schema.Schema<DeliverooModifier> = Schema.Struct({
  pos_item_id: maybe(Schema.String),
  name: Schema.String,
  quantity: maybe(Schema.Int),
  unit_price: maybe(DeliverooMoney),
  modifiers: maybe(Schema.Array(Schema.suspend((): Schema.Schema<DeliverooModifier> => DeliverooModifier)))
})

export const DeliverooItem = Schema.Struct({
  /** Our PLU: the local menu item id we pushed as the item's `plu`. */
  pos_item_id: maybe(Schema.String),
  name: Schema.String,
  operational_name: maybe(Schema.String),
  quantity: Schema.Int,
  unit_price: DeliverooMoney,
  total_price: maybe(DeliverooMoney),
  modifiers: maybe(Schema.Array(DeliverooModifier))
})
export type DeliverooItem = typeof DeliverooItem.Type

/** ASSUMPTION: key names of `customer` and `delivery.address`; the notes list the objects only. */
export const DeliverooCustomer = Schema.Struct({
  first_name: maybe(Schema.String),
  last_name: maybe(Schema.String),
  contact_number: maybe(Schema.String),
  contact_access_code: maybe(Schema.String)
})

export const DeliverooAddress = Schema.Struct({
  street: maybe(Schema.String),
  number: maybe(Schema.String),
  address_line_1: maybe(Schema.String),
  address_line_2: maybe(Schema.String),
  city: maybe(Schema.String),
  postcode: maybe(Schema.String),
  country: maybe(Schema.String)
})

export const DeliverooOrder = Schema.Struct({
  /** `{market}:{uuid}`, e.g. `gb:1b7c…`. */
  id: Schema.String,
  order_number: maybe(Schema.String),
  display_id: maybe(Schema.String),
  location_id: Schema.String,
  status: DeliverooStatusText,
  /** The source of truth for ordering (documented). */
  status_log: maybe(Schema.Array(Schema.Struct({ at: Schema.String, status: DeliverooStatusText }))),
  /** `deliveroo` (a rider), `customer` (collection), `restaurant` (own fleet), `table_service`. */
  fulfillment_type: Schema.String,
  /** false: a scheduled order, which also carries `confirm_at`. */
  asap: maybe(Schema.Boolean),
  prepare_for: maybe(Schema.String),
  start_preparing_at: maybe(Schema.String),
  confirm_at: maybe(Schema.String),
  order_notes: maybe(Schema.String),
  cutlery_notes: maybe(Schema.String),
  total_price: DeliverooMoney,
  items: Schema.Array(DeliverooItem),
  customer: maybe(DeliverooCustomer),
  delivery: maybe(Schema.Struct({ address: maybe(DeliverooAddress), delivery_notes: maybe(Schema.String) }))
})
export type DeliverooOrder = typeof DeliverooOrder.Type

/** Order events: `{event, body: {order}}` (documented example); legacy events assumed alike. */
export const DeliverooWebhookEnvelope = Schema.Struct({
  event: Schema.String,
  body: Schema.Struct({ order: DeliverooOrder })
})
export type DeliverooWebhookEnvelope = typeof DeliverooWebhookEnvelope.Type

/** Enough of any event to route it: the site's location id. */
export const DeliverooWebhookLocation = Schema.Struct({
  body: Schema.Struct({ order: Schema.Struct({ location_id: Schema.String }) })
})

/** `PATCH /order/v1/orders/{order_id}`: once per transition; `reject_reason` required with `rejected`. */
export interface DeliverooStatusUpdate {
  readonly status: "accepted" | "rejected" | "confirmed"
  readonly reject_reason?: "closing_early" | "busy" | "ingredient_unavailable" | "other"
  readonly notes?: string
}

export const SYNC_FAILURE_REASONS = [
  "price_mismatched", "pos_item_id_mismatched", "pos_item_id_not_found", "items_out_of_stock", "location_offline",
  "location_not_supported", "unsupported_order_type", "no_webhook_url", "webhook_failed", "timed_out", "other", "no_sync_confirmation"
] as const
export type SyncFailureReason = (typeof SYNC_FAILURE_REASONS)[number]

/** `POST /order/v1/orders/{order_id}/sync_status`. */
export interface DeliverooSyncStatus {
  readonly status: "succeeded" | "failed"
  readonly reason?: SyncFailureReason
  readonly notes?: string
  readonly occurred_at: string
}

const HttpUrl = Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }))

/**
 * What an operator saves for a Deliveroo config. The webhook secret (the config's) is
 * distinct from the client secret (documented).
 */
export const DeliverooCredentials = Schema.Struct({
  clientId: Schema.String.pipe(Schema.nonEmptyString()),
  clientSecret: Schema.String.pipe(Schema.nonEmptyString()),
  /** Orders and webhooks name the site by it. */
  locationId: Schema.String.pipe(Schema.nonEmptyString()),
  /** The Menu API names the brand and the site. */
  brandId: Schema.String.pipe(Schema.nonEmptyString()),
  siteId: Schema.String.pipe(Schema.nonEmptyString()),
  menuId: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => "alloresto" }),
  menuName: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => "AlloResto menu" }),
  /** Menus carry no currency: prices read back are in this one. */
  currency: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)), { default: () => "EUR" }),
  baseUrl: Schema.optionalWith(HttpUrl, { default: () => "https://api.developers.deliveroo.com" }),
  tokenUrl: Schema.optionalWith(HttpUrl, { default: () => "https://auth.developers.deliveroo.com/oauth2/token" })
})
export type DeliverooCredentials = typeof DeliverooCredentials.Type
