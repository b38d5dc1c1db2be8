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

interface Written {
  readonly createdAt: string
  readonly updatedAt: string
  readonly version?: number
}

/** The behaviour every entity repository shares, whatever stores it. */
export const entityRepositoryContract = <I, A extends { id: string; restaurantId: string }, C, P extends object>(
  adapter: string,
  repositories: Layer.Layer<I>,
  c: EntityContractCase<I, A, C, P>
) =>
  describe(`${c.name} repository (${adapter})`, () => {
    // A batch writer builds whole entities itself; timestamps in the past and a version other than
    // the first one show whether the stored row is the caller's or one the adapter made up.
    const whole = (restaurantId: string, at = "2020-01-02T03:04:05.678Z"): A =>
      ({
        ...c.create(restaurantId),
        id: crypto.randomUUID(),
        createdAt: at,
        updatedAt: at,
        ...(c.versioned ? { version: 3 } : {})
      }) as unknown as A
    const patch = c.patch as Record<string, unknown>
    const patched = Object.keys(patch)
    const field = (entity: A, key: string) => (entity as Record<string, unknown>)[key]
    const written = (entity: A) => entity as unknown as Written
    /** What one row should be after `changes` patches, the clock's updatedAt taken from `after`. */
    const expectAfter = (before: A, after: A, fields: object, changes: number) => ({
      ...before,
      ...fields,
      updatedAt: written(after).updatedAt,
      ...(c.versioned ? { version: written(before).version! + changes } : {})
    })

    layer(repositories)((it) => {
      it.effect("creates, reads back and lists by restaurant with pagination", () =>
        Effect.gen(function*() {
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

      it.effect("ownedIds keeps the ids that are records of the restaurant named", () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          const [mine, other] = [restaurant(), restaurant()]
          const [a, b] = yield* Effect.forEach([1, 2], () => repo.create(c.create(mine)))
          const theirs = yield* repo.create(c.create(other))
          const unknown = crypto.randomUUID()
          const owned = yield* repo.ownedIds(mine, [b!.id, theirs.id, unknown, "not-an-id", a!.id])
          assert.sameMembers([...owned], [a!.id, b!.id])
          assert.deepStrictEqual(yield* repo.ownedIds(other, [a!.id]), [])
          assert.deepStrictEqual(yield* repo.ownedIds(mine, []), [])
        }))

      it.effect("updates only the given fields" + (c.versioned ? " and counts the version" : ""), () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          const created = yield* repo.create(c.create(restaurant()))
          const updated = yield* repo.update(created.id, c.patch)
          for (const [key, value] of Object.entries(c.patch)) {
            assert.deepStrictEqual((updated as Record<string, unknown>)[key], value, key)
          }
          assert.strictEqual(updated.restaurantId, created.restaurantId)
          if (c.versioned) {
            assert.strictEqual(
              (updated as { version?: number }).version,
              ((created as { version?: number }).version ?? 0) + 1
            )
          }
          assert.deepStrictEqual(yield* repo.get(created.id), updated)
        }))

      if (c.versioned) {
        it.effect("updateAtVersion writes only while the record is at the version given, else says which it is at", () =>
          Effect.gen(function*() {
            const repo = yield* c.tag
            const created = yield* repo.create(c.create(restaurant()))
            const first = written(created).version!
            const updated = yield* repo.updateAtVersion(created.id, first, c.patch)
            assert.strictEqual(written(updated).version, first + 1)
            // A second change made on what was read before the first: refused, nothing written.
            const stale = yield* Effect.flip(repo.updateAtVersion(created.id, first, c.patch))
            assert.deepInclude(stale, { _tag: "StaleVersion", id: created.id, expected: first, current: first + 1 })
            const emptyStale = yield* Effect.flip(repo.updateAtVersion(created.id, first, {} as P))
            assert.strictEqual(emptyStale._tag, "StaleVersion")
            assert.deepStrictEqual(yield* repo.get(created.id), updated)
            // At the current version: written; out of the caller's scope or unknown: not found.
            assert.strictEqual(written(yield* repo.updateAtVersion(created.id, first + 1, c.patch)).version, first + 2)
            const other = yield* Effect.flip(
              repo.updateAtVersion(created.id, first + 2, c.patch, ["elsewhere"] as never)
            )
            assert.strictEqual(other._tag, "EntityNotFound")
            const unknown = yield* Effect.flip(repo.updateAtVersion(crypto.randomUUID(), 1, c.patch))
            assert.strictEqual(unknown._tag, "EntityNotFound")
          }))
      }

      it.effect("unknown or malformed ids are NotFound, for get, update and remove", () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          for (const id of [crypto.randomUUID(), "42; DROP TABLE x"]) {
            const failures = [
              yield* Effect.flip(repo.get(id)),
              yield* Effect.flip(repo.update(id, c.patch)),
              yield* Effect.flip(repo.remove(id))
            ]
            for (const failure of failures) {
              assert.strictEqual(failure._tag, "EntityNotFound")
            }
          }
        }))

      it.effect(
        "insertMany stores whole entities as built: ids, fields, timestamps" + (c.versioned ? " and version" : ""),
        () =>
          Effect.gen(function*() {
            const repo = yield* c.tag
            const [mine, other] = [restaurant(), restaurant()]
            const entities = [
              whole(mine, "2020-01-02T03:04:05.678Z"),
              whole(mine, "2020-01-02T03:04:06.000Z"),
              whole(other)
            ]
            yield* repo.insertMany(entities)
            yield* repo.insertMany([])
            for (const entity of entities) {
              assert.deepStrictEqual(yield* repo.get(entity.id), entity)
            }
            const page = yield* repo.list({ restaurantId: mine as never, limit: 10, offset: 0 })
            assert.deepStrictEqual([
              page.total,
              page.items.map((x) =>
                x.id
              )
            ], [2, [entities[0]!.id, entities[1]!.id]])
            if (c.versioned) {
              // Later updates count on from the version the batch wrote, not from a default.
              const updated = yield* repo.update(entities[0]!.id, c.patch)
              assert.strictEqual(written(updated).version, 4)
            }
          })
      )

      it.effect("updateMany changes only the patched fields of each row, moves updatedAt and skips unknown ids", () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          const r = restaurant()
          // One row per patched field, so the batch carries rows patching different columns.
          const rows = patched.map(() => whole(r))
          const untouched = whole(r)
          yield* repo.insertMany([...rows, untouched])
          const unknown = crypto.randomUUID()
          yield* repo.updateMany([
            ...patched.map((key, i) => ({ id: rows[i]!.id, patch: { [key]: patch[key] } as P })),
            { id: unknown, patch: c.patch },
            { id: "42; DROP TABLE x", patch: c.patch }
          ])
          for (const [i, key] of patched.entries()) {
            const after = yield* repo.get(rows[i]!.id)
            assert.deepStrictEqual(after, expectAfter(rows[i]!, after, { [key]: patch[key] }, 1), key)
            assert.notStrictEqual(written(after).updatedAt, written(rows[i]!).updatedAt, key)
          }
          assert.deepStrictEqual(yield* repo.get(untouched.id), untouched)
          assert.deepStrictEqual(yield* repo.getMany([unknown]), [])
          yield* repo.updateMany([])
        }))

      it.effect(
        "updateMany applies several patches of one id in order" + (c.versioned ? ", each counted in the version" : ""),
        () =>
          Effect.gen(function*() {
            const repo = yield* c.tag
            const before = whole(restaurant())
            yield* repo.insertMany([before])
            const first = patched[0]!
            // The second patch puts the first field back: only applying the patches in order ends there.
            assert.notDeepEqual(field(before, first), patch[first], "the patch must change its first field")
            yield* repo.updateMany([{ id: before.id, patch: c.patch }, {
              id: before.id,
              patch: { [first]: field(before, first) } as P
            }])
            const after = yield* repo.get(before.id)
            assert.deepStrictEqual(after, expectAfter(before, after, { ...c.patch, [first]: field(before, first) }, 2))
          })
      )

      it.effect("updateMany: a field left undefined in a later patch keeps the value an earlier patch gave it", () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          const before = whole(restaurant())
          yield* repo.insertMany([before])
          const first = patched[0]!
          // Some other field, set to what it already is, so the later patch is not empty.
          const other = Object.keys(c.create(restaurant()) as object).find((k) =>
            k !== "restaurantId" && !patched.includes(k)
          )!
          yield* repo.updateMany([
            { id: before.id, patch: c.patch },
            { id: before.id, patch: { [first]: undefined, [other]: field(before, other) } as P }
          ])
          const after = yield* repo.get(before.id)
          assert.deepStrictEqual(after, expectAfter(before, after, c.patch, 2))
        }))

      it.effect("removes", () =>
        Effect.gen(function*() {
          const repo = yield* c.tag
          const created = yield* repo.create(c.create(restaurant()))
          yield* repo.remove(created.id)
          assert(Exit.isFailure(yield* Effect.exit(repo.get(created.id))))
        }))
    })
  })
