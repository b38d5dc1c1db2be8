import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import { ChangeLogSql } from "../../../src/adapters/sql/change-feed.js"
import { EntityRepositoriesSql } from "../../../src/adapters/sql/entity-repositories.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import * as P from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { decodeCreate, samples } from "../../support/samples.js"

const repositories = EntityRepositoriesSql.pipe(Layer.provide(ChangeLogSql), Layer.provideMerge(TestDatabaseLive))

const restaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}` as RestaurantId

/** The change-log entries of one record, oldest first, as stored. */
const entriesOf = (entityId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ action: string; version: number | null; occurredAt: string; record: unknown }>`
      SELECT action, version, occurred_at, record FROM change_log WHERE entity_id = ${entityId} ORDER BY sequence`
  )

const pendingPushes = (entityId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ platform: string }>`
      SELECT platform FROM sync_jobs WHERE entity_id = ${entityId} AND direction = 'outbound' AND status = 'pending'
      ORDER BY platform`
  )

const subscribe = (restaurantId: string, platform: string, entityTypes: ReadonlyArray<string>) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql`INSERT INTO sync_platform_configs (id, restaurant_id, platform, external_restaurant_id, credentials, master_for, sync_entities, supports_webhook)
      VALUES (${crypto.randomUUID()}, ${restaurantId}, ${platform}, ${`ext-${restaurantId}`}, '{}', '[]', ${
        JSON.stringify(entityTypes)
      }, false)`
  )

// The record PostgreSQL builds in the write's statement must be the entity as it reads back:
// the same fields, instants in JavaScript's ISO form, amounts as numbers.
const cases: ReadonlyArray<{
  readonly name: string
  readonly tag: Effect.Effect<P.EntityRepository<{ id: string }, unknown, object>, never, never>
  readonly kind: keyof typeof samples
  readonly patch: object
}> = [
  {
    name: "dining service",
    tag: P.DiningServiceRepository as never,
    kind: "diningService",
    patch: { maxCovers: 60, dayOfWeek: [1, 7] }
  },
  {
    name: "offer",
    tag: P.OfferRepository as never,
    kind: "offer",
    patch: { startDate: "2030-01-01", price: 42.1 }
  },
  {
    name: "dining room",
    tag: P.DiningRoomRepository as never,
    kind: "diningRoom",
    patch: { capacity: 80 }
  },
  {
    name: "table",
    tag: P.DiningTableRepository as never,
    kind: "diningTable",
    patch: { seats: 6 }
  },
  {
    name: "menu item",
    tag: P.MenuItemRepository as never,
    kind: "menuItem",
    patch: { price: 11.25 }
  },
  {
    name: "customer",
    tag: P.CustomerRepository as never,
    kind: "customer",
    patch: { isVip: true }
  },
  {
    name: "reservation",
    tag: P.ReservationRepository as never,
    kind: "reservation",
    patch: { reservationTime: "2030-06-08T18:45:00.123Z", status: "cancelled" }
  },
  {
    name: "order",
    tag: P.OrderRepository as never,
    kind: "order",
    patch: { scheduledFor: "2030-06-08T11:15:00.500Z", total: 20.05 }
  }
]

layer(repositories, { excludeTestServices: true })("a single write's statement (PostgreSQL)", (it) => {
  describe("logs the record as it reads back", () => {
    for (const c of cases) {
      it.effect(c.name, () =>
        Effect.gen(function*() {
          const repository = yield* c.tag
          const created = yield* repository.create(decodeCreate(c.kind, restaurant()))
          const afterCreate = yield* repository.get(created.id)
          const updated = yield* repository.update(created.id, c.patch)
          const afterUpdate = yield* repository.get(created.id)
          assert.deepStrictEqual(updated, afterUpdate)
          const entries = yield* entriesOf(created.id)
          assert.deepStrictEqual(
            entries.map((e) => e.record),
            [afterCreate, afterUpdate].map((row) => JSON.parse(JSON.stringify(row)))
          )
          const rows = [afterCreate, afterUpdate] as unknown as ReadonlyArray<{ updatedAt: string; version?: number }>
          assert.deepStrictEqual(entries.map((e) => e.occurredAt), rows.map((row) => row.updatedAt))
          assert.deepStrictEqual(entries.map((e) => e.version), rows.map((row) => row.version ?? null))
        }))
    }
  })

  it.effect("queues the record's push to the configs that sync it, coalesced, only when asked", () =>
    Effect.gen(function*() {
      const reservations = yield* P.ReservationRepository
      const restaurantId = restaurant()
      yield* subscribe(restaurantId, "zenchef", ["reservation"])
      yield* subscribe(restaurantId, "thefork", ["reservation", "customer"])
      yield* subscribe(restaurantId, "ubereats", ["order"])
      const input = Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation(restaurantId))

      const pushed = yield* reservations.create(input, { queuePush: true })
      assert.deepStrictEqual((yield* pendingPushes(pushed.id)).map((j) => j.platform), ["thefork", "zenchef"])
      yield* reservations.update(pushed.id, { partySize: 5 }, [restaurantId], { queuePush: true })
      assert.strictEqual((yield* pendingPushes(pushed.id)).length, 2, "a second change joins the waiting pushes")

      const quiet = yield* reservations.create(input)
      yield* reservations.update(quiet.id, { partySize: 3 })
      assert.deepStrictEqual(yield* pendingPushes(quiet.id), [])
      assert.strictEqual((yield* entriesOf(quiet.id)).length, 2)
    }))

  it.effect("an update outside the caller's restaurants writes, logs and queues nothing", () =>
    Effect.gen(function*() {
      const reservations = yield* P.ReservationRepository
      const restaurantId = restaurant()
      yield* subscribe(restaurantId, "zenchef", ["reservation"])
      const created = yield* reservations.create(
        Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation(restaurantId))
      )
      const exit = yield* Effect.exit(
        reservations.update(created.id, { partySize: 9 }, ["resto-other" as RestaurantId], { queuePush: true })
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual((yield* reservations.get(created.id)).partySize, created.partySize)
      assert.deepStrictEqual(yield* pendingPushes(created.id), [])
      assert.strictEqual((yield* entriesOf(created.id)).length, 1)
    }))
})
