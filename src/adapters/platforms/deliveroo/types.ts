import { Schema } from "effect"

/** Where production calls go (issue 18): a credential naming another URL must pass the egress policy. */
export const deliverooProductionUrls = {
  baseUrl: "https://api.developers.deliveroo.com",
  tokenUrl: "https://auth.developers.deliveroo.com/oauth2/token"
} as const

/**
 * The Deliveroo Order API wire format (../shared/platforms/deliveroo.md): the order object the
 * webhooks carry, the webhook envelope, the menu and credentials. Lenient where fields depend
 * on the fulfilment type.
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

/** The legacy events' modifiers carry a PLU and a price, not always a name. */
export const DeliverooModifierWithoutName = Schema.Struct({
  pos_item_id: maybe(Schema.String),
  name: maybe(Schema.String),
  quantity: maybe(Schema.Int),
  unit_price: maybe(DeliverooMoney)
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

/** Order events: `{event, body: {order}}` (documented example). */
export const DeliverooWebhookEnvelope = Schema.Struct({
  event: Schema.String,
  body: Schema.Struct({ order: DeliverooOrder })
})
export type DeliverooWebhookEnvelope = typeof DeliverooWebhookEnvelope.Type

/**
 * The deprecated POS events `new_order` / `cancel_order` (reference/new-order-event-webhook-1;
 * deliveroo.md, corrections): `{event, location_id, restaurant_acknowledged_at, order}`, the
 * order without status, log, location or item names (the published example has none).
 */
export const DeliverooLegacyItem = Schema.Struct({
  pos_item_id: maybe(Schema.String),
  name: maybe(Schema.String),
  quantity: Schema.Int,
  unit_price: DeliverooMoney,
  modifiers: maybe(Schema.Array(DeliverooModifierWithoutName))
})

export const DeliverooLegacyEnvelope = Schema.Struct({
  event: Schema.Literal("new_order", "cancel_order"),
  location_id: Schema.String,
  restaurant_acknowledged_at: maybe(Schema.String),
  order: Schema.Struct({
    id: Schema.String,
    display_id: maybe(Schema.String),
    total_price: DeliverooMoney,
    items: Schema.Array(DeliverooLegacyItem),
    asap: maybe(Schema.Boolean),
    notes: maybe(Schema.String),
    fulfillment_type: maybe(Schema.String),
    pickup_at: maybe(Schema.String)
  })
})
export type DeliverooLegacyEnvelope = typeof DeliverooLegacyEnvelope.Type

/**
 * The Menu Event webhook (reference/menu-events-webhook): `{event, body}` with
 * `x-deliveroo-payload-type: webhook_menu`. ASSUMPTION: the keys of `body` are not published;
 * we read the brand, menu, sites and status of the upload.
 */
export const DeliverooMenuEvent = Schema.Struct({
  event: Schema.String,
  body: Schema.Struct({
    brand_id: Schema.String,
    menu_id: Schema.String,
    site_ids: Schema.NonEmptyArray(Schema.String),
    status: Schema.String
  })
})
export type DeliverooMenuEvent = typeof DeliverooMenuEvent.Type

/** Enough of any event to route it: the order's location id, the legacy envelope's, or a menu's first site. */
export const DeliverooWebhookLocation = Schema.Union(
  Schema.transform(
    Schema.Struct({ body: Schema.Struct({ order: Schema.Struct({ location_id: Schema.String }) }) }),
    Schema.String,
    {
      strict: false,
      decode: (e) => e.body.order.location_id,
      encode: (location_id) => ({ body: { order: { location_id } } })
    }
  ),
  Schema.transform(Schema.Struct({ location_id: Schema.String }), Schema.String, {
    strict: false,
    decode: (e) => e.location_id,
    encode: (location_id) => ({ location_id })
  }),
  Schema.transform(
    Schema.Struct({ body: Schema.Struct({ site_ids: Schema.NonEmptyArray(Schema.String) }) }),
    Schema.String,
    {
      strict: false,
      decode: (e) => e.body.site_ids[0],
      encode: (site) => ({ body: { site_ids: [site] as const } })
    }
  )
)

/** deliveroo.md, corrections: `{error: {code, ...}}`; mirrors also show a bare string, read as the code. */
export const DeliverooErrorBody = Schema.Struct({
  error: Schema.Union(Schema.String, Schema.Struct({ code: Schema.String, message: maybe(Schema.String) }))
})

/**
 * `POST /order/v1/orders/{order_id}/prep_stage` (api-docs.deliveroo.com/docs/prep-stages-endpoint):
 * the kitchen's progress, sent by staff action, never by a timer (the guide's warning).
 */
export type DeliverooPrepStage = "in_kitchen" | "ready_for_collection_soon" | "ready_for_collection" | "collected"

export interface DeliverooPrepStageUpdate {
  readonly stage: DeliverooPrepStage
  readonly occurred_at: string
}

/** The Site API's status (`/site/v1/brands/{brand_id}/sites/{site_id}/status`, [mirror]). */
export const DeliverooSiteStatus = Schema.Struct({ status: Schema.Literal("OPEN", "CLOSED", "READY_TO_OPEN") })
export type DeliverooSiteStatus = typeof DeliverooSiteStatus.Type

/** `PATCH /order/v1/orders/{order_id}`: once per transition; `reject_reason` required with `rejected`. */
export interface DeliverooStatusUpdate {
  readonly status: "accepted" | "rejected" | "confirmed"
  readonly reject_reason?: "closing_early" | "busy" | "ingredient_unavailable" | "other"
  readonly notes?: string
}

export const SYNC_FAILURE_REASONS = [
  "price_mismatched",
  "pos_item_id_mismatched",
  "pos_item_id_not_found",
  "items_out_of_stock",
  "location_offline",
  "location_not_supported",
  "unsupported_order_type",
  "no_webhook_url",
  "webhook_failed",
  "timed_out",
  "other",
  "no_sync_confirmation"
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
  baseUrl: Schema.optionalWith(HttpUrl, { default: () => deliverooProductionUrls.baseUrl }),
  tokenUrl: Schema.optionalWith(HttpUrl, { default: () => deliverooProductionUrls.tokenUrl })
})
export type DeliverooCredentials = typeof DeliverooCredentials.Type

// ---- menu ----
// `PUT /menu/v1/brands/{brand_id}/menus/{menu_id}` = `{name, menu, site_ids}` (deliveroo.md,
// [mirror]). The keys below `menu` were not captured in the notes: ASSUMPTION, from the Menu API
// reference as we remember it (items with `plu`, `price_info`, `allergies`, `contains_alcohol`,
// `modifier_ids`; modifiers with `min_selection`/`max_selection`; categories; mealtimes).

/** Per language: `{en: "..."}`. */
export const DeliverooText = Schema.Record({ key: Schema.String, value: Schema.String })
export type DeliverooText = typeof DeliverooText.Type

export const DeliverooMenuItem = Schema.Struct({
  id: Schema.String,
  name: DeliverooText,
  description: maybe(DeliverooText),
  /** Our local id, which comes back as `pos_item_id` on orders. */
  plu: maybe(Schema.String),
  /** Minor units. */
  price_info: Schema.Struct({ price: Schema.Int, overrides: maybe(Schema.Array(Schema.Unknown)) }),
  allergies: maybe(Schema.Array(Schema.String)),
  contains_alcohol: maybe(Schema.Boolean),
  /** ITEM is sold on its own; CHOICE only inside a modifier. */
  type: maybe(Schema.Literal("ITEM", "CHOICE")),
  modifier_ids: maybe(Schema.Array(Schema.String))
})
export type DeliverooMenuItem = typeof DeliverooMenuItem.Type

export const DeliverooMenuModifier = Schema.Struct({
  id: Schema.String,
  name: DeliverooText,
  min_selection: Schema.Int,
  max_selection: Schema.Int,
  repeatable: maybe(Schema.Boolean),
  item_ids: Schema.Array(Schema.String)
})
export type DeliverooMenuModifier = typeof DeliverooMenuModifier.Type

export const DeliverooCategory = Schema.Struct({
  id: Schema.String,
  name: DeliverooText,
  description: maybe(DeliverooText),
  item_ids: Schema.Array(Schema.String)
})

export const DeliverooMealtime = Schema.Struct({
  id: Schema.String,
  name: DeliverooText,
  category_ids: Schema.Array(Schema.String),
  schedule: Schema.Array(Schema.Struct({
    day_of_week: Schema.Int,
    time_periods: Schema.Array(Schema.Struct({ start: Schema.String, end: Schema.String }))
  }))
})

export const DeliverooMenuBody = Schema.Struct({
  categories: Schema.Array(DeliverooCategory),
  items: Schema.Array(DeliverooMenuItem),
  modifiers: Schema.Array(DeliverooMenuModifier),
  mealtimes: Schema.Array(DeliverooMealtime)
})
export type DeliverooMenuBody = typeof DeliverooMenuBody.Type

export const DeliverooMenuUpload = Schema.Struct({
  name: Schema.String,
  menu: DeliverooMenuBody,
  site_ids: Schema.Array(Schema.String)
})
export type DeliverooMenuUpload = typeof DeliverooMenuUpload.Type

/** `GET /menu/v2/brands/{brand_id}/sites/{site_id}/menu` [mirror]: ASSUMPTION, the upload's shape back. */
export const DeliverooSiteMenu = Schema.Struct({ name: maybe(Schema.String), menu: DeliverooMenuBody })

/**
 * v1 `PUT/GET /menu/v1/brands/{brand}/menus/{menu_id}/item_unavailabilities/{site_id}`
 * (deliveroo.md, corrections): the site's whole list.
 */
export const DeliverooUnavailableIds = Schema.Struct({
  unavailable_ids: Schema.Array(Schema.String),
  hidden_ids: Schema.Array(Schema.String)
})
export type DeliverooUnavailableIds = typeof DeliverooUnavailableIds.Type

/** v2 `POST /menu/v2/brands/{brand}/sites/{site}/menu/item_unavailabilities`: the items named change. */
export interface DeliverooItemUnavailabilities {
  readonly item_unavailabilities: ReadonlyArray<
    { readonly item_id: string; readonly status: "available" | "unavailable" | "hidden" }
  >
}

/** Text limits (documented): item names 2–120, descriptions ≤ 500, category names 3–120. */
export const LIMITS = { itemName: [2, 120], description: 500, categoryName: [3, 120] } as const
