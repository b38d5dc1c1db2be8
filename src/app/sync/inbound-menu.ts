import { Clock, Effect, Option, Schema } from "effect"
import type { MenuItemSyncDTO } from "../../domain/dtos.js"
import * as E from "../../domain/entities.js"
import type { Platform, RestaurantId } from "../../domain/ids.js"
import { withChangeOrigin } from "../../ports/change-feed.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { requireCapability } from "../../ports/connector-capabilities.js"
import { MenuItemRepository, Transactor } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import type { Outcome } from "./outcome.js"

const fieldsOf = (item: MenuItemSyncDTO) => ({
  name: item.name,
  description: item.description ?? null,
  price: item.price,
  currency: item.currency,
  category: item.category ?? null,
  allergens: item.allergens,
  options: item.options,
  isAvailable: item.isAvailable
})

const sameFields = (local: E.MenuItem, pulled: ReturnType<typeof fieldsOf>) =>
  (Object.keys(pulled) as Array<keyof typeof pulled>).every((key) =>
    JSON.stringify(local[key]) === JSON.stringify(pulled[key])
  )

/**
 * a platform master of the menu is never overwritten by our whole-menu upload; its menu is
 * read instead, and each of its items written here: the one it is mapped to (or the local item
 * whose id it carries, as the platforms that keep our ids do), else a new local item, mapped.
 * Offers stay as they are here: a platform's bundle is not one of our formulas.
 */
export const pullMasterMenu = (restaurantId: RestaurantId, platform: Platform, connector: PlatformConnector) =>
  Effect.gen(function*() {
    const menu = yield* requireCapability(connector, "menu")
    const pulled = yield* menu.pull()
    const items = yield* MenuItemRepository
    const mappings = yield* MappingRepository
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const counts = { created: 0, updated: 0, unchanged: 0 }
    const write = Effect.forEach(pulled.items, (item) =>
      Effect.gen(function*() {
        const mapped = yield* mappings.findByExternal(restaurantId, platform, "menu_item", item.localId)
        const localId = Option.match(mapped, { onNone: () => item.localId, onSome: (m) => m.entityId })
        const existing = Schema.is(E.menuItem.Entity.fields.id)(localId)
          ? yield* Effect.option(items.get(localId, [restaurantId]))
          : Option.none()
        const fields = fieldsOf(item)
        let local: E.MenuItem
        if (Option.isNone(existing)) {
          const input = yield* Schema.decodeUnknown(E.menuItem.Create)({ restaurantId, ...fields }).pipe(Effect.orDie)
          local = yield* items.create(input)
          counts.created++
        } else if (sameFields(existing.value, fields)) {
          local = existing.value
          counts.unchanged++
        } else {
          local = yield* items.update(existing.value.id, fields).pipe(Effect.orDie)
          counts.updated++
        }
        yield* mappings.upsert({
          restaurantId,
          entityType: "menu_item",
          entityId: local.id,
          platform,
          externalId: item.localId,
          externalRawData: null,
          syncStatus: "synced",
          syncedAt: now
        })
      }), { discard: true })
    yield* (yield* Transactor).withTransaction(write).pipe(withChangeOrigin(platform))
    return {
      status: "skipped",
      action: "push_menu",
      entityId: null,
      externalId: null,
      errorMessage: `${platform} is master of the menu: not overwritten; its menu was read instead`,
      responsePayload: counts
    } satisfies Outcome
  })
