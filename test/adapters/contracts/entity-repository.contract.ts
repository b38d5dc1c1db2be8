import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import type { EntityRepository } from "../../../src/ports/entity-repository.js"

export interface EntityContractCase<I, A, C, P> {
  readonly name: string
  /** The repository's Tag (a Tag is also the Effect that reads the service). */
  readonly tag: Effect.Effect<EntityRepository<A, C, P>, never, I>
  readonly create: (restaurantId: string) => C
  readonly patch: P
  readonly versioned: boolean
}

const restaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}`

/** The behaviour every entity repository shares, whatever stores it. */
export const entityRepositoryContract = <I, A extends { id: string; restaurantId: string }, C, P extends object>(
  adapter: string,
  repositories: Layer.Layer<I>,
  c: EntityContractCase<I, A, C, P>
) =>
  describe(`${c.name} repository (${adapter})`, () => {
    layer(repositories)((it) => {
      it.effect("creates, reads back and lists by restaurant with pagination", () =>
        Effect.gen(function* () {
          const repo = yield* c.tag
          const [mine, other] = [restaurant(), restaurant()]
          const created = yield* Effect.forEach([1, 2, 3], () => repo.create(c.create(mine)))
          yield* repo.create(c.create(other))
          assert.deepStrictEqual(yield* repo.get(created[0]!.id), created[0])
          const page = yield* repo.list({ restaurantId: mine as never, limit: 2, offset: 1 })
          assert.strictEqual(page.total, 3)
          assert.deepStrictEqual(page.items.map((x) => x.id), created.slice(1).map((x) => x.id))
          const many = yield* repo.getMany([created[2]!.id, created[0]!.id, "not-an-id"])
          assert.sameMembers(many.map((x) => x.id), [created[0]!.id, created[2]!.id])
        }))

      it.effect("updates only the given fields" + (c.versioned ? " and counts the version" : ""), () =>
        Effect.gen(function* () {
          const repo = yield* c.tag
          const created = yield* repo.create(c.create(restaurant()))
          const updated = yield* repo.update(created.id, c.patch)
          for (const [key, value] of Object.entries(c.patch)) {
            assert.deepStrictEqual((updated as Record<string, unknown>)[key], value, key)
          }
          assert.strictEqual(updated.restaurantId, created.restaurantId)
          if (c.versioned) {
            assert.strictEqual((updated as { version?: number }).version, ((created as { version?: number }).version ?? 0) + 1)
          }
          assert.deepStrictEqual(yield* repo.get(created.id), updated)
        }))

      it.effect("unknown or malformed ids are NotFound, for get, update and remove", () =>
        Effect.gen(function* () {
          const repo = yield* c.tag
          for (const id of [crypto.randomUUID(), "42; DROP TABLE x"]) {
            const failures = [
              yield* Effect.flip(repo.get(id)),
              yield* Effect.flip(repo.update(id, c.patch)),
              yield* Effect.flip(repo.remove(id))
            ]
            for (const failure of failures) assert.strictEqual(failure._tag, "EntityNotFound")
          }
        }))

      it.effect("removes", () =>
        Effect.gen(function* () {
          const repo = yield* c.tag
          const created = yield* repo.create(c.create(restaurant()))
          yield* repo.remove(created.id)
          assert(Exit.isFailure(yield* Effect.exit(repo.get(created.id))))
        }))
    })
  })
