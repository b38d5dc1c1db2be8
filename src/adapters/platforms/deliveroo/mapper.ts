import { Either } from "effect"
import type { OrderSyncDTO } from "../../../domain/dtos.js"
import type { OrderStatus, OrderType } from "../../../domain/status.js"
import { fromMinorUnits } from "../money.js"
import { joinNotes, menuItemIdOf, validOrder } from "../order-dto.js"
import type { DeliverooItem, DeliverooModifier, DeliverooOrder, DeliverooStatusUpdate } from "./types.js"

export type DeliverooStatus = "pending" | "placed" | "accepted" | "confirmed" | "rejected" | "canceled"

/** Lower case (the Picking API writes capitals), both spellings of cancelled. */
export const deliverooStatusOf = (text: string): Either.Either<DeliverooStatus, string> => {
  const s = text.toLowerCase()
  if (s === "cancelled") return Either.right("canceled")
  return s === "pending" || s === "placed" || s === "accepted" || s === "confirmed" || s === "rejected" || s === "canceled"
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
  | { readonly _tag: "Patch"; readonly updates: ReadonlyArray<DeliverooStatusUpdate> }
  | { readonly _tag: "Refused"; readonly reason: string }

const patch = (...updates: ReadonlyArray<DeliverooStatusUpdate>): DeliverooOrderAction => ({ _tag: "Patch", updates })
const refused = (status: DeliverooStatus, target: OrderStatus, why = ""): DeliverooOrderAction => ({
  _tag: "Refused",
  reason: `a Deliveroo order ${status} cannot become ${target}${why}`
})

/**
 * Deliveroo's PATCH moves placed → accepted or rejected, and accepted → confirmed for scheduled
 * orders only (documented), each once. Later kitchen stages have no Order API call here, so
 * they only need the order accepted (and, when scheduled, confirmed). Cancelling after
 * acceptance is not an API action: the restaurant calls Deliveroo.
 */
export const deliverooActionFor = (status: DeliverooStatus, asap: boolean, target: OrderStatus): DeliverooOrderAction => {
  const confirm: ReadonlyArray<DeliverooStatusUpdate> = asap ? [] : [{ status: "confirmed" }]
  switch (target) {
    case "pending":
      return status === "pending" || status === "placed" ? patch() : refused(status, target)
    case "accepted":
      if (status === "placed") return patch({ status: "accepted" })
      return status === "accepted" || status === "confirmed" ? patch() : refused(status, target)
    case "preparing":
    case "ready":
    case "picked_up":
    case "delivered":
      if (status === "placed") return patch({ status: "accepted" }, ...confirm)
      if (status === "accepted") return patch(...confirm)
      return status === "confirmed" ? patch() : refused(status, target)
    case "denied":
    case "cancelled":
      if (status === "placed") return patch({ status: "rejected", reject_reason: "other" })
      if (status === "rejected" || status === "canceled") return patch()
      return refused(status, target, status === "pending" ? "" : ": once accepted, only Deliveroo can cancel it")
  }
}

// ---- order (platform → local) ----

const modifierNames = (modifiers: ReadonlyArray<DeliverooModifier> | null | undefined): ReadonlyArray<string> =>
  (modifiers ?? []).flatMap((m) => [(m.quantity ?? 1) > 1 ? `${m.quantity} × ${m.name}` : m.name, ...modifierNames(m.modifiers)])

const modifiersTotal = (modifiers: ReadonlyArray<DeliverooModifier> | null | undefined): number =>
  (modifiers ?? []).reduce((sum, m) => sum + (m.unit_price?.fractional ?? 0) * (m.quantity ?? 1) + modifiersTotal(m.modifiers), 0)

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
  return { street, city: a.city, postalCode: a.postcode, country: a.country ?? undefined, instructions: order.delivery?.delivery_notes ?? undefined }
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
