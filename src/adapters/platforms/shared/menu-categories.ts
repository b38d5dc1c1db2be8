import type { MenuSyncDTO } from "../../../domain/dtos.js"

/** Where a marketplace menu files a dish no category lists: Uber shows an item in none nowhere. */
export const FALLBACK_CATEGORY = "Menu"

/**
 * Category name → item ids: the DTO's category lists first, then each item's own `category`
 * (FALLBACK_CATEGORY when it has none). An item is filed once, under the first that names it.
 */
export const menuCategories = (menu: MenuSyncDTO): ReadonlyMap<string, ReadonlyArray<string>> => {
  const byName = new Map<string, Array<string>>()
  const placed = new Set<string>()
  const add = (name: string, id: string) => {
    if (placed.has(id)) return
    placed.add(id)
    byName.set(name, [...(byName.get(name) ?? []), id])
  }
  for (const c of menu.categories) for (const id of c.itemLocalIds) add(c.name, id)
  for (const item of menu.items) add(item.category ?? FALLBACK_CATEGORY, item.localId)
  return byName
}
