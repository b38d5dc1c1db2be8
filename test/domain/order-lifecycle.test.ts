import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import { orderStatusChangeProblem } from "../../src/domain/order-lifecycle.js"
import { OrderStatus } from "../../src/domain/status.js"

const allowed = (from: OrderStatus, to: OrderStatus) => Option.isNone(orderStatusChangeProblem(from, to))

describe("an order's status moves", () => {
  it("forward from new, and among the kitchen's own statuses either way", () => {
    for (const to of ["accepted", "preparing", "ready", "picked_up", "delivered", "cancelled", "denied"] as const) {
      assert.isTrue(allowed("pending", to), to)
    }
    assert.isTrue(allowed("accepted", "ready"))
    assert.isTrue(allowed("ready", "preparing"), "a mistaken ready is taken back")
    assert.isTrue(allowed("picked_up", "delivered"))
    assert.isTrue(allowed("accepted", "cancelled"))
    for (const status of OrderStatus.literals) assert.isTrue(allowed(status, status), `${status} to itself`)
  })

  it("never out of a final status, never back to new, and only a new order is denied", () => {
    assert.deepStrictEqual(
      orderStatusChangeProblem("cancelled", "accepted"),
      Option.some("a cancelled order is final: it cannot become accepted")
    )
    assert.isFalse(allowed("delivered", "ready"))
    assert.isFalse(allowed("denied", "pending"))
    assert.deepStrictEqual(
      orderStatusChangeProblem("ready", "pending"),
      Option.some("an order cannot go back to pending once ready")
    )
    assert.deepStrictEqual(
      orderStatusChangeProblem("accepted", "denied"),
      Option.some("only a pending order can be denied: one already accepted is cancelled instead")
    )
  })
})
