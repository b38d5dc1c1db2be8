import type { Either } from "effect"
import { createHash } from "node:crypto"
import type { MenuItemSyncDTO, MenuSyncDTO, OfferSyncDTO, OrderSyncDTO } from "../../../domain/dtos.js"
import type { OrderStatus, OrderType } from "../../../domain/status.js"
import type { MenuItemUpdate } from "../../../ports/connector-capabilities.js"
import { type Formula, formulaRef, formulasOf, offerIdOfRef } from "../shared/formulas.js"
import { FALLBACK_CATEGORY, menuCategories } from "../shared/menu-categories.js"
import { fromMinorUnits, toMinorUnits } from "../shared/money.js"
import { joinNotes, menuItemIdOf, validOrder } from "../shared/order-dto.js"
import type {
  UberCartItem,
  UberItemUpdate,
  UberMenuItem,
  UberMenuUpload,
  UberModifierGroup,
  UberOrder,
  UberOrderState,
  UberOrderType,
  UberText
} from "./types.js"

// ---- status and type (platform → local) ----

export const orderTypeOf = (type: UberOrderType): OrderType =>
  type === "PICK_UP" || type === "DINE_IN" ? "pickup" : "delivery"

/** FINISHED is the end of the order: collected for a pick-up, delivered otherwise. */
export const orderStatusOf = (state: UberOrderState, type: UberOrderType): OrderStatus => {
  switch (state) {
    case "CREATED":
      return "pending"
    case "ACCEPTED":
      return "accepted"
    case "DENIED":
      return "denied"
    case "FINISHED":
      return orderTypeOf(type) === "pickup" ? "picked_up" : "delivered"
    case "CANCELED":
      return "cancelled"
  }
}

// ---- status (local → platform): the action that moves an Uber order to our status ----

export type UberOrderAction =
  | { readonly _tag: "None" }
  | { readonly _tag: "Accept" }
  | { readonly _tag: "Deny" }
  | { readonly _tag: "Cancel" }
  /** Merchant-delivered orders only (`restaurantdelivery/status`). */
  | { readonly _tag: "RestaurantDelivery"; readonly status: "started" | "delivered" }
  | { readonly _tag: "Refused"; readonly reason: string }

const none: UberOrderAction = { _tag: "None" }
const refused = (state: UberOrderState, target: OrderStatus): UberOrderAction => ({
  _tag: "Refused",
  reason: `an Uber Eats order in state ${state} cannot become ${target}`
})

/**
 * Uber's v1 actions are accept, deny and cancel (ubereats.md): deny refuses a CREATED order,
 * cancel ends an ACCEPTED one. Preparing and ready have no v1 endpoint, so accepting covers
 * them; pick-up and delivery are Uber's to record, except for merchant-delivered orders.
 */
export const uberActionFor = (state: UberOrderState, type: UberOrderType, target: OrderStatus): UberOrderAction => {
  switch (target) {
    case "pending":
      return state === "CREATED" ? none : refused(state, target)
    case "accepted":
    case "preparing":
    case "ready":
      if (state === "CREATED") return { _tag: "Accept" }
      return state === "ACCEPTED" || state === "FINISHED" ? none : refused(state, target)
    case "denied":
      if (state === "CREATED") return { _tag: "Deny" }
      return state === "DENIED" ? none : refused(state, target)
    case "cancelled":
      if (state === "CREATED") return { _tag: "Deny" }
      if (state === "ACCEPTED") return { _tag: "Cancel" }
      return state === "CANCELED" || state === "DENIED" ? none : refused(state, target)
    case "picked_up":
    case "delivered":
      if (state === "FINISHED") return none
      if (state !== "ACCEPTED") return refused(state, target)
      return type === "DELIVERY_BY_RESTAURANT"
        ? { _tag: "RestaurantDelivery", status: target === "picked_up" ? "started" : "delivered" }
        : none
  }
}

// ---- order (platform → local) ----

const optionNames = (item: UberCartItem): ReadonlyArray<string> =>
  (item.selected_modifier_groups ?? []).flatMap((group) =>
    (group.selected_items ?? []).map((choice) => {
      const quantity = choice.quantity ?? 1
      return quantity > 1 ? `${quantity} × ${choice.title}` : choice.title
    })
  )

/** "75009 Paris" (postcode first, most of Europe) or "London SW1A 1AA" (postcode last, the UK). */
const POSTCODE_FIRST = /^(\d{4,6})\s+(\S.*)$/
const POSTCODE_LAST = /^(\S.*?)\s+([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\d{4,6})$/i

/** The postcode and city of a formatted address ("street, postcode city, country"); "-" where none is found. */
const placeOf = (formatted: string) => {
  for (const part of formatted.split(",").map((p) => p.trim()).slice(1)) {
    const first = POSTCODE_FIRST.exec(part)
    if (first?.[1] !== undefined && first[2] !== undefined) return { postalCode: first[1], city: first[2] }
    const last = POSTCODE_LAST.exec(part)
    if (last?.[1] !== undefined && last[2] !== undefined) return { postalCode: last[2], city: last[1] }
  }
  return { postalCode: "-", city: "-" }
}

/**
 * A v2 location is one formatted `street_address` plus the `unit_number` (ubereats.md,
 * corrections): the street keeps both whole. ASSUMPTION: the address is formatted like Google's
 * ("street, postcode city, country"), the city and postcode are read from it.
 */
const addressOf = (order: UberOrder) => {
  const location = order.eater?.delivery?.location
  if (orderTypeOf(order.type) !== "delivery" || location === null || location === undefined) return undefined
  const street = joinNotes([location.street_address, location.unit_number], ", ")
  if (street === undefined) return undefined
  return { street, ...placeOf(location.street_address ?? ""), instructions: order.eater?.delivery?.notes ?? undefined }
}

/** Allergies usually arrive in the cart's special instructions; item requests are kept beside them. */
const notesOf = (order: UberOrder) =>
  joinNotes([
    order.cart.special_instructions,
    ...order.cart.items.map((i) => (i.special_instructions ? `${i.title}: ${i.special_instructions}` : undefined)),
    order.eater?.phone_code ? `Phone code: ${order.eater.phone_code}` : undefined
  ])

export const toOrder = (order: UberOrder): Either.Either<OrderSyncDTO, string> => {
  const total = order.payment.charges.total
  const name = joinNotes([order.eater?.first_name, order.eater?.last_name], " ")
  return validOrder({
    type: orderTypeOf(order.type),
    status: orderStatusOf(order.current_state, order.type),
    customerName: name ?? "Uber Eats customer",
    customerPhone: order.eater?.phone ?? undefined,
    items: order.cart.items.map((item) => ({
      menuItemId: menuItemIdOf(item.external_data),
      name: item.title,
      quantity: item.quantity,
      unitPrice: fromMinorUnits(item.price.unit_price.amount, item.price.unit_price.currency_code),
      options: optionNames(item)
    })),
    total: fromMinorUnits(total.amount, total.currency_code),
    currency: total.currency_code,
    deliveryAddress: addressOf(order),
    notes: notesOf(order),
    displayId: order.display_id ?? undefined
  })
}

// ---- menu ----

/** The one locale the notes show (`translations: {en_us}`); ASSUMPTION that Uber shows it to French stores too. */
const LOCALE = "en_us"
export const MENU_ID = "alloresto-menu"
/** ASSUMPTION: "out of stock until further notice" as a suspension far ahead (2100-01-01). */
export const SUSPENDED_UNTIL = 4_102_444_800
const WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const

const text = (value: string): UberText => ({ translations: { [LOCALE]: value } })
const read = (t: UberText | null | undefined): string | undefined =>
  t === null || t === undefined ? undefined : (t.translations[LOCALE] ?? Object.values(t.translations)[0])

/** Category ids must stay stable across pushes (Uber: "keep ids stable") and avoid `/` and `;`. */
export const categoryId = (name: string) => `cat_${createHash("sha256").update(name).digest("hex").slice(0, 16)}`
const optionGroupId = (itemId: string, option: number) => `${itemId}-o${option}`
export const choiceId = (itemId: string, option: number, choice: number) => `${itemId}-o${option}-c${choice}`

/** Every item of Uber's example menus carries `tax_info`, option choices included. */
const taxInfo = (taxRate: number) => ({ tax_rate: taxRate })

const uberItem = (item: MenuItemSyncDTO, taxRate: number): UberMenuItem => ({
  id: item.localId,
  external_data: item.localId,
  title: text(item.name),
  ...(item.description === undefined ? {} : { description: text(item.description) }),
  price_info: { price: toMinorUnits(item.price, item.currency) },
  tax_info: taxInfo(taxRate),
  modifier_group_ids: { ids: item.options.map((_, i) => optionGroupId(item.localId, i)) },
  ...(item.isAvailable
    ? {}
    : { suspension_info: { suspension: { suspend_until: SUSPENDED_UNTIL, reason: "unavailable" } } }),
  dish_info: { classifications: { allergens: item.allergens } }
})

/** Each option is a modifier group; each choice an item priced at its delta (Uber's own model). */
const optionsOf = (item: MenuItemSyncDTO, taxRate: number) =>
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
      price_info: { price: toMinorUnits(choice.priceDelta, item.currency) },
      tax_info: taxInfo(taxRate)
    }))
  }))

/** Where the bundles are listed: Uber shows no item that no category holds. */
export const FORMULA_CATEGORY = "Formules"
/** Uber's promotions are set up apart from the Menu API: an offer without steps has no place in a menu. */
export const PROMOTION_HAS_NO_PLACE =
  "Uber Eats menus have no place for a promotion without steps (Uber promotions are not part of the Menu API)"

const bundleId = (offerLocalId: string) => `offer_${offerLocalId}`

/**
 * A formula is an item of its own at the formula's price; each step is a modifier group where
 * exactly one of the eligible dishes is chosen, each at no extra cost (ubereats.md: "a choice per
 * step is a modifier group"). The choices carry the dish's id as `external_data`.
 */
const bundleOf = (formula: Formula, taxRate: number) => {
  const id = bundleId(formula.offer.localId)
  const groups = formula.steps.map((step, i) => ({
    group: {
      id: `${id}-s${i}`,
      title: text(step.name),
      quantity_info: { quantity: { min_permitted: 1, max_permitted: 1 } },
      modifier_options: step.items.map((_, j) => ({ id: `${id}-s${i}-c${j}`, type: "ITEM" }))
    } satisfies UberModifierGroup,
    choices: step.items.map((dish, j): UberMenuItem => ({
      id: `${id}-s${i}-c${j}`,
      external_data: dish.localId,
      title: text(dish.name),
      price_info: { price: 0 },
      tax_info: taxInfo(taxRate)
    }))
  }))
  const item: UberMenuItem = {
    id,
    external_data: formulaRef(formula.offer.localId),
    title: text(formula.offer.name),
    ...(formula.offer.description === undefined ? {} : { description: text(formula.offer.description) }),
    price_info: { price: toMinorUnits(formula.price, formula.currency) },
    tax_info: taxInfo(taxRate),
    modifier_group_ids: { ids: groups.map((g) => g.group.id) }
  }
  return { item, groups }
}

/** Offers this upload leaves out, each with its reason (logged `skipped` by the engine). */
export const unpublishedOffers = (menu: MenuSyncDTO) => formulasOf(menu, PROMOTION_HAS_NO_PLACE).unpublished

/** The whole menu as one PUT body: items with their options, then formulas as bundles. */
export const toUberMenu = (menu: MenuSyncDTO, taxRate: number): UberMenuUpload => {
  const bundles = formulasOf(menu, PROMOTION_HAS_NO_PLACE).formulas.map((f) => bundleOf(f, taxRate))
  const grouped = [
    ...menuCategories(menu),
    ...(bundles.length === 0 ? [] : [[FORMULA_CATEGORY, bundles.map((b) => b.item.id)] as const])
  ]
  const categories = grouped.map(([name, ids]) => ({
    id: categoryId(name),
    title: text(name),
    entities: ids.map((id) => ({ id, type: "ITEM" }))
  }))
  const options = [
    ...menu.items.flatMap((item) => optionsOf(item, taxRate)),
    ...bundles.flatMap((b) => b.groups)
  ]
  return {
    menus: [{
      id: MENU_ID,
      title: text("Menu"),
      // ASSUMPTION: opening hours are not in the DTO; the store's own hours and status govern.
      service_availability: WEEK.map((day_of_week) => ({
        day_of_week,
        time_periods: [{ start_time: "00:00", end_time: "23:59" }]
      })),
      category_ids: categories.map((c) => c.id)
    }],
    categories,
    items: [
      ...menu.items.map((item) => uberItem(item, taxRate)),
      ...bundles.map((b) => b.item),
      ...options.flatMap((o) => o.choices)
    ],
    modifier_groups: options.map((o) => o.group)
  }
}

/** The menu Uber holds, in our terms. `nowSeconds` tells a lapsed suspension from a live one. */
export const fromUberMenu = (upload: UberMenuUpload, currency: string, nowSeconds: number): MenuSyncDTO => {
  const items = new Map(upload.items.map((i) => [i.id, i]))
  const groups = new Map(upload.modifier_groups.map((g) => [g.id, g]))
  const categoryOf = new Map(
    upload.categories.flatMap((c) => c.entities.map((e) => [e.id, read(c.title) ?? FALLBACK_CATEGORY] as const))
  )
  const price = (i: UberMenuItem | undefined) => fromMinorUnits(i?.price_info.price ?? 0, currency)
  const option = (g: UberModifierGroup) => ({
    name: read(g.title) ?? g.id,
    required: (g.quantity_info?.quantity?.min_permitted ?? 0) >= 1,
    maxChoices: Math.max(1, g.quantity_info?.quantity?.max_permitted ?? g.modifier_options.length),
    choices: g.modifier_options.map((o) => ({
      name: read(items.get(o.id)?.title) ?? o.id,
      priceDelta: price(items.get(o.id))
    }))
  })
  // Items a category lists are the menu's, bundles apart; the others are option choices.
  const isBundle = (item: UberMenuItem) => offerIdOfRef(item.external_data) !== undefined
  const menuItems = upload.items.filter((i) => categoryOf.has(i.id) && !isBundle(i)).map((item): MenuItemSyncDTO => {
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
  const offers = upload.items.filter(isBundle).map((item): OfferSyncDTO => ({
    localId: offerIdOfRef(item.external_data) ?? item.id,
    name: read(item.title) ?? item.id,
    type: "menu",
    isActive: true,
    price: price(item),
    steps: (item.modifier_group_ids?.ids ?? []).flatMap((g) => {
      const group = groups.get(g)
      return group === undefined ? [] : [{
        name: read(group.title) ?? group.id,
        itemLocalIds: group.modifier_options.flatMap((o) => items.get(o.id)?.external_data ?? [])
      }]
    })
  }))
  const categories = upload.categories.flatMap((c) => {
    const ids = c.entities.flatMap((e) => {
      const item = items.get(e.id)
      return item === undefined || isBundle(item) ? [] : [item.external_data ?? item.id]
    })
    return ids.length === 0 && c.entities.length > 0 ? [] : [{ name: read(c.title) ?? c.id, itemLocalIds: ids }]
  })
  return { categories, items: menuItems, offers }
}

/** The sparse item update; a suspension at 0 puts an item back on sale. */
export const toItemUpdate = (update: MenuItemUpdate, currency: string): UberItemUpdate => ({
  ...(update.price === undefined
    ? {}
    : { price_info: { price: toMinorUnits(update.price, update.currency ?? currency) } }),
  ...(update.isAvailable === undefined
    ? {}
    : {
      suspension_info: {
        suspension: update.isAvailable
          ? { suspend_until: 0 }
          : { suspend_until: SUSPENDED_UNTIL, reason: "unavailable" }
      }
    })
})
