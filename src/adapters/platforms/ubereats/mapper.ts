import type { Either } from "effect"
import type { OrderSyncDTO } from "../../../domain/dtos.js"
import type { OrderStatus, OrderType } from "../../../domain/status.js"
import { fromMinorUnits } from "../money.js"
import { joinNotes, menuItemIdOf, validOrder } from "../order-dto.js"
import type { UberCartItem, UberOrder, UberOrderState, UberOrderType } from "./types.js"

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
      return type === "DELIVERY_BY_RESTAURANT" ? { _tag: "RestaurantDelivery", status: target === "picked_up" ? "started" : "delivered" } : none
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

const addressOf = (order: UberOrder) => {
  const location = order.eater?.delivery?.location
  if (orderTypeOf(order.type) !== "delivery" || location === null || location === undefined) return undefined
  const street = joinNotes([location.address_1, location.address_2, location.apt_floor], ", ")
  if (street === undefined || !location.city || !location.postal_code) return undefined
  return {
    street,
    city: location.city,
    postalCode: location.postal_code,
    country: location.country ?? undefined,
    instructions: order.eater?.delivery?.notes ?? undefined
  }
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
