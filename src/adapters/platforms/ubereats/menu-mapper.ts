import { createHash } from "node:crypto"
import type { MenuItemSyncDTO, MenuSyncDTO } from "../../../domain/dtos.js"
import type { MenuItemUpdate } from "../../../ports/platform-connector.js"
import { fromMinorUnits, toMinorUnits } from "../money.js"
import type { UberItemUpdate, UberMenuItem, UberMenuUpload, UberModifierGroup, UberText } from "./menu-types.js"

/** The one locale the notes show (`translations: {en_us}`); ASSUMPTION that Uber shows it to French stores too. */
const LOCALE = "en_us"
export const MENU_ID = "alloresto-menu"
/** Items no category lists still need one, or Uber shows them nowhere. */
export const FALLBACK_CATEGORY = "Menu"
/** ASSUMPTION: "out of stock until further notice" as a suspension far ahead (2100-01-01). */
export const SUSPENDED_UNTIL = 4_102_444_800
const WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const

const text = (value: string): UberText => ({ translations: { [LOCALE]: value } })
const read = (t: UberText | null | undefined): string | undefined =>
  t === null || t === undefined ? undefined : (t.translations[LOCALE] ?? Object.values(t.translations)[0])

/** Category ids must stay stable across pushes (Uber: "keep ids stable") and avoid `/` and `;`. */
export const categoryId = (name: string) => `cat_${createHash("sha256").update(name).digest("hex").slice(0, 16)}`
export const optionGroupId = (itemId: string, option: number) => `${itemId}-o${option}`
export const choiceId = (itemId: string, option: number, choice: number) => `${itemId}-o${option}-c${choice}`

/** Category name → item ids, the DTO's lists first, then each item's own `category`. */
const categoriesOf = (menu: MenuSyncDTO): ReadonlyMap<string, ReadonlyArray<string>> => {
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

const uberItem = (item: MenuItemSyncDTO): UberMenuItem => ({
  id: item.localId,
  external_data: item.localId,
  title: text(item.name),
  ...(item.description === undefined ? {} : { description: text(item.description) }),
  price_info: { price: toMinorUnits(item.price, item.currency) },
  modifier_group_ids: { ids: item.options.map((_, i) => optionGroupId(item.localId, i)) },
  ...(item.isAvailable ? {} : { suspension_info: { suspension: { suspend_until: SUSPENDED_UNTIL, reason: "unavailable" } } }),
  dish_info: { classifications: { allergens: item.allergens } }
})

/** Each option is a modifier group; each choice an item priced at its delta (Uber's own model). */
const optionsOf = (item: MenuItemSyncDTO) =>
  item.options.map((option, i) => ({
    group: {
      id: optionGroupId(item.localId, i),
      title: text(option.name),
      quantity_info: { quantity: { min_permitted: option.required ? 1 : 0, max_permitted: option.maxChoices } },
      modifier_options: option.choices.map((_, j) => ({ id: choiceId(item.localId, i, j), type: "ITEM" }))
    } satisfies UberModifierGroup,
    choices: option.choices.map((choice, j): UberMenuItem => ({
      id: choiceId(item.localId, i, j),
      title: text(choice.name),
      price_info: { price: toMinorUnits(choice.priceDelta, item.currency) }
    }))
  }))

/** The whole menu as one PUT body; offers have no place in it (Uber promotions are another API). */
export const toUberMenu = (menu: MenuSyncDTO): UberMenuUpload => {
  const categories = [...categoriesOf(menu)].map(([name, ids]) => ({
    id: categoryId(name),
    title: text(name),
    entities: ids.map((id) => ({ id, type: "ITEM" }))
  }))
  const options = menu.items.flatMap(optionsOf)
  return {
    menus: [{
      id: MENU_ID,
      title: text("Menu"),
      // ASSUMPTION: opening hours are not in the DTO; the store's own hours and status govern.
      service_availability: WEEK.map((day_of_week) => ({ day_of_week, time_periods: [{ start_time: "00:00", end_time: "23:59" }] })),
      category_ids: categories.map((c) => c.id)
    }],
    categories,
    items: [...menu.items.map(uberItem), ...options.flatMap((o) => o.choices)],
    modifier_groups: options.map((o) => o.group)
  }
}

/** The menu Uber holds, in our terms. `nowSeconds` tells a lapsed suspension from a live one. */
export const fromUberMenu = (upload: UberMenuUpload, currency: string, nowSeconds: number): MenuSyncDTO => {
  const items = new Map(upload.items.map((i) => [i.id, i]))
  const groups = new Map(upload.modifier_groups.map((g) => [g.id, g]))
  const categoryOf = new Map(upload.categories.flatMap((c) => c.entities.map((e) => [e.id, read(c.title) ?? FALLBACK_CATEGORY] as const)))
  const price = (i: UberMenuItem | undefined) => fromMinorUnits(i?.price_info.price ?? 0, currency)
  const option = (g: UberModifierGroup) => ({
    name: read(g.title) ?? g.id,
    required: (g.quantity_info?.quantity?.min_permitted ?? 0) >= 1,
    maxChoices: Math.max(1, g.quantity_info?.quantity?.max_permitted ?? g.modifier_options.length),
    choices: g.modifier_options.map((o) => ({ name: read(items.get(o.id)?.title) ?? o.id, priceDelta: price(items.get(o.id)) }))
  })
  // Items a category lists are the menu's; the others are option choices.
  const menuItems = upload.items.filter((i) => categoryOf.has(i.id)).map((item): MenuItemSyncDTO => {
    const description = read(item.description)
    const category = categoryOf.get(item.id)
    return {
      localId: item.external_data ?? item.id,
      name: read(item.title) ?? item.id,
      ...(description === undefined ? {} : { description }),
      price: price(item),
      currency,
      ...(category === undefined ? {} : { category }),
      allergens: item.dish_info?.classifications?.allergens ?? [],
      options: (item.modifier_group_ids?.ids ?? []).flatMap((g) => {
        const group = groups.get(g)
        return group === undefined ? [] : [option(group)]
      }),
      isAvailable: (item.suspension_info?.suspension?.suspend_until ?? 0) <= nowSeconds
    }
  })
  const categories = upload.categories.map((c) => ({
    name: read(c.title) ?? c.id,
    itemLocalIds: c.entities.flatMap((e) => {
      const item = items.get(e.id)
      return item === undefined ? [] : [item.external_data ?? item.id]
    })
  }))
  return { categories, items: menuItems, offers: [] }
}

/** The sparse item update; a suspension at 0 puts an item back on sale. */
export const toItemUpdate = (update: MenuItemUpdate, currency: string): UberItemUpdate => ({
  ...(update.price === undefined ? {} : { price_info: { price: toMinorUnits(update.price, update.currency ?? currency) } }),
  ...(update.isAvailable === undefined
    ? {}
    : { suspension_info: { suspension: update.isAvailable ? { suspend_until: 0 } : { suspend_until: SUSPENDED_UNTIL, reason: "unavailable" } } })
})
