import { Schema } from "effect"

/**
 * `PUT /v2/eats/stores/{store_id}/menus` (full replace) and the `GET` that returns the same shape
 * (ubereats.md, Menu upload format). All four arrays are required, even empty.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

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
  tax_info: maybe(Schema.Struct({ tax_rate: maybe(Schema.Number) })),
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
