import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import { ChangeLogSql } from "../../../src/adapters/sql/change-feed.js"
import { EntityRepositoriesSql } from "../../../src/adapters/sql/entity-repositories.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { DiningRoomRepository } from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { MemoryEntityRepositories } from "../../support/memory-entities.js"
import { samples } from "../../support/samples.js"

const adapters = {
  sql: EntityRepositoriesSql.pipe(Layer.provide(ChangeLogSql), Layer.provide(TestDatabaseLive)),
  memory: MemoryEntityRepositories
}

const room = (restaurantId: string) => Schema.decodeUnknownSync(E.diningRoom.Create)(samples.diningRoom(restaurantId))

/** Issue 17: a repository call limited to some restaurants never reads or changes another's record. */
for (const [adapter, repositories] of Object.entries(adapters)) {
  describe(`restaurant scope of entity repositories (${adapter})`, () => {
    layer(repositories)((it) => {
      it.effect("get, update and remove outside the scope are not found; list keeps to the scope", () =>
        Effect.gen(function*() {
          const rooms = yield* DiningRoomRepository
          const suffix = crypto.randomUUID().slice(0, 8)
          const [mine, theirs] = [`resto-m-${suffix}`, `resto-t-${suffix}`] as Array<RestaurantId>
          const ours = yield* rooms.create(room(mine!))
          const other = yield* rooms.create(room(theirs!))
          const scope = [mine!]

          assert.strictEqual((yield* rooms.get(ours.id, scope)).id, ours.id)
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.get(other.id, scope))))
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.update(other.id, { name: "Hacked" }, scope))))
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.update(other.id, {}, scope))))
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.remove(other.id, scope))))
          assert.strictEqual((yield* rooms.get(other.id)).name, "Salle Principale")
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.get(ours.id, []))))

          const listed = yield* rooms.list({ limit: 500, offset: 0, restaurantIds: [mine!, theirs!] })
          assert.includeMembers(listed.items.map((r) => r.id), [ours.id, other.id])
          const scoped = yield* rooms.list({ limit: 500, offset: 0, restaurantIds: scope })
          assert.deepStrictEqual(scoped.items.map((r) => r.id), [ours.id])
          assert.strictEqual(scoped.total, 1)
          assert.strictEqual((yield* rooms.list({ limit: 10, offset: 0, restaurantIds: [] })).total, 0)
          // A named restaurant outside the scope matches nothing, even when it exists.
          assert.strictEqual(
            (yield* rooms.list({ limit: 10, offset: 0, restaurantId: theirs, restaurantIds: scope })).total,
            0
          )

          assert.strictEqual((yield* rooms.update(ours.id, { name: "Terrasse" }, scope)).name, "Terrasse")
          yield* rooms.remove(ours.id, scope)
          assert.isTrue(Exit.isFailure(yield* Effect.exit(rooms.get(ours.id))))
        }))
    })
  })
}
