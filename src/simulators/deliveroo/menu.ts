import { Effect, Either, Schema } from "effect"
import { type DeliverooSimRejected, rejected } from "./orders.js"
import type { MenuUpload } from "./wire.js"

const outside = (value: string, min: number, max: number) => value.length < min || value.length > max

/** Documented text limits: item names 2–120, item descriptions ≤ 500, category names 3–120. */
export const checkMenuText = (upload: MenuUpload): Effect.Effect<void, DeliverooSimRejected> => {
  const problems = [
    ...upload.menu.items.flatMap((i) => [
      ...Object.values(i.name ?? {}).filter((n) => outside(n, 2, 120)).map((n) =>
        `item ${i.id}: name "${n.slice(0, 30)}" must be 2-120 characters`
      ),
      ...Object.values(i.description ?? {}).filter((d) => d.length > 500).map(() =>
        `item ${i.id}: description over 500 characters`
      )
    ]),
    ...upload.menu.categories.flatMap((c) =>
      Object.values(c.name ?? {}).filter((n) => outside(n, 3, 120)).map((n) =>
        `category ${c.id}: name "${n.slice(0, 30)}" must be 3-120 characters`
      )
    )
  ]
  return problems.length === 0
    ? Effect.void
    : Effect.fail(rejected(400, "bad_request", problems.slice(0, 5).join("; ")))
}

/** An item as the Deliveroo app shows it: its price and its modifiers with their items resolved. */
export interface ShownItem {
  readonly id: string
  readonly plu: string | null
  readonly name: string
  /** Minor units. */
  readonly price: number
  readonly modifiers: ReadonlyArray<{
    readonly id: string
    readonly name: string
    readonly minSelection: number
    readonly maxSelection: number | null
    readonly items: ReadonlyArray<
      { readonly id: string; readonly plu: string | null; readonly name: string; readonly price: number }
    >
  }>
}

// The notes leave the keys below `menu` open: read leniently, only what showing an item needs.
const Text = Schema.Record({ key: Schema.String, value: Schema.String })
const ShownMenu = Schema.Struct({
  menu: Schema.Struct({
    items: Schema.Array(Schema.Struct({
      id: Schema.String,
      plu: Schema.optional(Schema.String),
      name: Schema.optional(Text),
      price_info: Schema.optional(Schema.Struct({ price: Schema.Number })),
      modifier_ids: Schema.optional(Schema.Array(Schema.String))
    })),
    modifiers: Schema.optionalWith(
      Schema.Array(Schema.Struct({
        id: Schema.String,
        name: Schema.optional(Text),
        min_selection: Schema.optional(Schema.Number),
        max_selection: Schema.optional(Schema.Number),
        item_ids: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
      })),
      { default: () => [] }
    )
  })
})

const shownText = (t: Readonly<Record<string, string>> | undefined) => t?.["en"] ?? Object.values(t ?? {})[0] ?? ""

/**
 * One uploaded item (by id or PLU) seen from the menu, so a published combo (deliveroo.md: combos
 * are modifiers on the menu) can be checked as customers meet it. Null when absent.
 */
export const shownItem = (raw: unknown, itemId: string): ShownItem | null => {
  const decoded = Schema.decodeUnknownEither(ShownMenu)(raw)
  if (Either.isLeft(decoded)) return null
  const { items, modifiers } = decoded.right.menu
  const item = items.find((i) => i.id === itemId || i.plu === itemId)
  if (item === undefined) return null
  const byId = new Map(items.map((i) => [i.id, i]))
  const modifierById = new Map(modifiers.map((m) => [m.id, m]))
  return {
    id: item.id,
    plu: item.plu ?? null,
    name: shownText(item.name),
    price: item.price_info?.price ?? 0,
    modifiers: (item.modifier_ids ?? []).flatMap((id) => {
      const modifier = modifierById.get(id)
      return modifier === undefined ? [] : [{
        id: modifier.id,
        name: shownText(modifier.name),
        minSelection: modifier.min_selection ?? 0,
        maxSelection: modifier.max_selection ?? null,
        items: modifier.item_ids.flatMap((c) => {
          const choice = byId.get(c)
          return choice === undefined
            ? []
            : [{
              id: choice.id,
              plu: choice.plu ?? null,
              name: shownText(choice.name),
              price: choice.price_info?.price ?? 0
            }]
        })
      }]
    })
  }
}
