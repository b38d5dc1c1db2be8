import { Clock, Effect } from "effect"
import type { MenuItemSyncDTO, MenuSyncDTO } from "../../domain/dtos.js"
import type { MenuItem, Offer } from "../../domain/entities.js"
import type { EntityType, RestaurantId } from "../../domain/ids.js"
import { isMenuPart } from "../../domain/push-fan-out.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { requireCapability } from "../../ports/connector-capabilities.js"
import { MenuItemRepository, OfferRepository } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { SyncLogRepository } from "../../ports/sync-log-repository.js"
import { allOfRestaurant } from "../paging.js"
import type { Outcome } from "./outcome.js"

/**
 * Menu pushes are whole-menu replaces on the delivery platforms, so every menu change of a
 * restaurant (an item or an offer) is one job: a burst of edits becomes one upload. Pending pushes
 * coalesce on (platform, entity type, entity id), so the job has one entity type for items and
 * offers alike, and a key naming the restaurant: a shared key would fold another restaurant's
 * change into this one's job, and its menu would never be uploaded.
 */
export const menuJobOf = (
  entityType: EntityType,
  restaurantId: string
): { readonly entityType: EntityType; readonly entityId: string } | undefined =>
  isMenuPart(entityType) ? { entityType: "menu_item", entityId: `menu:${restaurantId}` } : undefined

/** A menu item as a platform's menu carries it, named by its local id. */
export const menuItemDtoOf = (item: MenuItem): MenuItemSyncDTO => ({
  localId: item.id,
  name: item.name,
  ...(item.description === null ? {} : { description: item.description }),
  price: item.price,
  currency: item.currency,
  ...(item.category === null ? {} : { category: item.category }),
  allergens: item.allergens,
  options: item.options,
  isAvailable: item.isAvailable
})

const toMenu = (items: ReadonlyArray<MenuItem>, offers: ReadonlyArray<Offer>): MenuSyncDTO => {
  const itemPrice = new Map(items.map((item) => [item.id, item.price]))
  // A formula costs what the offer says, else what its linked menu item costs.
  const priceOf = (offer: Offer) => {
    const price = offer.price ?? (offer.menuItemId === null ? undefined : itemPrice.get(offer.menuItemId))
    return price === undefined ? {} : { price }
  }
  const categories = new Map<string, Array<string>>()
  for (const item of items) {
    const name = item.category ?? "Menu"
    categories.set(name, [...(categories.get(name) ?? []), item.id])
  }
  return {
    categories: [...categories].map(([name, itemLocalIds]) => ({ name, itemLocalIds })),
    items: items.map(menuItemDtoOf),
    offers: offers.filter((offer) => offer.isActive).map((offer) => ({
      localId: offer.id,
      name: offer.name,
      ...(offer.description === null ? {} : { description: offer.description }),
      type: offer.type,
      ...(offer.discountPercent === null ? {} : { discountPercent: offer.discountPercent }),
      ...(offer.menuItemId === null ? {} : { menuItemLocalId: offer.menuItemId }),
      ...(offer.startDate === null ? {} : { startDate: offer.startDate }),
      ...(offer.endDate === null ? {} : { endDate: offer.endDate }),
      ...(offer.minPartySize === null ? {} : { minPartySize: offer.minPartySize }),
      ...(offer.maxPartySize === null ? {} : { maxPartySize: offer.maxPartySize }),
      isActive: offer.isActive,
      ...priceOf(offer),
      steps: offer.steps.map((step) => ({ name: step.name, itemLocalIds: step.menuItemIds }))
    }))
  }
}

/** Uploads the restaurant's whole current menu (items, options, allergens, categories, offers). */
export const pushMenu = (restaurantId: RestaurantId, connector: PlatformConnector) =>
  Effect.gen(function*() {
    const menu = yield* requireCapability(connector, "menu")
    const itemsRepo = yield* MenuItemRepository
    const offersRepo = yield* OfferRepository
    const items = yield* allOfRestaurant(itemsRepo, restaurantId)
    const offers = yield* allOfRestaurant(offersRepo, restaurantId)
    const dto = toMenu(items, offers)
    const { unpublishedOffers } = yield* menu.push(dto)
    // The platform now holds these items, under our ids: should it become master of the menu, an
    // item it then drops is known to have been its own (see `pullMasterMenu`).
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    yield* (yield* MappingRepository).upsertMany(dto.items.map((item) => ({
      restaurantId,
      entityType: "menu_item",
      entityId: item.localId,
      platform: connector.platform,
      externalId: item.localId,
      externalRawData: null,
      syncStatus: "synced",
      syncedAt: now
    })))
    // An offer the platform has no place for is said so in the log, never dropped in silence.
    yield* (yield* SyncLogRepository).appendMany(unpublishedOffers.map((offer) => ({
      restaurantId,
      entityType: "offer",
      entityId: offer.localId,
      platform: connector.platform,
      externalId: null,
      direction: "outbound",
      action: "push_menu",
      status: "skipped",
      errorMessage: offer.reason
    })))
    return {
      status: "success",
      action: "push_menu",
      entityId: null,
      externalId: null,
      requestPayload: {
        items: dto.items.length,
        offers: dto.offers.length,
        formulas: dto.offers.length - unpublishedOffers.length,
        categories: dto.categories.length
      }
    } satisfies Outcome
  })
