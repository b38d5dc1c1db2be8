import { assert, describe, it } from "@effect/vitest"
import type { WebhookEventType } from "../../src/domain/dtos.js"
import type { EntityType } from "../../src/domain/ids.js"
import { jobAction } from "../../src/domain/job-action.js"

describe("the action a job's audit line names when its attempt said none", () => {
  it("an inbound job: what its event asks", () => {
    const inbound = (eventType: WebhookEventType | undefined) =>
      jobAction({ direction: "inbound", entityType: "reservation", eventType })
    assert.strictEqual(inbound("reservation.created"), "create")
    assert.strictEqual(inbound("reservation.updated"), "update")
    assert.strictEqual(inbound("reservation.cancelled"), "cancel")
    assert.strictEqual(inbound("reservation.status_changed"), "status_change")
    assert.strictEqual(inbound("order.created"), "create")
    assert.strictEqual(inbound("order.cancelled"), "cancel")
    assert.strictEqual(inbound("store.status_changed"), "status_change")
    assert.strictEqual(inbound("menu.updated"), "push_menu")
    assert.strictEqual(inbound("unknown"), "update")
    assert.strictEqual(inbound(undefined), "create", "a job without its event: as before")
  })

  it("an outbound job: what a push of its type does; a reservation says it itself", () => {
    const outbound = (entityType: EntityType) => jobAction({ direction: "outbound", entityType, eventType: undefined })
    assert.strictEqual(outbound("order"), "status_change")
    assert.strictEqual(outbound("menu_item"), "push_menu")
    assert.strictEqual(outbound("offer"), "push_menu")
    assert.strictEqual(outbound("reservation"), "update")
    assert.strictEqual(outbound("table"), "update")
  })
})
