import { Option } from "effect"
import type { OrderStatus } from "./status.js"

/** Statuses an order never leaves: the platforms have no call that undoes them. */
export const finalOrderStatuses: ReadonlyArray<OrderStatus> = ["delivered", "cancelled", "denied"]

/**
 * Why an order may not move from `from` to `to` through the API, if it may not: a delivered,
 * cancelled or denied order is final; nothing goes back to pending; only a new order is denied
 * (an accepted one is cancelled). Moves among accepted, preparing, ready and picked up are the
 * kitchen's own and stay open (a mistaken "ready" can be taken back).
 */
export const orderStatusChangeProblem = (from: OrderStatus, to: OrderStatus): Option.Option<string> => {
  if (from === to) return Option.none()
  if (finalOrderStatuses.includes(from)) return Option.some(`a ${from} order is final: it cannot become ${to}`)
  if (to === "pending") return Option.some(`an order cannot go back to pending once ${from}`)
  if (to === "denied" && from !== "pending") {
    return Option.some(`only a pending order can be denied: one already ${from} is cancelled instead`)
  }
  return Option.none()
}
