import { Clock, Effect, Option } from "effect"
import type { Order } from "../../domain/entities.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { requireCapability } from "../../ports/connector-capabilities.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import type { PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import { attempting, type Outcome } from "./outcome.js"

const pushedStatus = (raw: unknown) =>
  typeof raw === "object" && raw !== null && "pushedStatus" in raw ? String(raw.pushedStatus) : undefined

/**
 * A marketplace order lives on its platform: locally we only move its status (accept, deny,
 * ready, cancel), and only for orders that came from that platform.
 */
export const pushOrderStatus = (config: PlatformConfigWithSecrets, order: Order, connector: PlatformConnector) =>
  Effect.gen(function*() {
    const mappings = yield* MappingRepository
    const mapping = yield* mappings.findByEntity("order", order.id, config.platform)
    const skipped = (reason: string): Outcome => ({
      status: "skipped",
      action: "status_change",
      entityId: order.id,
      externalId: null,
      errorMessage: reason
    })
    if (Option.isNone(mapping)) return skipped(`the order is not on ${config.platform}`)
    const m = mapping.value
    const pushed = pushedStatus(m.externalRawData)
    if (pushed === order.status || (order.status === "pending" && pushed === undefined)) {
      return { ...skipped("the platform already has this status"), externalId: m.externalId }
    }
    // No platform call takes an order back to new: it keeps the status it was last given.
    if (order.status === "pending") {
      return {
        ...skipped(`an order cannot go back to pending on ${config.platform}: it stays ${pushed}`),
        externalId: m.externalId
      }
    }
    const orders = yield* requireCapability(connector, "orders")
    yield* orders.updateStatus(m.externalId, order.status).pipe(
      attempting({ action: "status_change", externalId: m.externalId, requestPayload: { status: order.status } })
    )
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    yield* mappings.upsert({
      restaurantId: m.restaurantId,
      entityType: "order",
      entityId: order.id,
      platform: m.platform,
      externalId: m.externalId,
      externalSecondaryId: m.externalSecondaryId,
      externalRawData: { pushedStatus: order.status },
      syncStatus: "synced",
      syncedAt: now
    })
    return {
      status: "success",
      action: "status_change",
      entityId: order.id,
      externalId: m.externalId,
      requestPayload: { status: order.status }
    } satisfies Outcome
  })
