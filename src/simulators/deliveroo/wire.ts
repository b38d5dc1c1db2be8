import { Schema } from "effect"

/**
 * The simulator's own reading of Deliveroo's wire format (deliveroo.md), apart from the
 * connector's types, so that a misreading on one side is caught by the other.
 */

export type Status = "pending" | "placed" | "accepted" | "confirmed" | "rejected" | "canceled"

export interface Money {
  readonly fractional: number
  readonly currency_code: string
}

export interface Modifier {
  readonly pos_item_id?: string
  readonly name: string
  readonly quantity: number
  readonly unit_price: Money
}

export interface Item {
  readonly pos_item_id?: string
  readonly name: string
  readonly operational_name: string
  readonly quantity: number
  /** The item alone; `total_price` includes its modifiers (ASSUMPTION). */
  readonly unit_price: Money
  readonly total_price: Money
  readonly modifiers: ReadonlyArray<Modifier>
}

/** The order object of webhooks and of `GET /order/v2/orders/{id}`. */
export interface Order {
  readonly id: string
  readonly order_number: string
  readonly display_id: string
  readonly location_id: string
  readonly status: Status
  readonly status_log: ReadonlyArray<{ readonly at: string; readonly status: Status }>
  readonly fulfillment_type: "deliveroo" | "customer" | "restaurant" | "table_service"
  readonly asap: boolean
  readonly prepare_for: string
  readonly confirm_at?: string
  readonly order_notes?: string
  readonly total_price: Money
  readonly items: ReadonlyArray<Item>
  readonly customer: {
    readonly first_name: string
    readonly contact_number: string
    readonly contact_access_code: string
  }
  readonly delivery?: {
    readonly address: {
      readonly address_line_1: string
      readonly city: string
      readonly postcode: string
      readonly country?: string
    }
    readonly delivery_notes?: string
  }
}

/** What a test (or `/_sim`) supplies to place an order; prices in minor units. */
export const OrderSeed = Schema.Struct({
  locationId: Schema.optional(Schema.String),
  fulfillment_type: Schema.optionalWith(Schema.Literal("deliveroo", "customer", "restaurant", "table_service"), {
    default: () => "deliveroo" as const
  }),
  asap: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  currency: Schema.optionalWith(Schema.String, { default: () => "EUR" }),
  customer: Schema.optionalWith(
    Schema.Struct({ first_name: Schema.String, contact_number: Schema.String, contact_access_code: Schema.String }),
    { default: () => ({ first_name: "Sam", contact_number: "+44 20 0000 0000", contact_access_code: "123 456 789" }) }
  ),
  address: Schema.optional(
    Schema.Struct({
      address_line_1: Schema.String,
      city: Schema.String,
      postcode: Schema.String,
      country: Schema.optional(Schema.String)
    })
  ),
  items: Schema.NonEmptyArray(Schema.Struct({
    name: Schema.String,
    pos_item_id: Schema.optional(Schema.String),
    quantity: Schema.Int.pipe(Schema.positive()),
    unit_price: Schema.Int.pipe(Schema.nonNegative()),
    modifiers: Schema.optionalWith(
      Schema.Array(
        Schema.Struct({ name: Schema.String, pos_item_id: Schema.optional(Schema.String), unit_price: Schema.Int })
      ),
      {
        default: () => []
      }
    )
  })),
  order_notes: Schema.optional(Schema.String),
  /** Minutes from now the order is wanted; 25 unless told. */
  readyInMinutes: Schema.optionalWith(Schema.Number, { default: () => 25 })
})
export type OrderSeedInput = typeof OrderSeed.Encoded
export type DecodedSeed = typeof OrderSeed.Type

/** `PATCH /order/v1/orders/{order_id}` (api-docs.deliveroo.com/reference/patch-order-1): a closed body. */
export const StatusUpdateBody = Schema.Struct({
  status: Schema.Literal("accepted", "rejected", "confirmed"),
  reject_reason: Schema.optional(
    Schema.NullOr(Schema.Literal("closing_early", "busy", "ingredient_unavailable", "other"))
  ),
  notes: Schema.optional(Schema.NullOr(Schema.String))
})

/** `POST /order/v1/orders/{order_id}/sync_status` (api-docs.deliveroo.com/v2.0/reference/create-sync-status-1). */
export const SyncStatusBody = Schema.Struct({
  status: Schema.Literal("succeeded", "failed"),
  reason: Schema.optional(Schema.Literal(
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
  )),
  notes: Schema.optional(Schema.String),
  occurred_at: Schema.String
})
export type SyncStatus = typeof SyncStatusBody.Type

/**
 * `POST /order/v1/orders/{order_id}/prep_stage` (api-docs.deliveroo.com/docs/prep-stages-endpoint):
 * `delay` (minutes: 0, 2 … 10) goes with `in_kitchen` only.
 */
export const PrepStageBody = Schema.Struct({
  stage: Schema.Literal("in_kitchen", "ready_for_collection_soon", "ready_for_collection", "collected"),
  occurred_at: Schema.String,
  delay: Schema.optional(Schema.Literal(0, 2, 4, 6, 8, 10))
})
export type PrepStage = typeof PrepStageBody.Type

/** Site API `/site/v1/brands/{brand_id}/sites/{site_id}/status` (Deliveroo's Site API reference, [mirror]). */
export const SiteStatus = Schema.Literal("OPEN", "CLOSED", "READY_TO_OPEN")
export type SiteStatus = typeof SiteStatus.Type
export const SiteStatusBody = Schema.Struct({ status: SiteStatus })

// ---- menu: the notes say accept any JSON below `menu`; names and descriptions are checked where present ----

const Text = Schema.Record({ key: Schema.String, value: Schema.String })
const Named = Schema.Struct({ id: Schema.String, name: Schema.optional(Text), description: Schema.optional(Text) })

export const MenuUpload = Schema.Struct({
  name: Schema.String.pipe(Schema.nonEmptyString()),
  site_ids: Schema.NonEmptyArray(Schema.String),
  menu: Schema.Struct({
    categories: Schema.optionalWith(Schema.Array(Named), { default: () => [] }),
    items: Schema.optionalWith(Schema.Array(Named), { default: () => [] })
  })
})
export type MenuUpload = typeof MenuUpload.Type

/** v1 `PUT/GET /menu/v1/brands/{brand}/menus/{menu_id}/item_unavailabilities/{site_id}` (deliveroo.md, corrections): the whole list. */
export const UnavailableIds = Schema.Struct({
  unavailable_ids: Schema.Array(Schema.String),
  hidden_ids: Schema.Array(Schema.String)
})

/** v2 `POST /menu/v2/brands/{brand}/sites/{site}/menu/item_unavailabilities`: the items it names change. */
export const ItemUnavailabilities = Schema.Struct({
  item_unavailabilities: Schema.Array(
    Schema.Struct({ item_id: Schema.String, status: Schema.Literal("available", "unavailable", "hidden") })
  )
})
