import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { masterMenuRead, pullMasterMenu } from "../../../src/app/sync/inbound-menu.js"
import { menuItemDtoOf } from "../../../src/app/sync/outbound-menu.js"
import type { MenuItemSyncDTO } from "../../../src/domain/dtos.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import type { PlatformConnector } from "../../../src/ports/connector-capabilities.js"
import { MenuItemRepository } from "../../../src/ports/entity-repository.js"
import { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { restaurantOn } from "../../adapters/contracts/sync-job-queue.fixtures.js"
import { makeTestApp } from "../../support/app.js"
import { linkOn } from "../../support/mappings.js"
import { samples } from "../../support/samples.js"

const createItem = (restaurantId: RestaurantId, name: string, price: number) =>
  Effect.flatMap(
    MenuItemRepository,
    (items) =>
      items.create(Schema.decodeUnknownSync(E.menuItem.Create)({ ...samples.menuItem(restaurantId), name, price }))
  )

/** The platform's copy of a local item, as its menu read returns it. */
const onPlatform = (localId: string, item: E.MenuItem, price = item.price): MenuItemSyncDTO => ({
  ...menuItemDtoOf(item),
  localId,
  price
})

const menuOf = (items: ReadonlyArray<MenuItemSyncDTO>): PlatformConnector => ({
  platform: "ubereats",
  authenticate: () => Effect.void,
  availability: () => Effect.succeed([]),
  menu: {
    pull: () => Effect.succeed({ categories: [], items, offers: [] }),
    push: () => Effect.succeed({ unpublishedOffers: [] })
  }
})

/** Counts the reads of one record at a time that a pull makes, the repositories otherwise as they are. */
const countingReads = Effect.gen(function*() {
  const items = yield* MenuItemRepository
  const mappings = yield* MappingRepository
  const reads = { itemGet: 0, itemGetMany: 0, mappingByExternal: 0, mappingLocalIds: 0 }
  const counted = <A>(name: keyof typeof reads, read: A): A => {
    reads[name]++
    return read
  }
  const spyItems: typeof items = {
    ...items,
    get: (id, within) => counted("itemGet", items.get(id, within)),
    getMany: (ids) => counted("itemGetMany", items.getMany(ids))
  }
  const spyMappings: typeof mappings = {
    ...mappings,
    findByExternal: (...args) => counted("mappingByExternal", mappings.findByExternal(...args)),
    localIdsOf: (...args) => counted("mappingLocalIds", mappings.localIdsOf(...args))
  }
  return {
    reads,
    run: <A, E, R>(work: Effect.Effect<A, E, R>) =>
      work.pipe(
        Effect.provideService(MenuItemRepository, spyItems),
        Effect.provideService(MappingRepository, spyMappings)
      )
  }
})

describe("reading a master platform's menu, on PostgreSQL", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.effect("reads its mappings and local items together, not once per pulled item, and lists a twice-listed item once", () =>
      Effect.gen(function*() {
        const restaurantId = yield* restaurantOn(["ubereats"], ["menu_item"])
        const tartare = yield* createItem(restaurantId, "Tartare", 18)
        const chablis = yield* createItem(restaurantId, "Chablis", 9)
        const tatin = yield* createItem(restaurantId, "Tarte Tatin", 9.5)
        const gone = yield* createItem(restaurantId, "Soupe", 7)
        yield* linkOn(restaurantId, "menu_item", tartare.id, "ue-tartare", "ubereats")
        yield* linkOn(restaurantId, "menu_item", chablis.id, "ue-chablis", "ubereats")
        yield* linkOn(restaurantId, "menu_item", gone.id, "ue-soupe", "ubereats")
        const dessert = { ...onPlatform("ue-new", tatin), name: "Île flottante" }
        const pulled = [
          onPlatform("ue-tartare", tartare, 21.5), // its price changed there
          onPlatform("ue-chablis", chablis),
          onPlatform(tatin.id, tatin), // a platform that keeps our ids
          dessert, // new there
          { ...dessert, price: 8 } // listed again: the item just created, changed
        ]

        const { reads, run } = yield* countingReads
        const counts = yield* run(pullMasterMenu(restaurantId, "ubereats", menuOf(pulled)))

        assert.deepStrictEqual(counts, { created: 1, updated: 2, unchanged: 2, withdrawn: 1, refused: [] })
        assert.deepStrictEqual(reads, { itemGet: 0, itemGetMany: 2, mappingByExternal: 0, mappingLocalIds: 1 })
        const items = yield* MenuItemRepository
        assert.strictEqual((yield* items.get(tartare.id)).price, 21.5)
        assert.isFalse((yield* items.get(gone.id)).isAvailable)
        const created = (yield* items.list({ restaurantId, limit: 50, offset: 0 })).items.filter((i) =>
          i.name === "Île flottante"
        )
        assert.deepStrictEqual(created.map((i) => i.price), [8])
        const mapped = yield* (yield* MappingRepository).findByExternal(restaurantId, "ubereats", "menu_item", "ue-new")
        assert.strictEqual(mapped._tag === "Some" ? mapped.value.entityId : undefined, created[0]!.id)
      }))

    it.effect("writes the items this side's rules take and names the others, leaving them as they were here", () =>
      Effect.gen(function*() {
        const restaurantId = yield* restaurantOn(["ubereats"], ["menu_item"])
        const tartare = yield* createItem(restaurantId, "Tartare", 18)
        yield* linkOn(restaurantId, "menu_item", tartare.id, "ue-tartare", "ubereats")
        const dessert = { ...onPlatform("ue-dessert", tartare), name: "  Île flottante ", price: 8 }
        const pulled = [
          onPlatform("ue-tartare", tartare, -3), // a price no menu here may have
          { ...onPlatform("ue-blank", tartare), name: "   " },
          { ...onPlatform("ue-eur", tartare), name: "Chablis", currency: "eur" },
          dessert
        ]

        const first = yield* pullMasterMenu(restaurantId, "ubereats", menuOf(pulled))

        assert.deepStrictEqual(first, {
          created: 1,
          updated: 0,
          unchanged: 0,
          withdrawn: 0,
          refused: [
            { externalId: "ue-tartare", name: "Tartare", issues: "price: Expected a non-negative number" },
            { externalId: "ue-blank", name: "   ", issues: "name: must not be empty" },
            { externalId: "ue-eur", name: "Chablis", issues: "currency: must be an ISO 4217 code such as EUR" }
          ]
        })
        const items = yield* MenuItemRepository
        assert.deepInclude(yield* items.get(tartare.id), { price: 18, isAvailable: true })
        const all = (yield* items.list({ restaurantId, limit: 50, offset: 0 })).items
        assert.deepStrictEqual(all.map((i) => i.name).sort(), ["Tartare", "Île flottante"])
        const mappings = yield* MappingRepository
        for (const externalId of ["ue-blank", "ue-eur"]) {
          const found = yield* mappings.findByExternal(restaurantId, "ubereats", "menu_item", externalId)
          assert.isTrue(found._tag === "None", `${externalId} is not mapped`)
        }
        const read = masterMenuRead(first, "ubereats")
        assert.strictEqual(read.status, "success")
        assert.include(read.errorMessage, "3 items of ubereats's menu not written here: Tartare (price:")

        // The same menu again: the trimmed name is the one stored, so nothing is written twice; what
        // is still refused makes the read a failure, by name.
        const again = yield* pullMasterMenu(restaurantId, "ubereats", menuOf(pulled))
        assert.deepInclude(again, { created: 0, updated: 0, unchanged: 1, withdrawn: 0 })
        assert.strictEqual(again.refused.length, 3)
        assert.strictEqual(masterMenuRead(again, "ubereats").status, "failed")
        assert.strictEqual(masterMenuRead({ ...again, refused: [] }, "ubereats").status, "skipped")
      }))
  })
})
