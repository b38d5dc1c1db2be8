import { Effect } from "effect"
import { rejected, type UberSimRejected } from "./orders.js"
import type { ItemUpdate, Menu } from "./wire.js"

/** Every id a menu refers to must exist in it: categories and groups point at items, items at groups. */
export const checkMenu = (menu: Menu): Effect.Effect<void, UberSimRejected> => {
  const items = new Set(menu.items.map((i) => i.id))
  const groups = new Set(menu.modifier_groups.map((g) => g.id))
  const categories = new Set(menu.categories.map((c) => c.id))
  const problems = [
    ...menu.menus.flatMap((m) =>
      m.category_ids.filter((id) => !categories.has(id)).map((id) => `menu ${m.id} lists unknown category ${id}`)
    ),
    ...menu.categories.flatMap((c) =>
      c.entities.filter((e) => !items.has(e.id)).map((e) => `category ${c.id} lists unknown item ${e.id}`)
    ),
    ...menu.modifier_groups.flatMap((g) =>
      g.modifier_options.filter((o) => !items.has(o.id)).map((o) => `modifier group ${g.id} lists unknown item ${o.id}`)
    ),
    ...menu.items.flatMap((i) =>
      (i.modifier_group_ids?.ids ?? []).filter((id) => !groups.has(id)).map((id) =>
        `item ${i.id} uses unknown modifier group ${id}`
      )
    )
  ]
  if (items.size !== menu.items.length) problems.push("item ids are not unique")
  return problems.length === 0
    ? Effect.void
    : Effect.fail(rejected(400, "invalid_menu", problems.slice(0, 5).join("; ")))
}

/** The sparse item update: only the fields present change. */
export const updateItem = (
  menu: Menu | null,
  itemId: string,
  update: typeof ItemUpdate.Type
): Effect.Effect<Menu, UberSimRejected> => {
  if (menu === null) return Effect.fail(rejected(404, "not_found", "upload a menu before updating its items"))
  if (!menu.items.some((i) => i.id === itemId)) {
    return Effect.fail(rejected(404, "not_found", `item ${itemId} not found`))
  }
  return Effect.succeed({
    ...menu,
    items: menu.items.map((i) =>
      i.id !== itemId
        ? i
        : {
          ...i,
          ...(update.price_info === undefined ? {} : { price_info: update.price_info }),
          ...(update.suspension_info === undefined ? {} : { suspension_info: update.suspension_info })
        }
    )
  })
}

/** The merchant deletes an item: gone from the menu's items and from every category listing it. */
export const removeItem = (menu: Menu | null, itemId: string): Effect.Effect<Menu, UberSimRejected> => {
  if (menu === null || !menu.items.some((i) => i.id === itemId)) {
    return Effect.fail(rejected(404, "not_found", `item ${itemId} not found`))
  }
  return Effect.succeed({
    ...menu,
    items: menu.items.filter((i) => i.id !== itemId),
    categories: menu.categories.map((c) => ({ ...c, entities: c.entities.filter((e) => e.id !== itemId) }))
  })
}

/** An item as an eater's app shows it: its price and its modifier groups with their options resolved. */
export interface ShownItem {
  readonly id: string
  readonly externalData: string | null
  readonly title: string
  /** Minor units. */
  readonly price: number
  readonly modifierGroups: ReadonlyArray<{
    readonly id: string
    readonly title: string
    readonly minPermitted: number
    readonly maxPermitted: number | null
    readonly options: ReadonlyArray<
      { readonly id: string; readonly externalData: string | null; readonly title: string; readonly price: number }
    >
  }>
}

const shownText = (t: { readonly translations: Readonly<Record<string, string>> }) =>
  t.translations["en_us"] ?? Object.values(t.translations)[0] ?? ""

/**
 * One uploaded item seen from the store's menu, so a published bundle (a formula, ubereats.md:
 * "a choice per step is a modifier group") can be checked as eaters meet it. Null when absent.
 */
export const shownItem = (menu: Menu | null, itemId: string): ShownItem | null => {
  const item = menu?.items.find((i) => i.id === itemId || i.external_data === itemId)
  if (menu === null || item === undefined) return null
  const items = new Map(menu.items.map((i) => [i.id, i]))
  const groups = new Map(menu.modifier_groups.map((g) => [g.id, g]))
  return {
    id: item.id,
    externalData: item.external_data ?? null,
    title: shownText(item.title),
    price: item.price_info.price,
    modifierGroups: (item.modifier_group_ids?.ids ?? []).flatMap((id) => {
      const group = groups.get(id)
      return group === undefined ? [] : [{
        id: group.id,
        title: shownText(group.title),
        minPermitted: group.quantity_info?.quantity?.min_permitted ?? 0,
        maxPermitted: group.quantity_info?.quantity?.max_permitted ?? null,
        options: group.modifier_options.flatMap((o) => {
          const option = items.get(o.id)
          return option === undefined
            ? []
            : [{
              id: option.id,
              externalData: option.external_data ?? null,
              title: shownText(option.title),
              price: option.price_info.price
            }]
        })
      }]
    })
  }
}
