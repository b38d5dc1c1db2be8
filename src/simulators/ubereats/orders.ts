import { Data, Either } from "effect"
import { randomUUID } from "node:crypto"
import type { CartItem, DecodedSeed, Money, Order, OrderState } from "./wire.js"

/** A refused call, answered as the legacy v1 error body `{code, message}` (ASSUMPTION, ubereats.md). */
export class UberSimRejected extends Data.TaggedError("UberSimRejected")<{
  readonly status: number
  readonly code: string
  readonly message: string
}> {}

export const rejected = (status: number, code: string, message: string) =>
  new UberSimRejected({ status, code, message })

const money = (amount: number, currency: string): Money => ({
  amount,
  currency_code: currency,
  formatted_amount: `${(amount / 100).toFixed(2)} ${currency}`
})

const cartItem = (item: DecodedSeed["items"][number], currency: string): CartItem => {
  const unit = item.unit_price + item.modifiers.reduce((sum, m) => sum + m.price, 0)
  const groups = [...new Set(item.modifiers.map((m) => m.group))]
  return {
    id: randomUUID(),
    instance_id: randomUUID(),
    title: item.title,
    ...(item.external_data === undefined ? {} : { external_data: item.external_data }),
    quantity: item.quantity,
    price: { unit_price: money(unit, currency), total_price: money(unit * item.quantity, currency) },
    selected_modifier_groups: groups.map((group) => ({
      id: randomUUID(),
      title: group,
      selected_items: item.modifiers.filter((m) => m.group === group).map((m) => ({
        id: randomUUID(),
        title: m.title,
        quantity: 1,
        price: { unit_price: money(m.price, currency), total_price: money(m.price, currency) }
      }))
    })),
    ...(item.special_instructions === undefined ? {} : { special_instructions: item.special_instructions })
  }
}

/** A new CREATED order; the total is the items' sum (no tax or fees in the simulator). */
export const buildOrder = (
  seed: DecodedSeed,
  store: { readonly id: string; readonly name: string },
  nowMs: number
): Order => {
  const items = seed.items.map((i) => cartItem(i, seed.currency))
  const total = items.reduce((sum, i) => sum + i.price.total_price.amount, 0)
  const id = randomUUID()
  return {
    id,
    display_id: id.slice(0, 5).toUpperCase(),
    current_state: "CREATED",
    type: seed.type,
    store,
    eater: {
      ...seed.eater,
      ...(seed.address === undefined
        ? {}
        : {
          delivery: {
            location: {
              type: "GOOGLE_PLACE",
              street_address: seed.address.street_address,
              latitude: seed.address.latitude,
              longitude: seed.address.longitude,
              google_place_id: `ChIJ${id.replaceAll("-", "").slice(0, 23)}`,
              ...(seed.address.unit_number === undefined ? {} : { unit_number: seed.address.unit_number }),
              ...(seed.address.business_name === undefined ? {} : { business_name: seed.address.business_name })
            },
            ...(seed.address.notes === undefined ? {} : { notes: seed.address.notes })
          }
        })
    },
    cart: {
      items,
      ...(seed.special_instructions === undefined ? {} : { special_instructions: seed.special_instructions })
    },
    payment: {
      charges: {
        total: money(total, seed.currency),
        sub_total: money(total, seed.currency),
        tax: money(0, seed.currency)
      }
    },
    placed_at: new Date(nowMs).toISOString(),
    estimated_ready_for_pickup_at: new Date(nowMs + 20 * 60_000).toISOString()
  }
}

const move = (
  order: Order,
  from: ReadonlyArray<OrderState>,
  to: OrderState,
  action: string
): Either.Either<Order, UberSimRejected> =>
  from.includes(order.current_state)
    ? Either.right({ ...order, current_state: to })
    : Either.left(rejected(409, "invalid_order_state", `cannot ${action} an order in state ${order.current_state}`))

/** ubereats.md simulator notes: CREATED → ACCEPTED or DENIED; ACCEPTED → FINISHED or CANCELED. */
export const acceptOrder = (order: Order, externalReferenceId: string | undefined) =>
  Either.map(
    move(order, ["CREATED"], "ACCEPTED", "accept"),
    (o) => (externalReferenceId === undefined ? o : { ...o, external_reference_id: externalReferenceId })
  )

export const denyOrder = (order: Order) => move(order, ["CREATED"], "DENIED", "deny")

/** Cancel answers 404 for a terminal order (documented), as for an unknown one. */
export const cancelOrder = (order: Order): Either.Either<Order, UberSimRejected> =>
  order.current_state === "ACCEPTED" || order.current_state === "CREATED"
    ? Either.right({ ...order, current_state: "CANCELED" })
    : Either.left(rejected(404, "not_found", `order ${order.id} is terminal`))

export const finishOrder = (order: Order) => move(order, ["ACCEPTED"], "FINISHED", "finish")

/** Merchant-delivered orders only; `delivered` finishes the order. */
export const restaurantDelivery = (
  order: Order,
  status: "started" | "arriving" | "delivered"
): Either.Either<Order, UberSimRejected> => {
  if (order.type !== "DELIVERY_BY_RESTAURANT") {
    return Either.left(rejected(400, "invalid_request", "not a merchant-delivered order"))
  }
  return status === "delivered" ? finishOrder(order) : move(order, ["ACCEPTED"], "ACCEPTED", `report ${status} for`)
}
