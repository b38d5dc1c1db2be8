import { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Option, SynchronizedRef } from "effect"
import type { Platform } from "../../domain/ids.js"
import {
  type ConnectorConfig,
  type PlatformConnector,
  type PlatformModule,
  PlatformPermanentError,
  PlatformRateLimiter
} from "../../ports/platform-connector.js"
import { ConnectorHttpPolicy, type HttpPolicy } from "./http-support.js"
import { PlatformRateLimiterLive, type RateLimitOptions } from "./rate-limiter.js"
import { deliveroo } from "./deliveroo/index.js"
import { sevenrooms } from "./sevenrooms/index.js"
import { thefork } from "./thefork/index.js"
import { ubereats } from "./ubereats/index.js"
import { zenchef } from "./zenchef/index.js"

/** Every supported platform: a folder and one line here. */
export const platformModules: Partial<Record<Platform, PlatformModule>> = {
  zenchef,
  ubereats,
  deliveroo,
  thefork,
  sevenrooms
}

/** the connector of (platform, restaurant), built from its decrypted credentials. */
export class ConnectorRegistry extends Context.Tag("ConnectorRegistry")<ConnectorRegistry, {
  /** Cached per (platform, restaurant); rebuilt when `config.version` changes. */
  readonly connectorFor: (config: ConnectorConfig) => Effect.Effect<PlatformConnector, PlatformPermanentError>
  readonly moduleFor: (platform: Platform) => Option.Option<PlatformModule>
}>() {}

export interface ConnectorRegistryOptions {
  readonly rateLimit?: RateLimitOptions
  readonly http?: Partial<HttpPolicy>
  /** Replaces `platformModules` (tests). */
  readonly modules?: Partial<Record<Platform, PlatformModule>>
}

interface Cached {
  readonly version: string
  readonly connector: PlatformConnector
}

const make = (options: ConnectorRegistryOptions) =>
  Effect.gen(function* () {
    const modules = options.modules ?? platformModules
    const client = yield* HttpClient.HttpClient
    const limiter = yield* PlatformRateLimiter
    const policy = { ...(yield* ConnectorHttpPolicy), ...options.http }
    const cache = yield* SynchronizedRef.make(new Map<string, Cached>())

    const moduleFor = (platform: Platform) => Option.fromNullable(modules[platform])

    const build = (config: ConnectorConfig) =>
      Option.match(moduleFor(config.platform), {
        onNone: () =>
          Effect.fail(new PlatformPermanentError({ platform: config.platform, reason: "unsupported", message: `${config.platform} has no connector` })),
        onSome: (module) =>
          module.makeConnector(config).pipe(
            Effect.provideService(HttpClient.HttpClient, client),
            Effect.provideService(PlatformRateLimiter, limiter),
            Effect.provideService(ConnectorHttpPolicy, policy)
          )
      })

    // One build per (platform, restaurant, version), even when many fibers ask at once.
    const connectorFor = (config: ConnectorConfig) =>
      SynchronizedRef.modifyEffect(cache, (entries) => {
        const key = `${config.platform}:${config.restaurantId}`
        const hit = entries.get(key)
        if (hit !== undefined && hit.version === config.version) return Effect.succeed([hit.connector, entries] as const)
        return Effect.map(build(config), (connector) => [connector, new Map(entries).set(key, { version: config.version, connector })] as const)
      })

    return { connectorFor, moduleFor }
  })

/** Requires an HttpClient; provides the registry and the per-API-key rate limiter it shares. */
export const ConnectorRegistryLive = (options: ConnectorRegistryOptions = {}) =>
  Layer.effect(ConnectorRegistry, make(options)).pipe(Layer.provideMerge(PlatformRateLimiterLive(options.rateLimit)))
