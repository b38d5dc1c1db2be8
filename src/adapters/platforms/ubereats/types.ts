import { Schema } from "effect"

/** Where production calls go (issue 18): a credential naming another URL must pass the egress policy. */
export const ubereatsProductionUrls = {
  baseUrl: "https://api.uber.com",
  tokenUrl: "https://auth.uber.com/oauth/v2/token"
} as const

/**
 * The Uber Eats Marketplace wire format (../shared/platforms/ubereats.md): the v2 order, the
 * webhook envelope, store status, the menu upload and credentials.
 * Fields are lenient (optional, nullable) where Uber documents them as optional or masked.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/** Amounts are minor units (ASSUMPTION: as in the menu's `price_info.price: 300`). */
export const UberMoney = Schema.Struct({
  amount: Schema.Number,
  currency_code: Schema.String,
  formatted_amount: maybe(Schema.String)
})
export type UberMoney = typeof UberMoney.Type

/** CREATED and CANCELED are documented; ACCEPTED, DENIED and FINISHED are our reading of the v2 reference. */
export const UberOrderState = Schema.Literal("CREATED", "ACCEPTED", "DENIED", "FINISHED", "CANCELED")
export type UberOrderState = typeof UberOrderState.Type

export const UberOrderType = Schema.Literal("PICK_UP", "DINE_IN", "DELIVERY_BY_UBER", "DELIVERY_BY_RESTAURANT")
export type UberOrderType = typeof UberOrderType.Type

const UberPrice = Schema.Struct({ unit_price: UberMoney, total_price: maybe(UberMoney) })

export const UberSelectedItem = Schema.Struct({
  id: maybe(Schema.String),
  title: Schema.String,
  external_data: maybe(Schema.String),
  quantity: maybe(Schema.Int),
  price: maybe(UberPrice)
})

export const UberSelectedModifierGroup = Schema.Struct({
  id: maybe(Schema.String),
  title: maybe(Schema.String),
  external_data: maybe(Schema.String),
  selected_items: maybe(Schema.Array(UberSelectedItem))
})

export const UberCartItem = Schema.Struct({
  id: maybe(Schema.String),
  instance_id: maybe(Schema.String),
  title: Schema.String,
  /** Our PLU: the local menu item id we pushed as the item's `external_data`. */
  external_data: maybe(Schema.String),
  quantity: Schema.Int,
  price: UberPrice,
  selected_modifier_groups: maybe(Schema.Array(UberSelectedModifierGroup)),
  special_instructions: maybe(Schema.String)
})
export type UberCartItem = typeof UberCartItem.Type

/**
 * The v2 eater's delivery location (ubereats.md, corrections: a public client that links the v2
 * get-order reference): one formatted street address, the unit, coordinates, no city or postcode.
 */
export const UberLocation = Schema.Struct({
  type: maybe(Schema.String),
  street_address: maybe(Schema.String),
  unit_number: maybe(Schema.String),
  latitude: maybe(Schema.Number),
  longitude: maybe(Schema.Number),
  google_place_id: maybe(Schema.String),
  business_name: maybe(Schema.String),
  title: maybe(Schema.String)
})

export const UberEater = Schema.Struct({
  first_name: maybe(Schema.String),
  last_name: maybe(Schema.String),
  /** Masked or partial; `phone_code` is the access code to dial after it. */
  phone: maybe(Schema.String),
  phone_code: maybe(Schema.String),
  delivery: maybe(Schema.Struct({ location: maybe(UberLocation), notes: maybe(Schema.String) }))
})

/** `GET /v2/eats/order/{order_id}`. */
export const UberOrder = Schema.Struct({
  id: Schema.String,
  display_id: maybe(Schema.String),
  external_reference_id: maybe(Schema.String),
  current_state: UberOrderState,
  type: UberOrderType,
  store: Schema.Struct({ id: Schema.String, name: maybe(Schema.String), external_reference_id: maybe(Schema.String) }),
  eater: maybe(UberEater),
  cart: Schema.Struct({ items: Schema.Array(UberCartItem), special_instructions: maybe(Schema.String) }),
  payment: Schema.Struct({
    charges: Schema.Struct({ total: UberMoney, sub_total: maybe(UberMoney), tax: maybe(UberMoney) })
  }),
  placed_at: maybe(Schema.String),
  estimated_ready_for_pickup_at: maybe(Schema.String)
})
export type UberOrder = typeof UberOrder.Type

/** Order events carry `meta`; store events carry `store_id` (ubereats.md, Webhooks). */
export const UberWebhookEnvelope = Schema.Struct({
  event_id: Schema.String.pipe(Schema.nonEmptyString()),
  event_time: maybe(Schema.Number),
  event_type: Schema.String,
  meta: maybe(Schema.Struct({
    /** The store id, despite the name. */
    user_id: maybe(Schema.String),
    resource_id: maybe(Schema.String),
    status: maybe(Schema.String)
  })),
  resource_href: maybe(Schema.String),
  store_id: maybe(Schema.String),
  partner_store_id: maybe(Schema.String)
})
export type UberWebhookEnvelope = typeof UberWebhookEnvelope.Type

/** `GET /v1/eats/store/{store_id}/status`. */
export const UberStoreStatus = Schema.Struct({
  status: Schema.String,
  offlineReason: maybe(Schema.String)
})

/** `POST /v1/eats/store/{store_id}/status`. */
export interface UberStoreStatusUpdate {
  readonly status: "ONLINE" | "PAUSED"
  /** RFC 3339. */
  readonly paused_until?: string
  readonly reason?: string
}

export type UberDenyCode = "STORE_CLOSED" | "POS_NOT_READY" | "POS_OFFLINE" | "ITEM_AVAILABILITY" | "CAPACITY" | "OTHER"
export type UberCancelReason = "OUT_OF_ITEMS" | "KITCHEN_CLOSED" | "RESTAURANT_TOO_BUSY" | "OTHER"

const HttpUrl = Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }))

/**
 * What an operator saves for an Uber Eats config. Uber signs webhooks with the client
 * secret, so the config's webhook secret must be that same client secret.
 */
export const UberEatsCredentials = Schema.Struct({
  clientId: Schema.String.pipe(Schema.nonEmptyString()),
  clientSecret: Schema.String.pipe(Schema.nonEmptyString()),
  storeId: Schema.String.pipe(Schema.nonEmptyString()),
  /**
   * Uber's authentication guide: v2 order reads need `eats.store.orders.read`; `eats.order` covers
   * accept, deny and cancel. Merchant-delivery status asks for its own scope, in its own token.
   */
  scope: Schema.optionalWith(Schema.String, {
    default: () => "eats.store eats.order eats.store.status.write eats.store.orders.read"
  }),
  /** ASSUMPTION: one VAT rate for the store's items (France, food to take away or delivered: 10 %). */
  taxRate: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 100)), { default: () => 10 }),
  /** Uber menus carry no currency: prices read back are in this one. */
  currency: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)), { default: () => "EUR" }),
  baseUrl: Schema.optionalWith(HttpUrl, { default: () => ubereatsProductionUrls.baseUrl }),
  tokenUrl: Schema.optionalWith(HttpUrl, { default: () => ubereatsProductionUrls.tokenUrl })
})
export type UberEatsCredentials = typeof UberEatsCredentials.Type

// ---- menu ----
// `PUT /v2/eats/stores/{store_id}/menus` (full replace) and the `GET` that returns the same shape
// (ubereats.md, Menu upload format). All four arrays are required, even empty.

export const UberText = Schema.Struct({ translations: Schema.Record({ key: Schema.String, value: Schema.String }) })
export type UberText = typeof UberText.Type

export const UberEntityRef = Schema.Struct({ id: Schema.String, type: maybe(Schema.String) })

export const UberServiceAvailability = Schema.Struct({
  day_of_week: Schema.String,
  time_periods: Schema.Array(Schema.Struct({ start_time: Schema.String, end_time: Schema.String }))
})

export const UberMenuMenu = Schema.Struct({
  id: Schema.String,
  title: UberText,
  service_availability: Schema.Array(UberServiceAvailability),
  category_ids: Schema.Array(Schema.String)
})

export const UberCategory = Schema.Struct({ id: Schema.String, title: UberText, entities: Schema.Array(UberEntityRef) })
export type UberCategory = typeof UberCategory.Type

/** `suspend_until` is Unix seconds; 0 lifts a suspension (item back in stock). */
export const UberSuspensionInfo = Schema.Struct({
  suspension: maybe(Schema.Struct({ suspend_until: maybe(Schema.Number), reason: maybe(Schema.String) }))
})

/** ASSUMPTION: allergens under `dish_info.classifications.allergens`; the notes do not name the key. */
export const UberDishInfo = Schema.Struct({
  classifications: maybe(Schema.Struct({ allergens: maybe(Schema.Array(Schema.String)) }))
})

export const UberMenuItem = Schema.Struct({
  id: Schema.String,
  external_data: maybe(Schema.String),
  title: UberText,
  description: maybe(UberText),
  /** Minor units. */
  price_info: Schema.Struct({ price: Schema.Int, overrides: maybe(Schema.Array(Schema.Unknown)) }),
  /** On every item of Uber's example menus (v2/example-menu-payloads); the upload needs it. */
  tax_info: maybe(Schema.Struct({ tax_rate: maybe(Schema.Number), vat_rate_percentage: maybe(Schema.Number) })),
  quantity_info: maybe(Schema.Unknown),
  modifier_group_ids: maybe(Schema.Struct({ ids: Schema.Array(Schema.String) })),
  suspension_info: maybe(UberSuspensionInfo),
  dish_info: maybe(UberDishInfo)
})
export type UberMenuItem = typeof UberMenuItem.Type

export const UberModifierGroup = Schema.Struct({
  id: Schema.String,
  title: UberText,
  external_data: maybe(Schema.String),
  quantity_info: maybe(Schema.Struct({
    quantity: maybe(Schema.Struct({ min_permitted: maybe(Schema.Int), max_permitted: maybe(Schema.Int) }))
  })),
  modifier_options: Schema.Array(UberEntityRef)
})
export type UberModifierGroup = typeof UberModifierGroup.Type

export const UberMenuUpload = Schema.Struct({
  menus: Schema.Array(UberMenuMenu),
  categories: Schema.Array(UberCategory),
  items: Schema.Array(UberMenuItem),
  modifier_groups: Schema.Array(UberModifierGroup)
})
export type UberMenuUpload = typeof UberMenuUpload.Type

/** `POST /v2/eats/stores/{store_id}/menus/items/{item_id}`: sparse, absent fields unchanged. */
export interface UberItemUpdate {
  readonly price_info?: { readonly price: number }
  readonly suspension_info?: { readonly suspension: { readonly suspend_until: number; readonly reason?: string } }
}
