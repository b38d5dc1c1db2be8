import { Clock, Effect, Either, Schema } from "effect"
import type { MenuItemSyncDTO } from "../../domain/dtos.js"
import * as E from "../../domain/entities.js"
import { refKey } from "../../domain/id-resolution.js"
import type { Platform, RestaurantId } from "../../domain/ids.js"
import { withChangeOrigin } from "../../ports/change-feed.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { requireCapability } from "../../ports/connector-capabilities.js"
import { MenuItemRepository, Transactor } from "../../ports/entity-repository.js"
import { MappingRepository, type MappingUpsert } from "../../ports/mapping-repository.js"
import { SyncJobQueue } from "../../ports/sync-job-queue.js"
import { allOfRestaurant, allPages } from "../paging.js"
import { checkInbound } from "./inbound-decode.js"
import { menuJobOf } from "./outbound-menu.js"
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

/** A pulled item as it would be stored here, or what in it breaks this side's rules (values left out). */
const checkedFields = (restaurantId: RestaurantId, item: MenuItemSyncDTO) =>
  Either.map(
    checkInbound(E.menuItem.Create, { restaurantId, ...fieldsOf(item) }),
    ({ restaurantId: _, ...fields }) => fields
  )

type ItemFields = Omit<typeof E.menuItem.Create.Type, "restaurantId">

const sameFields = (local: E.MenuItem, pulled: ItemFields) =>
  (Object.keys(pulled) as Array<keyof typeof pulled>).every((key) =>
    JSON.stringify(local[key]) === JSON.stringify(pulled[key])
  )

/** A platform's item that this side's rules refuse (an empty name, a negative price): not written. */
export interface RefusedItem {
  readonly externalId: string
  readonly name: string
  readonly issues: string
}

const NAMED = 5

/** What reading a master platform's menu did to the menu here. */
export interface MenuPull {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Items the platform held and no longer has: unavailable here. */
  readonly withdrawn: number
  /** Items left as they were here (or not created) because this side's rules refuse them. */
  readonly refused: ReadonlyArray<RefusedItem>
}

/** The restaurant's menu items the platform holds: read from it, or uploaded to it (`pushMenu`). */
const heldBy = (restaurantId: RestaurantId, platform: Platform) =>
  Effect.flatMap(
    MappingRepository,
    (mappings) => allPages((page) => mappings.list({ restaurantId, platform, entityType: "menu_item", ...page }))
  )

export const menuChanged = (pull: Pick<MenuPull, "created" | "updated" | "withdrawn">) =>
  pull.created + pull.updated + pull.withdrawn > 0

const refusedLine = (platform: Platform, refused: ReadonlyArray<RefusedItem>) => {
  if (refused.length === 0) return ""
  const listed = refused.slice(0, NAMED).map((item) => `${item.name || item.externalId} (${item.issues})`).join(", ")
  const more = refused.length > NAMED ? `, … (${refused.length} in all)` : ""
  return `${refused.length === 1 ? "1 item" : `${refused.length} items`} of ${platform}'s menu not written here: ` +
    listed + more
}

/**
 * R-7.1: a platform master of the menu is never overwritten by our whole-menu upload; its menu is
 * read instead, and each of its items written here: the one it is mapped to (or the local item
 * whose id it carries, as the platforms that keep our ids do), else a new local item, mapped.
 * Offers stay as they are here: a platform's bundle is not one of our formulas. A menu that
 * changed here goes on to the restaurant's other menu platforms, in the same transaction (R-5.7).
 */
export const pullMasterMenu = (restaurantId: RestaurantId, platform: Platform, connector: PlatformConnector) =>
  Effect.gen(function*() {
    const menu = yield* requireCapability(connector, "menu")
    const pulled = yield* menu.pull()
    const items = yield* MenuItemRepository
    const mappings = yield* MappingRepository
    const transactor = yield* Transactor
    const queue = yield* SyncJobQueue
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const counts = { created: 0, updated: 0, unchanged: 0, withdrawn: 0 }
    const refused: Array<RefusedItem> = []
    const isItemId = Schema.is(E.menuItem.Entity.fields.id)
    /** The restaurant's items among these ids, by id, in one query (another restaurant's are not found). */
    const itemsAmong = (ids: ReadonlyArray<string>) =>
      Effect.map(
        items.getMany([...new Set(ids.filter(isItemId))]),
        (rows) =>
          new Map<string, E.MenuItem>(
            rows.filter((row) => row.restaurantId === restaurantId).map((row) => [row.id, row])
          )
      )
    // The pulled items' mappings and local items are read together, not one pulled item at a time;
    // both maps follow the writes, so an item the platform lists twice is created once.
    const write = Effect.gen(function*() {
      // Keyed as `localIdsOf` keys them: the platform's id of each pulled item.
      const keyOf = (item: MenuItemSyncDTO) => refKey("menu_item", item.localId)
      const mapped = new Map(
        yield* mappings.localIdsOf(
          restaurantId,
          platform,
          pulled.items.map((item) => ({ entityType: "menu_item" as const, externalId: item.localId }))
        )
      )
      const localIdOf = (item: MenuItemSyncDTO) => mapped.get(keyOf(item)) ?? item.localId
      const known = yield* itemsAmong(pulled.items.map(localIdOf))
      const links: Array<MappingUpsert> = []
      for (const item of pulled.items) {
        const checked = checkedFields(restaurantId, item)
        // One item this side cannot hold does not keep the rest of the menu out.
        if (Either.isLeft(checked)) {
          refused.push({ externalId: item.localId, name: item.name, issues: checked.left })
          continue
        }
        const fields = checked.right
        const existing = known.get(localIdOf(item))
        let local: E.MenuItem
        if (existing === undefined) {
          local = yield* items.create({ restaurantId, ...fields })
          counts.created++
        } else if (sameFields(existing, fields)) {
          local = existing
          counts.unchanged++
        } else {
          local = yield* items.update(existing.id, fields).pipe(Effect.orDie)
          counts.updated++
        }
        mapped.set(keyOf(item), local.id)
        known.set(local.id, local)
        links.push({
          restaurantId,
          entityType: "menu_item",
          entityId: local.id,
          platform,
          externalId: item.localId,
          externalRawData: null,
          syncStatus: "synced",
          syncedAt: now
        })
      }
      // Every pulled item's mapping in one statement, before the withdrawal reads them.
      yield* mappings.upsertMany(links)
    })
    // An item the platform's menu had (it is mapped there) and has no more is off its menu: it is
    // made unavailable here, not deleted, so the orders that name it keep it and it can come back.
    // An empty menu is taken for a platform's mishap, not the merchant emptying it: nothing goes.
    const withdraw = Effect.gen(function*() {
      if (pulled.items.length === 0) return
      const onMenu = new Set(pulled.items.map((item) => item.localId))
      const gone = (yield* heldBy(restaurantId, platform)).filter((m) => !onMenu.has(m.externalId))
      const local = yield* itemsAmong(gone.map((m) => m.entityId))
      for (const mapping of gone) {
        const item = local.get(mapping.entityId)
        if (item === undefined || !item.isAvailable) continue
        yield* items.update(item.id, { isAvailable: false }).pipe(Effect.orDie)
        local.set(item.id, { ...item, isAvailable: false })
        counts.withdrawn++
      }
    })
    // Two pulls of one menu at once (a poll, a local edit's job) would each create its new items.
    const job = menuJobOf("menu_item", restaurantId)!
    yield* transactor.withTransaction(
      transactor.serialize(job.entityId).pipe(
        Effect.zipRight(write),
        Effect.zipRight(withdraw),
        Effect.zipRight(
          Effect.suspend(() =>
            menuChanged(counts) ? queue.enqueueRelay(restaurantId, job.entityType, job.entityId, platform) : Effect.void
          )
        )
      )
    ).pipe(withChangeOrigin(platform))
    return { ...counts, refused } satisfies MenuPull
  })

/**
 * The available items here that the platform's menu never had (created here since it became
 * master): they stay here and on the other menu platforms, and the line says so, by name.
 */
const onlyHere = (restaurantId: RestaurantId, platform: Platform) =>
  Effect.gen(function*() {
    const mapped = new Set((yield* heldBy(restaurantId, platform)).map((m) => m.entityId))
    const all = yield* allOfRestaurant(yield* MenuItemRepository, restaurantId)
    return all.filter((item) => item.isAvailable && !mapped.has(item.id)).map((item) => item.name)
  })

const notOnMaster = (platform: Platform, names: ReadonlyArray<string>) => {
  if (names.length === 0) return ""
  const listed = names.slice(0, NAMED).join(", ") + (names.length > NAMED ? `, … (${names.length} in all)` : "")
  const one = names.length === 1
  return `; ${one ? "1 item" : `${names.length} items`} created here ${
    one ? "is" : "are"
  } not on its menu (${listed}): ` +
    `add ${one ? "it" : "them"} on ${platform}, whose menu an upload from here would replace whole`
}

/**
 * A local menu edit's job, on a platform master of the menu: nothing uploaded, its menu read. A
 * marketplace takes a menu only whole, and ours would replace what we do not hold of its own
 * (photos, its bundles): an item created here is not added to it, and the line names it.
 */
export const masterMenuKept = (restaurantId: RestaurantId, platform: Platform, connector: PlatformConnector) =>
  Effect.gen(function*() {
    const counts = yield* pullMasterMenu(restaurantId, platform, connector)
    const names = yield* onlyHere(restaurantId, platform)
    return {
      status: "skipped",
      action: "push_menu",
      entityId: null,
      externalId: null,
      errorMessage: `${platform} is master of the menu: not overwritten; its menu was read instead` +
        notOnMaster(platform, names) + (counts.refused.length > 0 ? `; ${refusedLine(platform, counts.refused)}` : ""),
      responsePayload: counts
    } satisfies Outcome
  })

/**
 * The master's menu read on its own account (a poll, the platform's request): said as an inbound
 * line. Refused items make it a failure when nothing else was written, and are named either way.
 */
export const masterMenuRead = (pull: MenuPull, platform: Platform): Omit<Outcome, "externalId"> => {
  const changed = menuChanged(pull)
  const refused = refusedLine(platform, pull.refused)
  return {
    status: changed ? "success" : refused !== "" ? "failed" : "skipped",
    action: "pull_menu",
    entityId: null,
    responsePayload: pull,
    ...(refused !== ""
      ? { errorMessage: refused }
      : changed
      ? {}
      : { errorMessage: `${platform}'s menu is the one here: nothing to write` })
  }
}
