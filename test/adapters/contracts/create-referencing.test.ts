import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { ChangeLogSql } from "../../../src/adapters/sql/change-feed.js"
import { EntityRepositoriesSql } from "../../../src/adapters/sql/entity-repositories.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { referencesOf } from "../../../src/domain/references.js"
import * as P from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { MemoryEntityRepositories } from "../../support/memory-entities.js"
import { samples } from "../../support/samples.js"

const adapters = {
  sql: EntityRepositoriesSql.pipe(Layer.provide(ChangeLogSql), Layer.provide(TestDatabaseLive)),
  memory: MemoryEntityRepositories
}

const restaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}` as RestaurantId

/** A room with two tables in a new restaurant. */
const floor = Effect.gen(function*() {
  const restaurantId = restaurant()
  const room = yield* (yield* P.DiningRoomRepository).create(
    Schema.decodeUnknownSync(E.diningRoom.Create)(samples.diningRoom(restaurantId))
  )
  const tables = yield* Effect.forEach(
    [1, 2],
    () =>
      Effect.flatMap(P.DiningTableRepository, (repository) =>
        repository.create(
          Schema.decodeUnknownSync(E.diningTable.Create)({
            ...samples.diningTable(restaurantId),
            diningRoomId: room.id
          })
        ))
  )
  return { restaurantId, roomId: room.id, tableIds: tables.map((t) => t.id) }
})

const booking = (restaurantId: string, fields: object) =>
  Schema.decodeUnknownSync(E.reservation.Create)({ ...samples.reservation(restaurantId), ...fields })

/** Issue 22: a create that checks its references in the write itself, and writes nothing when one fails. */
for (const [adapter, repositories] of Object.entries(adapters)) {
  describe(`createReferencing (${adapter})`, () => {
    layer(repositories as Layer.Layer<P.ReservationRepository | P.DiningRoomRepository | P.DiningTableRepository>)(
      (it) => {
        it.effect("writes when every record referenced is the restaurant's", () =>
          Effect.gen(function*() {
            const { restaurantId, roomId, tableIds } = yield* floor
            const reservations = yield* P.ReservationRepository
            const input = booking(restaurantId, { diningRoomId: roomId, tableIds })
            const created = yield* reservations.createReferencing(input, referencesOf("reservation", input))
            assert.isTrue(Option.isSome(created))
            const stored = yield* reservations.get(Option.getOrThrow(created).id)
            assert.deepStrictEqual([stored.diningRoomId, stored.tableIds], [roomId, tableIds])
          }))

        it.effect("refuses another restaurant's table, an unknown or malformed id, and writes nothing", () =>
          Effect.gen(function*() {
            const mine = yield* floor
            const theirs = yield* floor
            const reservations = yield* P.ReservationRepository
            const attempts = [
              booking(mine.restaurantId, {
                diningRoomId: mine.roomId,
                tableIds: [mine.tableIds[0], theirs.tableIds[0]]
              }),
              booking(mine.restaurantId, { diningRoomId: theirs.roomId }),
              booking(mine.restaurantId, { tableIds: [crypto.randomUUID()] }),
              // The API's Schema refuses a malformed id first; a repository must not fail on one either.
              { ...booking(mine.restaurantId, {}), tableIds: ["not-a-uuid"] } as unknown as ReturnType<typeof booking>
            ]
            for (const input of attempts) {
              const refused = yield* reservations.createReferencing(input, referencesOf("reservation", input))
              assert.isTrue(Option.isNone(refused), JSON.stringify(input))
            }
            const stored = yield* reservations.list({ restaurantId: mine.restaurantId, limit: 10, offset: 0 })
            assert.strictEqual(stored.total, 0)
          }))
      }
    )
  })
}
