import { Schema } from "effect"

/**
 * The Uber Eats Marketplace wire format (../shared/platforms/ubereats.md): the v2 order, the
 * webhook envelope, store status and credentials. The menu upload lives in menu-types.ts.
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

/** ASSUMPTION: the v2 eater's delivery location; the notes do not capture its keys. */
export const UberLocation = Schema.Struct({
  address_1: maybe(Schema.String),
  address_2: maybe(Schema.String),
  apt_floor: maybe(Schema.String),
  city: maybe(Schema.String),
  postal_code: maybe(Schema.String),
  country: maybe(Schema.String)
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
  scope: Schema.optionalWith(Schema.String, { default: () => "eats.store eats.order eats.store.status.write" }),
  /** Uber menus carry no currency: prices read back are in this one. */
  currency: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)), { default: () => "EUR" }),
  baseUrl: Schema.optionalWith(HttpUrl, { default: () => "https://api.uber.com" }),
  tokenUrl: Schema.optionalWith(HttpUrl, { default: () => "https://auth.uber.com/oauth/v2/token" })
})
export type UberEatsCredentials = typeof UberEatsCredentials.Type
