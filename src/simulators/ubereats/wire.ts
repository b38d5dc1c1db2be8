import { Schema } from "effect"

/**
 * The simulator's own reading of the Uber Eats wire format (ubereats.md), written apart from the
 * connector's types so that a misreading on one side is caught by the other.
 */

export const OrderState = Schema.Literal("CREATED", "ACCEPTED", "DENIED", "FINISHED", "CANCELED")
export type OrderState = typeof OrderState.Type
export const OrderType = Schema.Literal("PICK_UP", "DINE_IN", "DELIVERY_BY_UBER", "DELIVERY_BY_RESTAURANT")
export type OrderType = typeof OrderType.Type

export interface Money {
  readonly amount: number
  readonly currency_code: string
  readonly formatted_amount: string
}

export interface SelectedItem {
  readonly id: string
  readonly title: string
  readonly quantity: number
  readonly price: { readonly unit_price: Money; readonly total_price: Money }
}

export interface CartItem {
  readonly id: string
  readonly instance_id: string
  readonly title: string
  readonly external_data?: string
  readonly quantity: number
  /** Unit price includes the selected options' prices (ASSUMPTION). */
  readonly price: { readonly unit_price: Money; readonly total_price: Money }
  readonly selected_modifier_groups: ReadonlyArray<
    { readonly id: string; readonly title: string; readonly selected_items: ReadonlyArray<SelectedItem> }
  >
  readonly special_instructions?: string
}

/**
 * The eater's delivery location on a v2 order (ubereats.md, corrections: a public client that links
 * the v2 get-order reference): one formatted street address, no city or postcode of its own.
 */
export interface Location {
  readonly type: string
  readonly street_address: string
  readonly latitude: number
  readonly longitude: number
  readonly google_place_id?: string
  readonly unit_number?: string
  readonly business_name?: string
  readonly title?: string
}

/** `GET /v2/eats/order/{order_id}` as the simulator serves it. */
export interface Order {
  readonly id: string
  readonly display_id: string
  readonly external_reference_id?: string
  readonly current_state: OrderState
  readonly type: OrderType
  readonly store: { readonly id: string; readonly name: string }
  readonly eater: {
    readonly first_name: string
    readonly last_name: string
    readonly phone: string
    readonly phone_code: string
    readonly delivery?: {
      readonly location: Location
      readonly notes?: string
    }
  }
  readonly cart: { readonly items: ReadonlyArray<CartItem>; readonly special_instructions?: string }
  readonly payment: { readonly charges: { readonly total: Money; readonly sub_total: Money; readonly tax: Money } }
  readonly placed_at: string
  readonly estimated_ready_for_pickup_at: string
}

/** What a test (or `/_sim`) supplies to place an order; prices in minor units. */
export const OrderSeed = Schema.Struct({
  storeId: Schema.optional(Schema.String),
  type: Schema.optionalWith(OrderType, { default: () => "DELIVERY_BY_UBER" as const }),
  currency: Schema.optionalWith(Schema.String, { default: () => "EUR" }),
  eater: Schema.optionalWith(
    Schema.Struct({
      first_name: Schema.String,
      last_name: Schema.String,
      phone: Schema.String,
      phone_code: Schema.String
    }),
    {
      default: () => ({ first_name: "Camille", last_name: "D.", phone: "+33 1 00 00 00 00", phone_code: "123 45 678" })
    }
  ),
  address: Schema.optional(Schema.Struct({
    street_address: Schema.String,
    unit_number: Schema.optional(Schema.String),
    latitude: Schema.optionalWith(Schema.Number, { default: () => 48.8757 }),
    longitude: Schema.optionalWith(Schema.Number, { default: () => 2.3376 }),
    business_name: Schema.optional(Schema.String),
    notes: Schema.optional(Schema.String)
  })),
  items: Schema.NonEmptyArray(Schema.Struct({
    title: Schema.String,
    external_data: Schema.optional(Schema.String),
    quantity: Schema.Int.pipe(Schema.positive()),
    unit_price: Schema.Int.pipe(Schema.nonNegative()),
    modifiers: Schema.optionalWith(
      Schema.Array(Schema.Struct({ group: Schema.String, title: Schema.String, price: Schema.Int })),
      { default: () => [] }
    ),
    special_instructions: Schema.optional(Schema.String)
  })),
  special_instructions: Schema.optional(Schema.String)
})
export type OrderSeedInput = typeof OrderSeed.Encoded
export type DecodedSeed = typeof OrderSeed.Type

// ---- menu: validated, then stored whole (excess keys kept) ----

const Text = Schema.Struct({ translations: Schema.Record({ key: Schema.String, value: Schema.String }) })
const Ref = Schema.Struct({ id: Schema.String, type: Schema.optional(Schema.String) })

const Suspension = Schema.Struct({
  suspension: Schema.optional(
    Schema.Struct({ suspend_until: Schema.optional(Schema.Number), reason: Schema.optional(Schema.String) })
  )
})

/**
 * Every item of Uber's example menu payloads (developer.uber.com, v2/example-menu-payloads) carries
 * `tax_info`, and the upload reference makes every field required unless it says optional: an item
 * without it is refused. Allergens: no official example settles their key; `dish_info` stays ours.
 */
export const MenuItem = Schema.Struct({
  id: Schema.String.pipe(Schema.nonEmptyString()),
  title: Text,
  description: Schema.optional(Text),
  external_data: Schema.optional(Schema.String),
  price_info: Schema.Struct({
    price: Schema.Int.pipe(Schema.nonNegative()),
    overrides: Schema.optional(Schema.Array(Schema.Unknown))
  }),
  tax_info: Schema.Struct({
    tax_rate: Schema.optional(Schema.Number),
    vat_rate_percentage: Schema.optional(Schema.Number)
  }),
  quantity_info: Schema.optional(Schema.Unknown),
  modifier_group_ids: Schema.optional(Schema.Struct({ ids: Schema.Array(Schema.String) })),
  suspension_info: Schema.optional(Suspension),
  dish_info: Schema.optional(Schema.Struct({
    classifications: Schema.optional(Schema.Struct({ allergens: Schema.optional(Schema.Array(Schema.String)) }))
  }))
})
export type MenuItem = typeof MenuItem.Type

export const ModifierGroup = Schema.Struct({
  id: Schema.String,
  title: Text,
  quantity_info: Schema.optional(Schema.Struct({
    quantity: Schema.optional(
      Schema.Struct({ min_permitted: Schema.optional(Schema.Int), max_permitted: Schema.optional(Schema.Int) })
    )
  })),
  modifier_options: Schema.Array(Ref)
})
export type ModifierGroup = typeof ModifierGroup.Type

/** The top level needs all four arrays, even empty (ubereats.md). */
export const Menu = Schema.Struct({
  menus: Schema.Array(Schema.Struct({
    id: Schema.String,
    title: Text,
    service_availability: Schema.Array(Schema.Unknown),
    category_ids: Schema.Array(Schema.String)
  })),
  categories: Schema.Array(Schema.Struct({ id: Schema.String, title: Text, entities: Schema.Array(Ref) })),
  items: Schema.Array(MenuItem),
  modifier_groups: Schema.Array(ModifierGroup)
})
export type Menu = typeof Menu.Type

export const ItemUpdate = Schema.Struct({
  price_info: Schema.optional(MenuItem.fields.price_info),
  suspension_info: Schema.optional(Suspension)
})

export const StoreStatusUpdate = Schema.Struct({
  status: Schema.Literal("ONLINE", "PAUSED"),
  paused_until: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String)
})

export const DenyBody = Schema.Struct({
  reason: Schema.Struct({
    explanation: Schema.String,
    out_of_stock_items: Schema.optional(Schema.Array(Schema.String)),
    invalid_items: Schema.optional(Schema.Array(Schema.String)),
    code: Schema.Literal(
      "STORE_CLOSED",
      "POS_NOT_READY",
      "POS_OFFLINE",
      "ITEM_AVAILABILITY",
      "MISSING_ITEM",
      "MISSING_INFO",
      "PRICING",
      "CAPACITY",
      "ADDRESS",
      "SPECIAL_INSTRUCTIONS",
      "OTHER"
    )
  })
})
/** accept_pos_order (reference v1/post-eats-order-orderid-acceptposorder): a closed body. */
export const AcceptBody = Schema.Struct({
  reason: Schema.String,
  pickup_time: Schema.optional(Schema.Int),
  external_reference_id: Schema.optional(Schema.String),
  fields_relayed: Schema.optional(Schema.Struct({
    order_special_instructions: Schema.optional(Schema.Boolean),
    item_special_instructions: Schema.optional(Schema.Boolean),
    item_special_requests: Schema.optional(Schema.Boolean),
    promotions: Schema.optional(Schema.Boolean)
  }))
})
export const CancelBody = Schema.Struct({
  reason: Schema.Literal(
    "OUT_OF_ITEMS",
    "KITCHEN_CLOSED",
    "CUSTOMER_CALLED_TO_CANCEL",
    "RESTAURANT_TOO_BUSY",
    "CANNOT_COMPLETE_CUSTOMER_NOTE",
    "OTHER"
  ),
  details: Schema.optional(Schema.String)
})
export const DeliveryStatusBody = Schema.Struct({ status: Schema.Literal("started", "arriving", "delivered") })
