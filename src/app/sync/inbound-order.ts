import { Clock, Effect, Option } from "effect"
import { trimmedContact } from "../../domain/customer-contact.js"
import type { OrderSyncDTO, WebhookEvent } from "../../domain/dtos.js"
import * as E from "../../domain/entities.js"
import type { Platform, RestaurantId } from "../../domain/ids.js"
import { tagKey } from "../../domain/normalize.js"
import { CustomerRepository, OrderRepository, Transactor } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import type { PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import { decodeInbound } from "./inbound-decode.js"
import type { Outcome } from "./outcome.js"

const ENDED = 9

/** Orders only move forward: a late "accepted" never undoes "ready". */
const progress: Record<E.Order["status"], number> = {
  pending: 0,
  accepted: 1,
  preparing: 2,
  ready: 3,
  picked_up: 4,
  delivered: 5,
  denied: ENDED,
  cancelled: ENDED
}

/**
 * The order's customer: the restaurant's customer with this phone and this name, else a new one.
 * Marketplaces give a relay number shared by their eaters (Uber's phone with a phone code,
 * Deliveroo's contact number with an access code), so the phone alone would fold strangers into
 * one customer. Orders are applied side by side: the look-up and the creation are serialized per
 * phone, so two orders of one eater make one customer.
 */
const orderCustomer = (restaurantId: RestaurantId, name: string, phone: string | undefined) =>
  Effect.gen(function*() {
    const number = trimmedContact({ phone }).phone
    if (number === undefined) return null
    const customers = yield* CustomerRepository
    yield* Effect.flatMap(Transactor, (transactor) => transactor.serialize(`customer:${restaurantId}:${number}`))
    const found = yield* customers.findByContact(restaurantId, { phone: number })
    const same = found.find((c) => c.phone === number && tagKey(c.name) === tagKey(name))
    if (same !== undefined) return same.id
    const input = yield* decodeInbound(E.customer.Create, { restaurantId, name, phone: number })
    return (yield* customers.create(input)).id
  })

/** Applies one marketplace order event: a new order is created once; status changes move it forward. */
export const applyOrderEvent = (
  config: PlatformConfigWithSecrets,
  event: WebhookEvent,
  dto: OrderSyncDTO | undefined
) =>
  Effect.gen(function*() {
    const orders = yield* OrderRepository
    const mappings = yield* MappingRepository
    const platform: Platform = config.platform
    const restaurantId = config.restaurantId
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const outcome = (
      status: Outcome["status"],
      action: Outcome["action"],
      entityId: string | null,
      errorMessage?: string
    ): Outcome => ({
      status,
      action,
      entityId,
      externalId: event.externalId,
      requestPayload: event.rawPayload,
      ...(errorMessage === undefined ? {} : { errorMessage })
    })
    const mapping = yield* mappings.findByExternal(restaurantId, platform, "order", event.externalId)

    if (Option.isNone(mapping)) {
      if (dto === undefined) {
        return outcome("skipped", "create", null, "unknown order and no order data to create it from")
      }
      const customerId = yield* orderCustomer(restaurantId, dto.customerName, dto.customerPhone)
      const input = yield* decodeInbound(E.order.Create, {
        restaurantId,
        type: dto.type,
        // A cancellation can overtake the order's own notification: the order is created
        // cancelled, so the late notification finds it and cannot bring it back as pending.
        status: event.eventType === "order.cancelled" ? "cancelled" : dto.status,
        source: platform,
        customerId,
        customerName: dto.customerName,
        customerPhone: dto.customerPhone ?? null,
        items: dto.items,
        total: dto.total,
        currency: dto.currency,
        deliveryAddress: dto.deliveryAddress === undefined
          ? null
          : {
            ...dto.deliveryAddress,
            country: dto.deliveryAddress.country ?? null,
            instructions: dto.deliveryAddress.instructions ?? null
          },
        scheduledFor: dto.scheduledFor ?? null,
        notes: dto.notes ?? null
      })
      const created = yield* orders.create(input)
      yield* mappings.upsert({
        restaurantId,
        entityType: "order",
        entityId: created.id,
        platform,
        externalId: event.externalId,
        externalSecondaryId: dto.displayId ?? null,
        syncStatus: "synced",
        syncedAt: now
      })
      return outcome("success", "create", created.id)
    }

    const local = yield* orders.get(mapping.value.entityId).pipe(Effect.orDie)
    const next = event.eventType === "order.cancelled" ? "cancelled" : dto?.status
    if (next === undefined || next === local.status) {
      return outcome("skipped", "status_change", local.id, "no change (echo or duplicate)")
    }
    if (progress[next] < progress[local.status]) {
      return outcome("skipped", "status_change", local.id, `${next} is behind the order's ${local.status}`)
    }
    // An ended order stays as it ended: Uber reports our cancel of a new order as DENIED.
    if (progress[local.status] === ENDED) {
      return outcome("skipped", "status_change", local.id, `the order has already ended ${local.status}`)
    }
    yield* orders.update(local.id, { status: next })
    return outcome("success", event.eventType === "order.cancelled" ? "cancel" : "status_change", local.id)
  })
