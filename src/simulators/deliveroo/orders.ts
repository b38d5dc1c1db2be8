import { Data, Either } from "effect"
import { randomInt, randomUUID } from "node:crypto"
import type { DecodedSeed, Item, Order, Status, StatusUpdateBody } from "./wire.js"

/** A refused call, answered `{error: {code, message}}` (deliveroo.md, corrections); per-order 429s may lack Retry-After. */
export class DeliverooSimRejected extends Data.TaggedError("DeliverooSimRejected")<{
  readonly status: number
  readonly error: string
  readonly message: string
  readonly headers?: Readonly<Record<string, string>>
}> {}

export const rejected = (status: number, error: string, message: string, headers?: Readonly<Record<string, string>>) =>
  new DeliverooSimRejected({ status, error, message, ...(headers === undefined ? {} : { headers }) })

const money = (fractional: number, currency_code: string) => ({ fractional, currency_code })

const item = (i: DecodedSeed["items"][number], currency: string): Item => {
  const modifiers = i.modifiers.map((m) => ({
    ...(m.pos_item_id === undefined ? {} : { pos_item_id: m.pos_item_id }),
    name: m.name,
    quantity: 1,
    unit_price: money(m.unit_price, currency)
  }))
  const unit = i.unit_price + i.modifiers.reduce((sum, m) => sum + m.unit_price, 0)
  return {
    ...(i.pos_item_id === undefined ? {} : { pos_item_id: i.pos_item_id }),
    name: i.name,
    operational_name: i.name,
    quantity: i.quantity,
    unit_price: money(i.unit_price, currency),
    total_price: money(unit * i.quantity, currency),
    modifiers
  }
}

/** A new order, already `placed` (its log keeps the `pending` before it). Ids are `{market}:{uuid}`. */
export const buildOrder = (seed: DecodedSeed, locationId: string, nowMs: number): Order => {
  const items = seed.items.map((i) => item(i, seed.currency))
  const total = items.reduce((sum, i) => sum + i.total_price.fractional, 0)
  const at = new Date(nowMs).toISOString()
  const prepareFor = new Date(nowMs + seed.readyInMinutes * 60_000).toISOString()
  const number = String(randomInt(10_000_000, 99_999_999))
  return {
    id: `gb:${randomUUID()}`,
    order_number: number,
    display_id: number.slice(-4),
    location_id: locationId,
    status: "placed",
    status_log: [{ at, status: "pending" }, { at, status: "placed" }],
    fulfillment_type: seed.fulfillment_type,
    asap: seed.asap,
    prepare_for: prepareFor,
    ...(seed.asap ? {} : { confirm_at: prepareFor }),
    ...(seed.order_notes === undefined ? {} : { order_notes: seed.order_notes }),
    total_price: money(total, seed.currency),
    items,
    customer: seed.customer,
    ...(seed.address === undefined ? {} : { delivery: { address: seed.address } })
  }
}

/** The log is cumulative and decides the true order (documented). */
export const withStatus = (order: Order, status: Status, nowMs: number): Order => ({
  ...order,
  status,
  status_log: [...order.status_log, { at: new Date(nowMs).toISOString(), status }]
})

const conflict = (order: Order, wanted: string) =>
  Either.left(rejected(409, "conflict", `order ${order.id} is ${order.status}: cannot become ${wanted}`))

/**
 * PATCH (documented): placed → accepted or rejected, accepted → confirmed for scheduled orders
 * only; `reject_reason` is required when rejecting. Anything else is a 409, so each is once.
 */
export const patchStatus = (
  order: Order,
  body: typeof StatusUpdateBody.Type,
  nowMs: number
): Either.Either<Order, DeliverooSimRejected> => {
  switch (body.status) {
    case "accepted":
      return order.status === "placed"
        ? Either.right(withStatus(order, "accepted", nowMs))
        : conflict(order, body.status)
    case "rejected":
      if (body.reject_reason === undefined) {
        return Either.left(rejected(400, "bad_request", "reject_reason is required when rejecting"))
      }
      return order.status === "placed"
        ? Either.right(withStatus(order, "rejected", nowMs))
        : conflict(order, body.status)
    case "confirmed":
      return order.status === "accepted" && !order.asap
        ? Either.right(withStatus(order, "confirmed", nowMs))
        : conflict(order, body.status)
  }
}

/** Deliveroo's own side: the auto-reject of an unanswered ASAP order, or a cancellation. */
export const platformEnd = (
  order: Order,
  status: "rejected" | "canceled",
  nowMs: number
): Either.Either<Order, DeliverooSimRejected> =>
  order.status === "rejected" || order.status === "canceled"
    ? conflict(order, status)
    : Either.right(withStatus(order, status, nowMs))
