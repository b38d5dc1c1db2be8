import { assert, describe, layer } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import type { Platform, RestaurantId } from "../../../src/domain/ids.js"
import { PlatformConfigRepository, type PlatformConfigWrite } from "../../../src/ports/platform-config-repository.js"

export const newRestaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}` as RestaurantId

export const configInput = (
  restaurantId: RestaurantId,
  platform: Platform,
  overrides: Partial<PlatformConfigWrite> = {}
): PlatformConfigWrite => ({
  restaurantId,
  platform,
  externalRestaurantId: `ext-${crypto.randomUUID()}`,
  credentialsCiphertext: `v1:cipher-${crypto.randomUUID()}`,
  webhookSecretCiphertext: "v1:secret-cipher",
  masterFor: ["reservation"],
  syncEntities: ["reservation", "order"],
  supportsWebhook: true,
  webhookUrl: "https://sync.example.com/api/webhooks/zenchef",
  pollIntervalSec: 300,
  isActive: true,
  ...overrides
})

const secretKeys = ["credentialsCiphertext", "webhookSecretCiphertext", "credentials", "webhookSecret"]
const assertNoSecrets = (config: object) => {
  for (const key of secretKeys) assert.notProperty(config, key)
}

/** The behaviour every PlatformConfigRepository shares, whatever stores it. */
export const platformConfigContract = (name: string, repositories: Layer.Layer<PlatformConfigRepository>) =>
  describe(`platform config repository (${name})`, () => {
    layer(repositories)((it) => {
      it.effect("creates a config whose public form carries no secret, only flags", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const input = configInput(newRestaurant(), "zenchef")
          const created = yield* repo.create(input)
          assertNoSecrets(created)
          assert.strictEqual(created.hasWebhookSecret, true)
          assert.deepStrictEqual(created.syncEntities, ["reservation", "order"])
          assert.strictEqual(created.lastSyncAt, null)
          assert.deepStrictEqual(yield* repo.get(created.id), created)
          const withoutSecret = yield* repo.create(
            configInput(newRestaurant(), "thefork", { webhookSecretCiphertext: null })
          )
          assert.strictEqual(withoutSecret.hasWebhookSecret, false)
        }))

      it.effect("keeps the ciphertexts exactly as given, for the sync engine only", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const input = configInput(newRestaurant(), "sevenrooms")
          const created = yield* repo.create(input)
          const withSecrets = Option.getOrThrow(yield* repo.findWithSecrets(input.restaurantId, "sevenrooms"))
          assert.deepStrictEqual(withSecrets, {
            ...created,
            credentialsCiphertext: input.credentialsCiphertext,
            webhookSecretCiphertext: "v1:secret-cipher",
            previousWebhookSecretCiphertext: null,
            previousWebhookSecretUntil: null
          })
          assert.isTrue(Option.isNone(yield* repo.findWithSecrets(input.restaurantId, "zenchef")))
        }))

      it.effect("one config per restaurant and platform", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const restaurantId = newRestaurant()
          yield* repo.create(configInput(restaurantId, "zenchef"))
          const taken = yield* Effect.flip(repo.create(configInput(restaurantId, "zenchef")))
          assert.strictEqual(taken._tag, "PlatformConfigTaken")
          assert.include(taken.message, restaurantId)
          assert.include(taken.message, "zenchef")
          yield* repo.create(configInput(restaurantId, "thefork"))
        }))

      it.effect("a platform's restaurant id belongs to one restaurant, on create and on update", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const first = yield* repo.create(configInput(newRestaurant(), "zenchef"))
          const taken = yield* Effect.flip(
            repo.create(configInput(newRestaurant(), "zenchef", { externalRestaurantId: first.externalRestaurantId }))
          )
          assert.strictEqual(taken._tag, "PlatformConfigTaken")
          assert.include(taken.message, first.externalRestaurantId)
          // The same number on another platform is another restaurant.
          yield* repo.create(
            configInput(newRestaurant(), "thefork", { externalRestaurantId: first.externalRestaurantId })
          )
          const second = yield* repo.create(configInput(newRestaurant(), "zenchef"))
          const onUpdate = yield* Effect.flip(
            repo.update(second.id, { externalRestaurantId: first.externalRestaurantId })
          )
          assert.strictEqual(onUpdate._tag, "PlatformConfigTaken")
          assert.strictEqual((yield* repo.get(second.id)).externalRestaurantId, second.externalRestaurantId)
        }))

      it.effect("updates only the given fields; null clears the webhook secret", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const input = configInput(newRestaurant(), "ubereats")
          const created = yield* repo.create(input)
          yield* TestClock.adjust("1 minute")
          const updated = yield* repo.update(created.id, {
            syncEntities: ["menu_item"],
            pollIntervalSec: 60,
            isActive: false,
            webhookSecretCiphertext: null,
            credentialsCiphertext: "v1:rotated"
          })
          assertNoSecrets(updated)
          assert.deepStrictEqual(updated, {
            ...created,
            syncEntities: ["menu_item"],
            pollIntervalSec: 60,
            isActive: false,
            hasWebhookSecret: false,
            updatedAt: new Date(Date.parse(created.updatedAt) + 60_000).toISOString()
          })
          const secrets = Option.getOrThrow(yield* repo.findWithSecrets(input.restaurantId, "ubereats"))
          assert.strictEqual(secrets.credentialsCiphertext, "v1:rotated")
          assert.strictEqual(secrets.webhookSecretCiphertext, null)
          assert.deepStrictEqual(yield* repo.update(created.id, {}), updated)
          assert.deepStrictEqual(yield* repo.get(created.id), updated)
        }))

      it.effect("unknown or malformed ids are NotFound, for get, update and remove", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          for (const id of [crypto.randomUUID(), "42; DROP TABLE sync_jobs"]) {
            const failures = [
              yield* Effect.flip(repo.get(id)),
              yield* Effect.flip(repo.update(id, { isActive: false })),
              yield* Effect.flip(repo.remove(id))
            ]
            for (const failure of failures) {
              assert.deepStrictEqual([failure._tag, (failure as { id?: string }).id], ["PlatformConfigNotFound", id])
            }
          }
        }))

      it.effect("removes", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const created = yield* repo.create(configInput(newRestaurant(), "deliveroo"))
          yield* repo.remove(created.id)
          assert.strictEqual((yield* Effect.flip(repo.get(created.id)))._tag, "PlatformConfigNotFound")
          assert.strictEqual((yield* Effect.flip(repo.remove(created.id)))._tag, "PlatformConfigNotFound")
        }))

      it.effect("lists by restaurant and platform, ordered by platform, with pagination and total", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const restaurantId = newRestaurant()
          for (const platform of ["zenchef", "deliveroo", "thefork"] as const) {
            yield* repo.create(configInput(restaurantId, platform))
          }
          yield* repo.create(configInput(newRestaurant(), "thefork"))
          const page = yield* repo.list({ restaurantId, limit: 2, offset: 1 })
          assert.strictEqual(page.total, 3)
          assert.deepStrictEqual([page.limit, page.offset], [2, 1])
          assert.deepStrictEqual(page.items.map((c) => c.platform), ["thefork", "zenchef"])
          page.items.forEach(assertNoSecrets)
          const thefork = yield* repo.list({ restaurantId, platform: "thefork", limit: 10, offset: 0 })
          assert.deepStrictEqual([thefork.total, thefork.items.map((c) => c.platform)], [1, ["thefork"]])
          const past = yield* repo.list({ restaurantId, limit: 10, offset: 5 })
          assert.deepStrictEqual([past.total, past.items], [3, []])
          const none = yield* repo.list({ restaurantId: newRestaurant(), limit: 10, offset: 0 })
          assert.deepStrictEqual([none.total, none.items], [0, []])
        }))

      it.effect("routes a webhook by the platform's restaurant id, secrets included", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const input = configInput(newRestaurant(), "thefork")
          const created = yield* repo.create(input)
          const found = Option.getOrThrow(yield* repo.findByExternal("thefork", input.externalRestaurantId))
          assert.strictEqual(found.id, created.id)
          assert.strictEqual(found.credentialsCiphertext, input.credentialsCiphertext)
          assert.isTrue(Option.isNone(yield* repo.findByExternal("zenchef", input.externalRestaurantId)))
          assert.isTrue(Option.isNone(yield* repo.findByExternal("thefork", "unknown")))
        }))

      it.effect("lists the active configs with their secrets", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const restaurantId = newRestaurant()
          const active = yield* repo.create(configInput(restaurantId, "zenchef"))
          yield* repo.create(configInput(restaurantId, "thefork", { isActive: false }))
          const paused = yield* repo.create(configInput(restaurantId, "sevenrooms"))
          yield* repo.update(paused.id, { isActive: false })
          const mine = (yield* repo.listActive()).filter((c) => c.restaurantId === restaurantId)
          assert.deepStrictEqual(mine.map((c) => c.id), [active.id])
          assert.strictEqual(mine[0]!.webhookSecretCiphertext, "v1:secret-cipher")
        }))

      it.effect("records the outcome of a sync: success clears the last error", () =>
        Effect.gen(function*() {
          const repo = yield* PlatformConfigRepository
          const restaurantId = newRestaurant()
          const created = yield* repo.create(configInput(restaurantId, "zenchef"))
          yield* repo.recordOutcome(restaurantId, "zenchef", { ok: false, error: "401 from Zenchef" })
          assert.deepStrictEqual(yield* repo.get(created.id), { ...created, lastError: "401 from Zenchef" })
          yield* repo.recordOutcome(restaurantId, "zenchef", { ok: true, at: "2030-01-02T03:04:05.000Z" })
          yield* repo.recordOutcome(restaurantId, "thefork", { ok: false, error: "no such config" })
          const synced = yield* repo.get(created.id)
          assert.deepStrictEqual([synced.lastSyncAt, synced.lastError], ["2030-01-02T03:04:05.000Z", null])
          yield* repo.recordOutcome(restaurantId, "zenchef", { ok: false, error: "timeout" })
          const failed = yield* repo.get(created.id)
          assert.deepStrictEqual([failed.lastSyncAt, failed.lastError], ["2030-01-02T03:04:05.000Z", "timeout"])
        }))
    })
  })
