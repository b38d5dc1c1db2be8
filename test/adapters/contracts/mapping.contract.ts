import { assert, describe, layer } from "@effect/vitest"
import { Clock, Effect, Exit, type Layer, Option, TestClock } from "effect"
import { refKey } from "../../../src/domain/id-resolution.js"
import { type EntityType, ExternalId, type Platform, type RestaurantId } from "../../../src/domain/ids.js"
import { MappingRepository, type MappingUpsert } from "../../../src/ports/mapping-repository.js"
import { newRestaurant } from "./platform-config.contract.js"

const mapping = (
  restaurantId: RestaurantId,
  entityType: EntityType,
  platform: Platform,
  overrides: Partial<MappingUpsert> = {}
): MappingUpsert => ({
  restaurantId,
  entityType,
  entityId: crypto.randomUUID(),
  platform,
  externalId: `ext-${crypto.randomUUID().slice(0, 8)}`,
  syncStatus: "synced",
  syncedAt: "2030-03-01T10:00:00.000Z",
  ...overrides
})

/** The behaviour every MappingRepository shares, whatever stores it. */
export const mappingContract = (name: string, repositories: Layer.Layer<MappingRepository>) =>
  describe(`mapping repository (${name})`, () => {
    layer(repositories)((it) => {
      it.effect("upsert inserts, then replaces the twin of the same entity and platform", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const input = mapping(newRestaurant(), "reservation", "zenchef", {
            externalSecondaryId: "booking-7",
            externalRawData: { id: 7, tags: ["vip"] }
          })
          const created = yield* repo.upsert(input)
          assert.deepInclude(created, { ...input, externalId: ExternalId.make(input.externalId), syncStatus: "synced" })
          yield* TestClock.adjust("5 minutes")
          const updated = yield* repo.upsert({
            ...input,
            externalId: "ext-new",
            externalSecondaryId: undefined,
            externalRawData: undefined,
            syncStatus: "conflict",
            syncedAt: null
          })
          assert.deepStrictEqual(updated, {
            ...created,
            externalId: ExternalId.make("ext-new"),
            externalSecondaryId: null,
            externalRawData: null,
            syncStatus: "conflict",
            syncedAt: null,
            updatedAt: new Date(Date.parse(created.updatedAt) + 300_000).toISOString()
          })
          assert.deepStrictEqual(
            yield* repo.findByEntity("reservation", input.entityId, "zenchef"),
            Option.some(updated)
          )
          const onAnotherPlatform = yield* repo.upsert({ ...input, platform: "thefork" })
          assert.notStrictEqual(onAnotherPlatform.id, created.id)
        }))

      it.effect("raw data of the same external id merges key by key; null, a scalar or another external id replaces it", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const input = mapping(restaurantId, "reservation", "zenchef", {
            externalRawData: { lastEventAt: "2030-03-01T10:00:00.000Z", pushed: { partySize: 2 } }
          })
          yield* repo.upsert(input)
          const rawAfter = (m: MappingUpsert) =>
            repo.upsertMany([m]).pipe(
              Effect.zipRight(repo.findByEntity(m.entityType, m.entityId, m.platform)),
              Effect.map((found) => Option.getOrThrow(found).externalRawData)
            )
          const pushed = yield* repo.upsert({
            ...input,
            externalRawData: { pushed: { partySize: 4 }, pushedVersion: 3 }
          })
          assert.deepStrictEqual(pushed.externalRawData, {
            lastEventAt: "2030-03-01T10:00:00.000Z",
            pushed: { partySize: 4 },
            pushedVersion: 3
          })
          // The batch write merges the same way.
          assert.deepStrictEqual(
            yield* rawAfter({ ...input, externalRawData: { lastEventAt: "2030-03-02T10:00:00.000Z" } }),
            {
              lastEventAt: "2030-03-02T10:00:00.000Z",
              pushed: { partySize: 4 },
              pushedVersion: 3
            }
          )
          assert.deepStrictEqual(
            yield* rawAfter({ ...input, externalId: "ext-recreated", externalRawData: { pushedVersion: 5 } }),
            { pushedVersion: 5 },
            "a booking made again on the platform starts afresh"
          )
          assert.strictEqual(
            yield* rawAfter({ ...input, externalId: "ext-recreated", externalRawData: "accepted" }),
            "accepted"
          )
          assert.deepStrictEqual(
            yield* rawAfter({ ...input, externalId: "ext-recreated", externalRawData: { pushedStatus: "accepted" } }),
            { pushedStatus: "accepted" }
          )
          assert.isNull(yield* rawAfter({ ...input, externalId: "ext-recreated", externalRawData: null }))
        }))

      it.effect("finds a twin by local id, and by external id within the restaurant", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const stored = yield* repo.upsert(mapping(restaurantId, "table", "thefork", { externalId: "12" }))
          assert.deepStrictEqual(
            yield* repo.findByExternal(restaurantId, "thefork", "table", "12"),
            Option.some(stored)
          )
          assert.isTrue(Option.isNone(yield* repo.findByExternal(newRestaurant(), "thefork", "table", "12")))
          assert.isTrue(Option.isNone(yield* repo.findByExternal(restaurantId, "zenchef", "table", "12")))
          assert.isTrue(Option.isNone(yield* repo.findByExternal(restaurantId, "thefork", "dining_room", "12")))
          assert.isTrue(Option.isNone(yield* repo.findByEntity("table", stored.entityId, "zenchef")))
          assert.isTrue(Option.isNone(yield* repo.findByEntity("dining_room", stored.entityId, "thefork")))
        }))

      it.effect("a platform id is unique per restaurant and entity type, so another restaurant may reuse it", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          yield* repo.upsert(mapping(restaurantId, "table", "sevenrooms", { externalId: "1" }))
          yield* repo.upsert(mapping(restaurantId, "dining_room", "sevenrooms", { externalId: "1" }))
          yield* repo.upsert(mapping(newRestaurant(), "table", "sevenrooms", { externalId: "1" }))
          const clash = yield* Effect.exit(
            repo.upsert(mapping(restaurantId, "table", "sevenrooms", { externalId: "1" }))
          )
          assert.isTrue(Exit.isFailure(clash) && Exit.causeOption(clash).pipe(Option.exists((c) => c._tag === "Die")))
          const page = yield* repo.list({ restaurantId, limit: 10, offset: 0 })
          assert.strictEqual(page.total, 2)
        }))

      it.effect("resolves local ids to platform ids in one call, keyed by refKey", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const room = yield* repo.upsert(mapping(restaurantId, "dining_room", "zenchef"))
          const tables = yield* Effect.forEach([1, 2, 3], () => repo.upsert(mapping(restaurantId, "table", "zenchef")))
          const offer = yield* repo.upsert(mapping(restaurantId, "offer", "thefork", { entityId: room.entityId }))
          const found = yield* repo.externalIdsOf("zenchef", [
            { entityType: "dining_room", entityId: room.entityId },
            ...tables.map((t) => ({ entityType: "table" as const, entityId: t.entityId })),
            // Same id, other entity type: not the room.
            { entityType: "offer", entityId: room.entityId },
            { entityType: "table", entityId: crypto.randomUUID() }
          ])
          assert.deepStrictEqual(
            found,
            new Map([
              [refKey("dining_room", room.entityId), room.externalId],
              ...tables.map((t) => [refKey("table", t.entityId), t.externalId] as const)
            ])
          )
          assert.deepStrictEqual(yield* repo.externalIdsOf("zenchef", []), new Map())
          assert.deepStrictEqual(
            yield* repo.externalIdsOf("thefork", [{ entityType: "offer", entityId: room.entityId }]),
            new Map([[refKey("offer", room.entityId), offer.externalId]])
          )
        }))

      it.effect("resolves platform ids to local ids in one call, within the restaurant", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const service = yield* repo.upsert(mapping(restaurantId, "dining_service", "thefork", { externalId: "S1" }))
          const table = yield* repo.upsert(mapping(restaurantId, "table", "thefork", { externalId: "S1" }))
          yield* repo.upsert(mapping(newRestaurant(), "offer", "thefork", { externalId: "O1" }))
          yield* repo.upsert(mapping(restaurantId, "offer", "zenchef", { externalId: "O1" }))
          const found = yield* repo.localIdsOf(restaurantId, "thefork", [
            { entityType: "dining_service", externalId: "S1" },
            { entityType: "table", externalId: "S1" },
            { entityType: "offer", externalId: "O1" },
            { entityType: "dining_room", externalId: "S1" }
          ])
          assert.deepStrictEqual(
            found,
            new Map([[refKey("dining_service", "S1"), service.entityId], [refKey("table", "S1"), table.entityId]])
          )
          assert.deepStrictEqual(yield* repo.localIdsOf(restaurantId, "thefork", []), new Map())
        }))

      it.effect("upsertMany stores each mapping as upsert would, raw data as JSON and absent details as null", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const full = mapping(restaurantId, "reservation", "zenchef", {
            externalSecondaryId: "booking-7",
            externalRawData: {
              id: 7,
              tags: ["vip", "terrasse"],
              guest: { name: "Ana Ruiz", covers: 4 },
              paid: false,
              deposit: null
            }
          })
          const bare = mapping(restaurantId, "customer", "thefork", { syncStatus: "pending", syncedAt: null })
          const scalar = mapping(restaurantId, "order", "ubereats", { externalRawData: "accepted" })
          yield* TestClock.adjust("1 hour")
          const now = new Date(yield* Clock.currentTimeMillis).toISOString()
          yield* repo.upsertMany([full, bare, scalar])
          yield* repo.upsertMany([])
          const stored = (m: MappingUpsert) =>
            Effect.map(repo.findByEntity(m.entityType, m.entityId, m.platform), Option.getOrThrow)
          for (
            const [input, details] of [
              [full, {}],
              [bare, { externalSecondaryId: null, externalRawData: null }],
              [scalar, { externalSecondaryId: null }]
            ] as const
          ) {
            const row = yield* stored(input)
            assert.match(row.id, /^[0-9a-f-]{36}$/)
            assert.deepStrictEqual(
              row,
              { ...input, ...details, id: row.id, createdAt: now, updatedAt: now },
              input.entityType
            )
          }
        }))

      it.effect("upsertMany: of several upserts of one local record the last wins; existing rows are updated in place", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const first = mapping(restaurantId, "reservation", "zenchef", {
            externalSecondaryId: "b-1",
            externalRawData: { v: 1 }
          })
          const existing = yield* repo.upsert(first)
          const fresh = mapping(restaurantId, "table", "zenchef", { externalId: "T-1" })
          yield* TestClock.adjust("5 minutes")
          yield* repo.upsertMany([
            { ...first, externalId: "ext-2", externalRawData: { v: 2 } },
            fresh,
            { ...fresh, externalId: "T-2", externalRawData: ["second"] },
            {
              ...first,
              externalId: "ext-3",
              externalSecondaryId: undefined,
              externalRawData: undefined,
              syncStatus: "conflict",
              syncedAt: null
            },
            { ...fresh, externalId: "T-3", externalRawData: ["third"], syncStatus: "pending" }
          ])
          const updated = Option.getOrThrow(yield* repo.findByEntity("reservation", existing.entityId, "zenchef"))
          assert.deepStrictEqual(updated, {
            ...existing,
            externalId: ExternalId.make("ext-3"),
            externalSecondaryId: null,
            externalRawData: null,
            syncStatus: "conflict",
            syncedAt: null,
            updatedAt: new Date(Date.parse(existing.updatedAt) + 300_000).toISOString()
          })
          const inserted = Option.getOrThrow(yield* repo.findByEntity("table", fresh.entityId, "zenchef"))
          assert.deepInclude(inserted, {
            externalId: ExternalId.make("T-3"),
            externalRawData: ["third"],
            syncStatus: "pending"
          })
          for (const externalId of [existing.externalId, "ext-2", "T-1", "T-2"]) {
            assert.isTrue(
              Option.isNone(yield* repo.findByExternal(restaurantId, "zenchef", "table", externalId)),
              externalId
            )
            assert.isTrue(
              Option.isNone(yield* repo.findByExternal(restaurantId, "zenchef", "reservation", externalId)),
              externalId
            )
          }
          assert.strictEqual((yield* repo.list({ restaurantId, limit: 10, offset: 0 })).total, 2)
        }))

      it.effect("findManyByExternal finds the mappings of all the keys, each within its restaurant, platform and entity type", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const [here, there] = [newRestaurant(), newRestaurant()]
          const booking = yield* repo.upsert(
            mapping(here, "reservation", "zenchef", { externalId: "R1", externalRawData: { id: "R1" } })
          )
          const guest = yield* repo.upsert(mapping(here, "customer", "zenchef", { externalId: "C1" }))
          const thereBooking = yield* repo.upsert(mapping(there, "reservation", "thefork", { externalId: "R2" }))
          // The same external ids under another restaurant, platform or entity type than asked for.
          yield* repo.upsert(mapping(there, "reservation", "zenchef", { externalId: "R1" }))
          yield* repo.upsert(mapping(here, "reservation", "thefork", { externalId: "R1" }))
          yield* repo.upsert(mapping(here, "customer", "zenchef", { externalId: "R1" }))
          yield* repo.upsert(mapping(here, "reservation", "thefork", { externalId: "R2" }))
          yield* repo.upsert(mapping(there, "customer", "zenchef", { externalId: "C1" }))
          const found = yield* repo.findManyByExternal([
            { restaurantId: here, platform: "zenchef", entityType: "reservation", externalId: "R1" },
            { restaurantId: here, platform: "zenchef", entityType: "customer", externalId: "C1" },
            { restaurantId: there, platform: "thefork", entityType: "reservation", externalId: "R2" },
            { restaurantId: here, platform: "zenchef", entityType: "reservation", externalId: "unknown" }
          ])
          assert.sameDeepMembers([...found], [booking, guest, thereBooking])
          assert.deepStrictEqual(yield* repo.findManyByExternal([]), [])
        }))

      it.effect("removeForEntity removes a local record's mappings on every platform, and no other's", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const onZenchef = mapping(restaurantId, "dining_room", "zenchef")
          const onSevenRooms = mapping(restaurantId, "dining_room", "sevenrooms", { entityId: onZenchef.entityId })
          const other = mapping(restaurantId, "dining_room", "zenchef")
          yield* Effect.forEach([onZenchef, onSevenRooms, other], (m) => repo.upsert(m))
          assert.strictEqual(
            yield* repo.removeForEntity({ entityType: "dining_room", entityId: onZenchef.entityId }),
            2
          )
          const left = yield* repo.localIdsOf(restaurantId, "zenchef", [
            { entityType: "dining_room", externalId: onZenchef.externalId },
            { entityType: "dining_room", externalId: other.externalId }
          ])
          assert.deepStrictEqual([...left.values()], [other.entityId])
          assert.isTrue(Option.isNone(yield* repo.findByEntity("dining_room", onZenchef.entityId, "sevenrooms")))
          assert.strictEqual(
            yield* repo.removeForEntity({ entityType: "dining_room", entityId: onZenchef.entityId }),
            0
          )
        }))

      it.effect("lists with filters and pagination, in a stable order", () =>
        Effect.gen(function*() {
          const repo = yield* MappingRepository
          const restaurantId = newRestaurant()
          const entityId = crypto.randomUUID()
          const zenchef = yield* repo.upsert(mapping(restaurantId, "reservation", "zenchef", { entityId }))
          const thefork = yield* repo.upsert(mapping(restaurantId, "reservation", "thefork", { entityId }))
          const table = yield* repo.upsert(mapping(restaurantId, "table", "zenchef"))
          yield* repo.upsert(mapping(newRestaurant(), "reservation", "zenchef"))
          const all = yield* repo.list({ restaurantId, limit: 10, offset: 0 })
          assert.deepStrictEqual(all.items.map((m) => m.id), [thefork.id, zenchef.id, table.id])
          const page = yield* repo.list({ restaurantId, limit: 1, offset: 1 })
          assert.deepStrictEqual([page.total, page.limit, page.offset, page.items], [3, 1, 1, [zenchef]])
          const byPlatform = yield* repo.list({ restaurantId, platform: "zenchef", limit: 10, offset: 0 })
          assert.deepStrictEqual(byPlatform.items.map((m) => m.id), [zenchef.id, table.id])
          const byEntity = yield* repo.list({ entityType: "reservation", entityId, limit: 10, offset: 0 })
          assert.deepStrictEqual([byEntity.total, byEntity.items.map((m) => m.id)], [2, [thefork.id, zenchef.id]])
          const past = yield* repo.list({ restaurantId, entityType: "table", limit: 10, offset: 3 })
          assert.deepStrictEqual([past.total, past.items], [1, []])
        }))
    })
  })
