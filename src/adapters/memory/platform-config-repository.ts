import { Clock, Effect, Either, Layer, Option, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import {
  type PlatformConfig,
  PlatformConfigNotFound,
  type PlatformConfigPatch,
  PlatformConfigRepository,
  PlatformConfigTaken,
  type PlatformConfigWithSecrets,
  withoutSecrets
} from "../../ports/platform-config-repository.js"
import { pageOf } from "./page.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

const defined = (patch: PlatformConfigPatch): PlatformConfigPatch =>
  Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))

// Same order as the SQL adapter: restaurant (byte order), then platform.
const byRestaurantAndPlatform = (a: PlatformConfigWithSecrets, b: PlatformConfigWithSecrets) =>
  a.restaurantId < b.restaurantId
    ? -1
    : a.restaurantId > b.restaurantId
    ? 1
    : a.platform < b.platform
    ? -1
    : a.platform > b.platform
    ? 1
    : 0

/** The uniqueness rules of the table: one config per (restaurant, platform) and per platform restaurant id. */
const conflict = (configs: ReadonlyMap<string, PlatformConfigWithSecrets>, candidate: PlatformConfigWithSecrets) => {
  for (const other of configs.values()) {
    if (other.id === candidate.id || other.platform !== candidate.platform) continue
    if (other.restaurantId === candidate.restaurantId) {
      return new PlatformConfigTaken({
        message: `Restaurant ${candidate.restaurantId} already has a ${candidate.platform} configuration`
      })
    }
    if (other.externalRestaurantId === candidate.externalRestaurantId) {
      return new PlatformConfigTaken({
        message:
          `The ${candidate.platform} restaurant id ${candidate.externalRestaurantId} is already linked to another restaurant`
      })
    }
  }
  return undefined
}

const make = Effect.gen(function*() {
  const store = yield* Ref.make<ReadonlyMap<string, PlatformConfigWithSecrets>>(new Map())
  const sorted = Effect.map(Ref.get(store), (configs) => [...configs.values()].sort(byRestaurantAndPlatform))
  const find = (predicate: (config: PlatformConfigWithSecrets) => boolean) =>
    Effect.map(sorted, (configs) => Option.fromNullable(configs.find(predicate)))
  const getWithSecrets = (id: string) =>
    Effect.flatMap(Ref.get(store), (configs) => {
      const config = configs.get(id)
      return config === undefined ? Effect.fail(new PlatformConfigNotFound({ id })) : Effect.succeed(config)
    })
  const save = (config: PlatformConfigWithSecrets) =>
    Effect.flatten(
      Ref.modify(
        store,
        (
          configs
        ): readonly [
          Either.Either<PlatformConfig, PlatformConfigTaken>,
          ReadonlyMap<string, PlatformConfigWithSecrets>
        ] => {
          const taken = conflict(configs, config)
          return taken === undefined
            ? [Either.right(withoutSecrets(config)), new Map(configs).set(config.id, config)]
            : [Either.left(taken), configs]
        }
      )
    )

  return PlatformConfigRepository.of({
    create: (input) =>
      Effect.flatMap(nowIso, (now) =>
        save({
          ...input,
          masterFor: [...input.masterFor],
          syncEntities: [...input.syncEntities],
          id: input.id ?? crypto.randomUUID(),
          previousWebhookSecretCiphertext: null,
          previousWebhookSecretUntil: null,
          hasWebhookSecret: input.webhookSecretCiphertext !== null,
          lastSyncAt: null,
          lastError: null,
          createdAt: now,
          updatedAt: now
        })),
    get: (id) => Effect.map(getWithSecrets(id), withoutSecrets),
    list: (query) =>
      Effect.map(sorted, (configs) => {
        const matching = configs.filter((c) =>
          (query.restaurantId === undefined || c.restaurantId === query.restaurantId) &&
          inScope(query.restaurantIds, c.restaurantId) &&
          (query.platform === undefined || c.platform === query.platform)
        )
        return pageOf(matching, query, withoutSecrets)
      }),
    update: (id, patch) =>
      Effect.gen(function*() {
        const current = yield* getWithSecrets(id)
        const changes = defined(patch)
        if (Object.keys(changes).length === 0) return withoutSecrets(current)
        const next = { ...current, ...changes, updatedAt: yield* nowIso }
        return yield* save({ ...next, hasWebhookSecret: next.webhookSecretCiphertext !== null })
      }),
    remove: (id) =>
      Effect.flatMap(getWithSecrets(id), () =>
        Ref.update(store, (configs) => {
          const next = new Map(configs)
          next.delete(id)
          return next
        })),
    findByExternal: (platform, externalRestaurantId) =>
      find((c) => c.platform === platform && c.externalRestaurantId === externalRestaurantId),
    findWithSecrets: (restaurantId, platform) =>
      find((c) => c.restaurantId === restaurantId && c.platform === platform),
    listActive: () => Effect.map(sorted, (configs) => configs.filter((c) => c.isActive)),
    recordOutcome: (restaurantId, platform, outcome) =>
      Ref.update(store, (configs) => {
        const config = [...configs.values()].find((c) => c.restaurantId === restaurantId && c.platform === platform)
        if (config === undefined) return configs
        const recorded = outcome.ok ? { lastSyncAt: outcome.at, lastError: null } : { lastError: outcome.error }
        return new Map(configs).set(config.id, { ...config, ...recorded })
      })
  })
})

export const PlatformConfigRepositoryMemory = Layer.effect(PlatformConfigRepository, make)
