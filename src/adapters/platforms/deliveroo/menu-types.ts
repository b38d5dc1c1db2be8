import { Schema } from "effect"

/**
 * `PUT /menu/v1/brands/{brand_id}/menus/{menu_id}` = `{name, menu, site_ids}` (deliveroo.md,
 * [mirror]). The keys below `menu` were not captured in the notes: ASSUMPTION, from the Menu API
 * reference as we remember it (items with `plu`, `price_info`, `allergies`, `contains_alcohol`,
 * `modifier_ids`; modifiers with `min_selection`/`max_selection`; categories; mealtimes).
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

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

/** ASSUMPTION (not in the notes): per-item availability without a whole upload. */
export interface DeliverooItemUnavailabilities {
  readonly item_unavailabilities: ReadonlyArray<{ readonly item_id: string; readonly status: "available" | "unavailable" }>
}

/** The site's current unavailable items, returned with the menu pull (ASSUMPTION, as above). */
export const DeliverooUnavailabilities = Schema.Struct({
  item_unavailabilities: Schema.Array(Schema.Struct({ item_id: Schema.String, status: Schema.String }))
})

/** Text limits (documented): item names 2–120, descriptions ≤ 500, category names 3–120. */
export const LIMITS = { itemName: [2, 120], description: 500, categoryName: [3, 120] } as const
