import { Cache, Duration, Effect, Option } from "effect"
import type { Platform, RestaurantId } from "../../domain/ids.js"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import { PlatformConfigRepository, type PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import type { ConnectorConfig } from "../../ports/platform-module.js"
import { decryptConfig, decryptPreviousWebhookSecret, type PreviousWebhookSecret } from "./connector-config.js"

/** A stored config with its secrets decrypted once. */
export interface LoadedConfig {
  readonly stored: PlatformConfigWithSecrets
  readonly connector: ConnectorConfig
  /** During a rotation's overlap, the secret it replaced. */
  readonly previousWebhookSecret: Option.Option<PreviousWebhookSecret>
}

/**
 * Every webhook and every job needs its restaurant's config, decrypted: reading and decrypting it
 * once per second instead of once per event takes a query and two decryptions off the hot paths.
 * Changes made through this instance are seen at once; other instances see them within `ttl`.
 */
export class ConfigCache extends Effect.Service<ConfigCache>()("ConfigCache", {
  effect: Effect.gen(function*() {
    const repository = yield* PlatformConfigRepository
    const cipher = yield* CredentialCipher
    const ttl = Duration.seconds(1)
    const load = (found: Option.Option<PlatformConfigWithSecrets>) =>
      Option.match(found, {
        onNone: () => Effect.succeed(Option.none<LoadedConfig>()),
        onSome: (stored) =>
          Effect.zip(decryptConfig(stored), decryptPreviousWebhookSecret(stored)).pipe(
            Effect.provideService(CredentialCipher, cipher),
            Effect.orDie,
            Effect.map(([connector, previousWebhookSecret]) =>
              Option.some<LoadedConfig>({ stored, connector, previousWebhookSecret })
            )
          )
      })
    const split = (key: string) => key.split("\u0000") as [Platform, string]
    const byExternal = yield* Cache.make({
      capacity: 10_000,
      timeToLive: ttl,
      lookup: (key: string) => Effect.flatMap(repository.findByExternal(...split(key)), load)
    })
    const byRestaurant = yield* Cache.make({
      capacity: 10_000,
      timeToLive: ttl,
      lookup: (key: string) => {
        const [platform, restaurantId] = split(key)
        return Effect.flatMap(repository.findWithSecrets(restaurantId as RestaurantId, platform), load)
      }
    })
    // When this instance last wrote each config's success: a burst of pushes for one restaurant
    // would otherwise all see the cached (older) success and each write the same row.
    const successWritten = new Map<string, number>()
    return {
      /** True at most once per `everyMs` for a config: time to write its last success again. */
      successDue: (restaurantId: RestaurantId, platform: Platform, now: number, everyMs: number) =>
        Effect.sync(() => {
          const key = `${platform}\u0000${restaurantId}`
          const last = successWritten.get(key)
          if (last !== undefined && now - last < everyMs && now >= last) return false
          if (successWritten.size >= 10_000) successWritten.clear()
          successWritten.set(key, now)
          return true
        }),
      /** After a failure, the next success is written at once (it clears the error shown). */
      successOverdue: (restaurantId: RestaurantId, platform: Platform) =>
        Effect.sync(() => void successWritten.delete(`${platform}\u0000${restaurantId}`)),
      byExternal: (platform: Platform, externalRestaurantId: string) =>
        byExternal.get(`${platform}\u0000${externalRestaurantId}`),
      byRestaurant: (restaurantId: RestaurantId, platform: Platform) =>
        byRestaurant.get(`${platform}\u0000${restaurantId}`),
      invalidateAll: Effect.zipRight(byExternal.invalidateAll, byRestaurant.invalidateAll)
    }
  })
}) {}
