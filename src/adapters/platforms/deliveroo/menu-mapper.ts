import { createHash } from "node:crypto"
import { Either } from "effect"
import type { MenuItemSyncDTO, MenuSyncDTO } from "../../../domain/dtos.js"
import { fromMinorUnits, toMinorUnits } from "../money.js"
import { type DeliverooMenuBody, type DeliverooMenuItem, type DeliverooMenuModifier, type DeliverooMenuUpload, type DeliverooText, LIMITS } from "./menu-types.js"

/** ASSUMPTION: one language, English keys (`{en: ...}`). */
const LANGUAGE = "en"
export const FALLBACK_CATEGORY = "Menu"
/** ASSUMPTION: our menu items carry no alcohol flag; an "alcohol" allergen tag sets Deliveroo's (ID check). */
const ALCOHOL_TAG = "alcohol"

const text = (value: string): DeliverooText => ({ [LANGUAGE]: value })
const read = (t: DeliverooText | null | undefined): string | undefined =>
  t === null || t === undefined ? undefined : (t[LANGUAGE] ?? Object.values(t)[0])

export const categoryId = (name: string) => `cat-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`
export const modifierId = (itemId: string, option: number) => `${itemId}-o${option}`
export const choiceId = (itemId: string, option: number, choice: number) => `${itemId}-o${option}-c${choice}`

const between = (what: string, value: string, [min, max]: readonly [number, number]): ReadonlyArray<string> =>
  value.length < min || value.length > max ? [`${what} "${value.slice(0, 40)}" must be ${min} to ${max} characters`] : []

/** Documented text limits; a description over 500 characters is cut (the rest cannot be shown anyway). */
const problemsOf = (menu: MenuSyncDTO, categories: ReadonlyArray<readonly [string, ReadonlyArray<string>]>) => [
  ...categories.flatMap(([name]) => between("category name", name, LIMITS.categoryName)),
  ...menu.items.flatMap((i) => [
    ...between("item name", i.name, LIMITS.itemName),
    ...i.options.flatMap((o) => [...between("option name", o.name, LIMITS.itemName), ...o.choices.flatMap((c) => between("choice name", c.name, LIMITS.itemName))])
  ])
]

const categoriesOf = (menu: MenuSyncDTO): ReadonlyArray<readonly [string, ReadonlyArray<string>]> => {
  const byName = new Map<string, Array<string>>()
  const placed = new Set<string>()
  const add = (name: string, id: string) => {
    if (placed.has(id)) return
    placed.add(id)
    byName.set(name, [...(byName.get(name) ?? []), id])
  }
  for (const c of menu.categories) for (const id of c.itemLocalIds) add(c.name, id)
  for (const item of menu.items) add(item.category ?? FALLBACK_CATEGORY, item.localId)
  return [...byName]
}

const deliverooItem = (item: MenuItemSyncDTO): DeliverooMenuItem => ({
  id: item.localId,
  plu: item.localId,
  name: text(item.name),
  ...(item.description === undefined ? {} : { description: text(item.description.slice(0, LIMITS.description)) }),
  price_info: { price: toMinorUnits(item.price, item.currency) },
  allergies: item.allergens,
  contains_alcohol: item.allergens.some((a) => a.toLowerCase() === ALCOHOL_TAG),
  type: "ITEM",
  modifier_ids: item.options.map((_, i) => modifierId(item.localId, i))
})

/** Each option is a modifier; each choice a CHOICE item priced at its delta. */
const modifiersOf = (item: MenuItemSyncDTO) =>
  item.options.map((option, i) => ({
    modifier: {
      id: modifierId(item.localId, i),
      name: text(option.name),
      min_selection: option.required ? 1 : 0,
      max_selection: option.maxChoices,
      item_ids: option.choices.map((_, j) => choiceId(item.localId, i, j))
    } satisfies DeliverooMenuModifier,
    choices: option.choices.map((choice, j): DeliverooMenuItem => ({
      id: choiceId(item.localId, i, j),
      name: text(choice.name),
      price_info: { price: toMinorUnits(choice.priceDelta, item.currency) },
      type: "CHOICE"
    }))
  }))

/**
 * The whole upload. Offers have no place in it: Deliveroo's promotions are not in the Menu API
 * and its bundles need item lists our offers do not have. Availability travels separately.
 */
export const toDeliverooMenu = (menu: MenuSyncDTO, target: { readonly name: string; readonly siteId: string }): Either.Either<DeliverooMenuUpload, string> => {
  const grouped = categoriesOf(menu)
  const problems = problemsOf(menu, grouped)
  if (problems.length > 0) return Either.left(problems.slice(0, 5).join("; "))
  const categories = grouped.map(([name, ids]) => ({ id: categoryId(name), name: text(name), item_ids: ids }))
  const modifiers = menu.items.flatMap(modifiersOf)
  return Either.right({
    name: target.name,
    site_ids: [target.siteId],
    menu: {
      categories,
      items: [...menu.items.map(deliverooItem), ...modifiers.flatMap((m) => m.choices)],
      modifiers: modifiers.map((m) => m.modifier),
      // ASSUMPTION: opening hours are not in the DTO; the site's own hours govern.
      mealtimes: [{
        id: "all-day",
        name: text("All day"),
        category_ids: categories.map((c) => c.id),
        schedule: Array.from({ length: 7 }, (_, day) => ({ day_of_week: day, time_periods: [{ start: "00:00", end: "23:59" }] }))
      }]
    }
  })
}

/** Items out of stock, for the item-unavailability call that follows an upload. */
export const unavailableIds = (menu: MenuSyncDTO): ReadonlyArray<string> => menu.items.filter((i) => !i.isAvailable).map((i) => i.localId)

/** The site's menu in our terms; `unavailable` holds the ids Deliveroo has marked unavailable. */
export const fromDeliverooMenu = (body: DeliverooMenuBody, unavailable: ReadonlySet<string>, currency: string): MenuSyncDTO => {
  const items = new Map(body.items.map((i) => [i.id, i]))
  const modifiers = new Map(body.modifiers.map((m) => [m.id, m]))
  const categoryOf = new Map(body.categories.flatMap((c) => c.item_ids.map((id) => [id, read(c.name) ?? FALLBACK_CATEGORY] as const)))
  const price = (i: DeliverooMenuItem | undefined) => fromMinorUnits(i?.price_info.price ?? 0, currency)
  const option = (m: DeliverooMenuModifier) => ({
    name: read(m.name) ?? m.id,
    required: m.min_selection >= 1,
    maxChoices: Math.max(1, m.max_selection),
    choices: m.item_ids.map((id) => ({ name: read(items.get(id)?.name) ?? id, priceDelta: price(items.get(id)) }))
  })
  const menuItems = body.items.filter((i) => i.type !== "CHOICE").map((item): MenuItemSyncDTO => {
    const description = read(item.description)
    const category = categoryOf.get(item.id)
    return {
      localId: item.plu ?? item.id,
      name: read(item.name) ?? item.id,
      ...(description === undefined ? {} : { description }),
      price: price(item),
      currency,
      ...(category === undefined ? {} : { category }),
      allergens: item.allergies ?? [],
      options: (item.modifier_ids ?? []).flatMap((id) => {
        const m = modifiers.get(id)
        return m === undefined ? [] : [option(m)]
      }),
      isAvailable: !unavailable.has(item.id)
    }
  })
  const categories = body.categories.map((c) => ({
    name: read(c.name) ?? c.id,
    itemLocalIds: c.item_ids.flatMap((id) => {
      const item = items.get(id)
      return item === undefined ? [] : [item.plu ?? item.id]
    })
  }))
  return { categories, items: menuItems, offers: [] }
}
