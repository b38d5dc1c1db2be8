import { assert, describe, layer } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { ApiKeyRepository, type ApiKeyWrite } from "../../../src/ports/api-keys.js"

const newKey = (overrides: Partial<ApiKeyWrite> = {}): ApiKeyWrite => ({
  id: crypto.randomUUID(),
  name: "voice AI",
  role: "app",
  restaurants: ["resto-1" as RestaurantId],
  prefix: "ars_abcdef",
  hash: crypto.randomUUID().replaceAll("-", "").repeat(2),
  ...overrides
})

/** The behaviour every ApiKeyRepository shares, whatever stores it (issue 17). */
export const apiKeysContract = (name: string, repositories: Layer.Layer<ApiKeyRepository>) =>
  describe(`api key repository (${name})`, () => {
    layer(repositories)((it) => {
      it.effect("stores a key under its hash and finds it by that hash only, without handing the hash back", () =>
        Effect.gen(function*() {
          const repo = yield* ApiKeyRepository
          const input = newKey()
          const created = yield* repo.create(input)
          const { createdAt: _createdAt, ...shown } = created
          assert.deepStrictEqual(shown, {
            id: input.id,
            name: "voice AI",
            role: "app",
            restaurants: ["resto-1" as RestaurantId],
            prefix: "ars_abcdef",
            lastUsedAt: null,
            revokedAt: null
          })
          assert.notProperty(created, "hash")
          assert.deepStrictEqual(yield* repo.findByHash(input.hash), Option.some(created))
          assert.isTrue(Option.isNone(yield* repo.findByHash(`${input.hash}0`)))
          assert.deepStrictEqual(yield* repo.get(input.id), Option.some(created))
          assert.isTrue(Option.isNone(yield* repo.get(crypto.randomUUID())))
          assert.isTrue(Option.isNone(yield* repo.get("not-a-uuid")))
        }))

      it.effect("a key for every restaurant keeps null, not an empty list", () =>
        Effect.gen(function*() {
          const repo = yield* ApiKeyRepository
          const created = yield* repo.create(newKey({ role: "admin", restaurants: null }))
          assert.isNull(created.restaurants)
          assert.isNull(Option.getOrThrow(yield* repo.get(created.id)).restaurants)
        }))

      it.effect("revocation is set once and keeps its first time; an unknown id is none", () =>
        Effect.gen(function*() {
          const repo = yield* ApiKeyRepository
          const before = yield* repo.countActive()
          const input = newKey()
          const created = yield* repo.create(input)
          assert.strictEqual(yield* repo.countActive(), before + 1)
          yield* TestClock.adjust("1 minute")
          const first = Option.getOrThrow(yield* repo.revoke(created.id))
          assert.isNotNull(first.revokedAt)
          yield* TestClock.adjust("1 minute")
          const second = Option.getOrThrow(yield* repo.revoke(created.id))
          assert.strictEqual(second.revokedAt, first.revokedAt)
          assert.strictEqual(yield* repo.countActive(), before)
          assert.isTrue(Option.isNone(yield* repo.revoke(crypto.randomUUID())))
          // Still found by its hash, so its use is told apart from an unknown key.
          assert.isNotNull(Option.getOrThrow(yield* repo.findByHash(input.hash)).revokedAt)
        }))

      it.effect("records the last use; lists every key oldest first", () =>
        Effect.gen(function*() {
          const repo = yield* ApiKeyRepository
          const a = yield* repo.create(newKey({ name: "a" }))
          yield* TestClock.adjust("1 second")
          const b = yield* repo.create(newKey({ name: "b" }))
          yield* TestClock.adjust("1 hour")
          yield* repo.touch(a.id)
          const used = Option.getOrThrow(yield* repo.get(a.id))
          assert.isNotNull(used.lastUsedAt)
          assert.isAbove(Date.parse(used.lastUsedAt!), Date.parse(used.createdAt))
          const ids = (yield* repo.list()).map((k) => k.id)
          assert.isBelow(ids.indexOf(a.id), ids.indexOf(b.id))
        }))
    })
  })
