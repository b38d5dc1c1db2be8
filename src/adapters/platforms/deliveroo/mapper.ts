import { Either } from "effect"
import { createHash } from "node:crypto"
import type { MenuItemSyncDTO, MenuSyncDTO, OfferSyncDTO, OrderSyncDTO } from "../../../domain/dtos.js"
import type { OrderStatus, OrderType } from "../../../domain/status.js"
import { type Formula, formulaRef, formulasOf, offerIdOfRef } from "../shared/formulas.js"
import { FALLBACK_CATEGORY, menuCategories } from "../shared/menu-categories.js"
import { fromMinorUnits, toMinorUnits } from "../shared/money.js"
import { joinNotes, menuItemIdOf, validOrder } from "../shared/order-dto.js"
import {
  type DeliverooItem,
  type DeliverooLegacyEnvelope,
  type DeliverooMenuBody,
  type DeliverooMenuItem,
  type DeliverooMenuModifier,
  type DeliverooMenuUpload,
  type DeliverooModifier,
  type DeliverooOrder,
  type DeliverooPrepStage,
  type DeliverooStatusUpdate,
  type DeliverooText,
  LIMITS
} from "./types.js"

export type DeliverooStatus = "pending" | "placed" | "accepted" | "confirmed" | "rejected" | "canceled"

/** Lower case (the Picking API writes capitals), both spellings of cancelled. */
export const deliverooStatusOf = (text: string): Either.Either<DeliverooStatus, string> => {
  const s = text.toLowerCase()
  if (s === "cancelled") return Either.right("canceled")
  return s === "pending" || s === "placed" || s === "accepted" || s === "confirmed" || s === "rejected" ||
      s === "canceled"
    ? Either.right(s)
    : Either.left(`unknown Deliveroo order status ${text}`)
}

// ---- platform → local ----

/** `confirmed` is a scheduled order the kitchen has committed to: preparing, in our words. */
export const orderStatusOf = (status: DeliverooStatus): OrderStatus => {
  switch (status) {
    case "pending":
    case "placed":
      return "pending"
    case "accepted":
      return "accepted"
    case "confirmed":
      return "preparing"
    case "rejected":
      return "denied"
    case "canceled":
      return "cancelled"
  }
}

/** A rider (`deliveroo`) or the restaurant's own fleet delivers; `customer` collects; table service is on site. */
export const orderTypeOf = (fulfillment: string): OrderType =>
  fulfillment === "deliveroo" || fulfillment === "restaurant" ? "delivery" : "pickup"

// ---- local → platform ----

export type DeliverooOrderAction =
  | {
    readonly _tag: "Patch"
    readonly updates: ReadonlyArray<DeliverooStatusUpdate>
    /** The kitchen's stage to report once the order is accepted (and confirmed), if any. */
    readonly stage: DeliverooPrepStage | undefined
  }
  | { readonly _tag: "Refused"; readonly reason: string }

const patch = (updates: ReadonlyArray<DeliverooStatusUpdate>, stage?: DeliverooPrepStage): DeliverooOrderAction => ({
  _tag: "Patch",
  updates,
  stage
})
const refused = (status: DeliverooStatus, target: OrderStatus, why = ""): DeliverooOrderAction => ({
  _tag: "Refused",
  reason: `a Deliveroo order ${status} cannot become ${target}${why}`
})

/**
 * Our kitchen statuses as Deliveroo's preparation stages (prep-stages-endpoint): cooking started,
 * ready to collect, handed over. Deliveroo delivers its own orders, so "delivered" is the handover too.
 */
const STAGE_OF: Partial<Record<OrderStatus, DeliverooPrepStage>> = {
  preparing: "in_kitchen",
  ready: "ready_for_collection",
  picked_up: "collected",
  delivered: "collected"
}

/**
 * Deliveroo's PATCH moves placed → accepted or rejected, and accepted → confirmed for scheduled
 * orders only (documented), each once. The kitchen's later stages are prep stages, sent once the
 * order is accepted (and, when scheduled, confirmed). Cancelling after acceptance is not an API
 * action: the restaurant calls Deliveroo.
 */
export const deliverooActionFor = (
  status: DeliverooStatus,
  asap: boolean,
  target: OrderStatus
): DeliverooOrderAction => {
  const confirm: ReadonlyArray<DeliverooStatusUpdate> = asap ? [] : [{ status: "confirmed" }]
  switch (target) {
    case "pending":
      return status === "pending" || status === "placed" ? patch([]) : refused(status, target)
    case "accepted":
      if (status === "placed") return patch([{ status: "accepted" }])
      return status === "accepted" || status === "confirmed" ? patch([]) : refused(status, target)
    case "preparing":
    case "ready":
    case "picked_up":
    case "delivered":
      if (status === "placed") return patch([{ status: "accepted" }, ...confirm], STAGE_OF[target])
      if (status === "accepted") return patch(confirm, STAGE_OF[target])
      return status === "confirmed" ? patch([], STAGE_OF[target]) : refused(status, target)
    case "denied":
    case "cancelled":
      if (status === "placed") return patch([{ status: "rejected", reject_reason: "other" }])
      if (status === "rejected" || status === "canceled") return patch([])
      return refused(status, target, status === "pending" ? "" : ": once accepted, only Deliveroo can cancel it")
  }
}

/**
 * A legacy POS event's order in the Order Events' shape. `new_order` is sent once the site has
 * accepted the order on its tablet (reference/new-order-event-webhook-1), at
 * `restaurant_acknowledged_at`; `cancel_order` cancels it. Items without a name go by their PLU.
 */
export const fromLegacy = (envelope: DeliverooLegacyEnvelope): DeliverooOrder => {
  const status = envelope.event === "cancel_order" ? "canceled" : "accepted"
  const at = envelope.restaurant_acknowledged_at
  const o = envelope.order
  return {
    id: o.id,
    display_id: o.display_id,
    location_id: envelope.location_id,
    status,
    status_log: at === null || at === undefined ? [] : [{ at, status }],
    fulfillment_type: o.fulfillment_type ?? "deliveroo",
    asap: o.asap,
    order_notes: o.notes,
    total_price: o.total_price,
    items: o.items.map((i) => ({
      pos_item_id: i.pos_item_id,
      name: i.name ?? i.pos_item_id ?? "Deliveroo item",
      quantity: i.quantity,
      unit_price: i.unit_price,
      modifiers: (i.modifiers ?? []).map((m) => ({
        pos_item_id: m.pos_item_id,
        name: m.name ?? m.pos_item_id ?? "",
        quantity: m.quantity,
        unit_price: m.unit_price
      }))
    }))
  }
}

// ---- order (platform → local) ----

const modifierNames = (modifiers: ReadonlyArray<DeliverooModifier> | null | undefined): ReadonlyArray<string> =>
  (modifiers ?? []).flatMap((
    m
  ) => [(m.quantity ?? 1) > 1 ? `${m.quantity} × ${m.name}` : m.name, ...modifierNames(m.modifiers)])

const modifiersTotal = (modifiers: ReadonlyArray<DeliverooModifier> | null | undefined): number =>
  (modifiers ?? []).reduce(
    (sum, m) => sum + (m.unit_price?.fractional ?? 0) * (m.quantity ?? 1) + modifiersTotal(m.modifiers),
    0
  )

/** ASSUMPTION: `unit_price` is the item alone; `total_price`, when sent, includes the modifiers. */
const unitPriceOf = (item: DeliverooItem) =>
  item.total_price !== null && item.total_price !== undefined && item.quantity > 0
    ? item.total_price.fractional / item.quantity
    : item.unit_price.fractional + modifiersTotal(item.modifiers)

const addressOf = (order: DeliverooOrder) => {
  const a = order.delivery?.address
  if (a === null || a === undefined) return undefined
  const street = joinNotes([a.address_line_1 ?? joinNotes([a.number, a.street], " "), a.address_line_2], ", ")
  if (street === undefined || !a.city || !a.postcode) return undefined
  return {
    street,
    city: a.city,
    postalCode: a.postcode,
    country: a.country ?? undefined,
    instructions: order.delivery?.delivery_notes ?? undefined
  }
}

export const toOrder = (order: DeliverooOrder): Either.Either<OrderSyncDTO, string> =>
  Either.flatMap(deliverooStatusOf(order.status), (status) => {
    const currency = order.total_price.currency_code
    return validOrder({
      type: orderTypeOf(order.fulfillment_type),
      status: orderStatusOf(status),
      customerName: joinNotes([order.customer?.first_name, order.customer?.last_name], " ") ?? "Deliveroo customer",
      customerPhone: order.customer?.contact_number ?? undefined,
      items: order.items.map((item) => ({
        menuItemId: menuItemIdOf(item.pos_item_id),
        name: item.name,
        quantity: item.quantity,
        unitPrice: fromMinorUnits(unitPriceOf(item), item.unit_price.currency_code),
        options: modifierNames(item.modifiers)
      })),
      total: fromMinorUnits(order.total_price.fractional, currency),
      currency,
      deliveryAddress: addressOf(order),
      // A scheduled order is wanted at `prepare_for`; an ASAP one as soon as possible.
      scheduledFor: order.asap === false ? order.prepare_for ?? undefined : undefined,
      // Allergies and customer notes arrive in order_notes (documented).
      notes: joinNotes([
        order.order_notes,
        order.cutlery_notes,
        order.customer?.contact_access_code ? `Access code: ${order.customer.contact_access_code}` : undefined
      ]),
      displayId: order.display_id ?? undefined
    })
  })

/** When the order reached its current status: the last matching `status_log` entry (the ordering truth). */
export const statusTimeOf = (order: DeliverooOrder): string | undefined => {
  const current = Either.getOrUndefined(deliverooStatusOf(order.status))
  const entries = (order.status_log ?? []).filter((e) => Either.getOrUndefined(deliverooStatusOf(e.status)) === current)
  return entries.map((e) => e.at).sort().at(-1)
}

// ---- menu ----

/** ASSUMPTION: one language, English keys (`{en: ...}`). */
const LANGUAGE = "en"
/** ASSUMPTION: our menu items carry no alcohol flag; an "alcohol" allergen tag sets Deliveroo's (ID check). */
const ALCOHOL_TAG = "alcohol"

const text = (value: string): DeliverooText => ({ [LANGUAGE]: value })
const read = (t: DeliverooText | null | undefined): string | undefined =>
  t === null || t === undefined ? undefined : (t[LANGUAGE] ?? Object.values(t)[0])

export const categoryId = (name: string) => `cat-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`
const modifierId = (itemId: string, option: number) => `${itemId}-o${option}`
export const choiceId = (itemId: string, option: number, choice: number) => `${itemId}-o${option}-c${choice}`

const between = (what: string, value: string, [min, max]: readonly [number, number]): ReadonlyArray<string> =>
  value.length < min || value.length > max
    ? [`${what} "${value.slice(0, 40)}" must be ${min} to ${max} characters`]
    : []

/** Documented text limits; a description over 500 characters is cut (the rest cannot be shown anyway). */
const problemsOf = (menu: MenuSyncDTO, categories: ReadonlyArray<readonly [string, ReadonlyArray<string>]>) => [
  ...categories.flatMap(([name]) => between("category name", name, LIMITS.categoryName)),
  ...menu.items.flatMap((i) => [
    ...between("item name", i.name, LIMITS.itemName),
    ...i.options.flatMap((
      o
    ) => [
      ...between("option name", o.name, LIMITS.itemName),
      ...o.choices.flatMap((c) => between("choice name", c.name, LIMITS.itemName))
    ])
  ])
]

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

/** Where the bundles are listed (a category name of 3 to 120 characters). */
export const FORMULA_CATEGORY = "Formules"
/** Deliveroo's offers are run by Deliveroo, outside the Menu API: an offer without steps has no place in a menu. */
export const PROMOTION_HAS_NO_PLACE =
  "Deliveroo menus have no place for a promotion without steps (Deliveroo offers are not part of the Menu API)"

/** Formulas to upload, and offers left out with their reason; a formula's name obeys the item limits. */
const formulasFor = (menu: MenuSyncDTO) => {
  const { formulas, unpublished } = formulasOf(menu, PROMOTION_HAS_NO_PLACE)
  const named = formulas.filter((f) => between("item name", f.offer.name, LIMITS.itemName).length === 0)
  const misnamed = formulas.filter((f) => !named.includes(f)).map((f) => ({
    localId: f.offer.localId,
    reason: `Deliveroo item names are ${LIMITS.itemName[0]} to ${LIMITS.itemName[1]} characters`
  }))
  return { formulas: named, unpublished: [...unpublished, ...misnamed] }
}

/** Offers this upload leaves out, each with its reason (logged `skipped` by the engine). */
export const unpublishedOffers = (menu: MenuSyncDTO) => formulasFor(menu).unpublished

/**
 * Deliveroo sends combos as modifiers on the menu (deliveroo.md, corrections): a formula is an ITEM
 * at its price, each step a modifier taking exactly one CHOICE, one per eligible dish at no extra
 * cost, whose PLU is the dish's id.
 */
const bundleOf = (formula: Formula) => {
  const id = `offer-${formula.offer.localId}`
  const steps = formula.steps.map((step, i) => ({
    modifier: {
      id: `${id}-s${i}`,
      name: text(step.name),
      min_selection: 1,
      max_selection: 1,
      item_ids: step.items.map((_, j) => `${id}-s${i}-c${j}`)
    } satisfies DeliverooMenuModifier,
    choices: step.items.map((dish, j): DeliverooMenuItem => ({
      id: `${id}-s${i}-c${j}`,
      plu: dish.localId,
      name: text(dish.name),
      price_info: { price: 0 },
      type: "CHOICE"
    }))
  }))
  const item: DeliverooMenuItem = {
    id,
    plu: formulaRef(formula.offer.localId),
    name: text(formula.offer.name),
    ...(formula.offer.description === undefined
      ? {}
      : { description: text(formula.offer.description.slice(0, LIMITS.description)) }),
    price_info: { price: toMinorUnits(formula.price, formula.currency) },
    contains_alcohol: formula.steps.some((step) =>
      step.items.some((dish) => dish.allergens.some((a) => a.toLowerCase() === ALCOHOL_TAG))
    ),
    type: "ITEM",
    modifier_ids: steps.map((s) => s.modifier.id)
  }
  return { item, steps }
}

/** The whole upload: items with their options, then formulas as bundles. Availability travels separately. */
export const toDeliverooMenu = (
  menu: MenuSyncDTO,
  target: { readonly name: string; readonly siteId: string }
): Either.Either<DeliverooMenuUpload, string> => {
  const bundles = formulasFor(menu).formulas.map(bundleOf)
  const grouped = [...menuCategories(menu)]
  const problems = problemsOf(menu, grouped)
  if (problems.length > 0) return Either.left(problems.slice(0, 5).join("; "))
  const categories = [
    ...grouped,
    ...(bundles.length === 0 ? [] : [[FORMULA_CATEGORY, bundles.map((b) => b.item.id)] as const])
  ]
    .map(([name, ids]) => ({ id: categoryId(name), name: text(name), item_ids: ids }))
  const modifiers = [...menu.items.flatMap(modifiersOf), ...bundles.flatMap((b) => b.steps)]
  return Either.right({
    name: target.name,
    site_ids: [target.siteId],
    menu: {
      categories,
      items: [...menu.items.map(deliverooItem), ...bundles.map((b) => b.item), ...modifiers.flatMap((m) => m.choices)],
      modifiers: modifiers.map((m) => m.modifier),
      // ASSUMPTION: opening hours are not in the DTO; the site's own hours govern.
      mealtimes: [{
        id: "all-day",
        name: text("All day"),
        category_ids: categories.map((c) => c.id),
        schedule: Array.from(
          { length: 7 },
          (_, day) => ({ day_of_week: day, time_periods: [{ start: "00:00", end: "23:59" }] })
        )
      }]
    }
  })
}

/** Items out of stock, for the item-unavailability call that follows an upload. */
export const unavailableIds = (menu: MenuSyncDTO): ReadonlyArray<string> =>
  menu.items.filter((i) => !i.isAvailable).map((i) => i.localId)

/** The site's menu in our terms; `unavailable` holds the ids Deliveroo has marked unavailable. */
export const fromDeliverooMenu = (
  body: DeliverooMenuBody,
  unavailable: ReadonlySet<string>,
  currency: string
): MenuSyncDTO => {
  const items = new Map(body.items.map((i) => [i.id, i]))
  const modifiers = new Map(body.modifiers.map((m) => [m.id, m]))
  const categoryOf = new Map(
    body.categories.flatMap((c) => c.item_ids.map((id) => [id, read(c.name) ?? FALLBACK_CATEGORY] as const))
  )
  const price = (i: DeliverooMenuItem | undefined) => fromMinorUnits(i?.price_info.price ?? 0, currency)
  const option = (m: DeliverooMenuModifier) => ({
    name: read(m.name) ?? m.id,
    required: m.min_selection >= 1,
    maxChoices: Math.max(1, m.max_selection),
    choices: m.item_ids.map((id) => ({ name: read(items.get(id)?.name) ?? id, priceDelta: price(items.get(id)) }))
  })
  const isBundle = (item: DeliverooMenuItem) => offerIdOfRef(item.plu) !== undefined
  const menuItems = body.items.filter((i) => i.type !== "CHOICE" && !isBundle(i)).map((item): MenuItemSyncDTO => {
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
  const offers = body.items.filter(isBundle).map((item): OfferSyncDTO => ({
    localId: offerIdOfRef(item.plu) ?? item.id,
    name: read(item.name) ?? item.id,
    type: "menu",
    isActive: true,
    price: price(item),
    steps: (item.modifier_ids ?? []).flatMap((id) => {
      const m = modifiers.get(id)
      return m === undefined
        ? []
        : [{ name: read(m.name) ?? m.id, itemLocalIds: m.item_ids.flatMap((c) => items.get(c)?.plu ?? []) }]
    })
  }))
  const categories = body.categories.flatMap((c) => {
    const ids = c.item_ids.flatMap((id) => {
      const item = items.get(id)
      return item === undefined || isBundle(item) ? [] : [item.plu ?? item.id]
    })
    return ids.length === 0 && c.item_ids.length > 0 ? [] : [{ name: read(c.name) ?? c.id, itemLocalIds: ids }]
  })
  return { categories, items: menuItems, offers }
}
