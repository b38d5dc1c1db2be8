import * as HttpClient from "@effect/platform/HttpClient"
import { Effect, Layer, Option, SynchronizedRef } from "effect"
import type { Platform } from "../../domain/ids.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { PlatformPermanentError } from "../../ports/connector-errors.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import type { ConnectorConfig, PlatformModule } from "../../ports/platform-module.js"
import { PlatformRateLimiter } from "../../ports/platform-rate-limiter.js"
import { deliveroo } from "./deliveroo/index.js"
import { sevenrooms } from "./sevenrooms/index.js"
import { type EgressPolicy, refusedUrls, strictEgress } from "./shared/egress.js"
import { ConnectorHttpPolicy, type HttpPolicy } from "./shared/http-policy.js"
import { PlatformRateLimiterLive, type RateLimitOptions } from "./shared/rate-limiter.js"
import { thefork } from "./thefork/index.js"
import { ubereats } from "./ubereats/index.js"
import { zenchef } from "./zenchef/index.js"

/** Every supported platform: a folder and one line here (R-4.3). */
export const platformModules: Partial<Record<Platform, PlatformModule>> = {
  zenchef,
  ubereats,
  deliveroo,
  thefork,
  sevenrooms
}

export interface ConnectorRegistryOptions {
  readonly rateLimit?: RateLimitOptions
  readonly http?: Partial<HttpPolicy>
  /** Hosts besides the production ones that credentials may name (PLATFORM_URL_ALLOWLIST); none by default. */
  readonly egress?: EgressPolicy
  /** Replaces `platformModules` (tests). */
  readonly modules?: Partial<Record<Platform, PlatformModule>>
}

interface Cached {
  readonly version: string
  readonly connector: PlatformConnector
}

const make = (options: ConnectorRegistryOptions) =>
  Effect.gen(function*() {
    const modules = options.modules ?? platformModules
    const client = yield* HttpClient.HttpClient
    const limiter = yield* PlatformRateLimiter
    const policy = { ...(yield* ConnectorHttpPolicy), ...options.http }
    const cache = yield* SynchronizedRef.make(new Map<string, Cached>())

    const egress = options.egress ?? strictEgress
    const moduleFor = (platform: Platform) => Option.fromNullable(modules[platform])
    const refusedUrlsOf = (platform: Platform, credentials: Readonly<Record<string, unknown>>) =>
      Option.match(moduleFor(platform), {
        onNone: () => [],
        onSome: (module) => refusedUrls(egress, module.productionUrls, credentials)
      })

    const build = (config: ConnectorConfig) =>
      Option.match(moduleFor(config.platform), {
        onNone: () =>
          Effect.fail(
            new PlatformPermanentError({
              platform: config.platform,
              reason: "unsupported",
              message: `${config.platform} has no connector`
            })
          ),
        onSome: (module) => {
          // A config stored before the policy, or under a wider allowlist, gets no connector at all.
          const refused = refusedUrls(egress, module.productionUrls, config.credentials)
          if (refused.length > 0) {
            return Effect.fail(
              new PlatformPermanentError({
                platform: config.platform,
                reason: "validation",
                message: `${config.platform} credentials refused by the egress policy: ${
                  refused.map((r) => `${r.field} ${r.message}`).join("; ")
                }`
              })
            )
          }
          return module.makeConnector(config).pipe(
            Effect.provideService(HttpClient.HttpClient, client),
            Effect.provideService(PlatformRateLimiter, limiter),
            Effect.provideService(ConnectorHttpPolicy, policy)
          )
        }
      })

    // One build per (platform, restaurant, version), even when many fibers ask at once.
    const connectorFor = (config: ConnectorConfig) =>
      SynchronizedRef.modifyEffect(cache, (entries) => {
        const key = `${config.platform}:${config.restaurantId}`
        const hit = entries.get(key)
        if (hit !== undefined && hit.version === config.version) {
          return Effect.succeed([hit.connector, entries] as const)
        }
        return Effect.map(
          build(config),
          (connector) => [connector, new Map(entries).set(key, { version: config.version, connector })] as const
        )
      })

    return { connectorFor, moduleFor, refusedUrls: refusedUrlsOf }
  })

/**
 * Requires an HttpClient; provides the registry and the per-API-key rate limiter it shares: this
 * instance's own buckets unless `rateLimiter` gives one shared by every instance (issue 19).
 */
export const ConnectorRegistryLive = <R = never>(
  options: ConnectorRegistryOptions & { readonly rateLimiter?: Layer.Layer<PlatformRateLimiter, never, R> } = {}
) =>
  Layer.effect(ConnectorRegistry, make(options)).pipe(
    Layer.provideMerge(options.rateLimiter ?? PlatformRateLimiterLive(options.rateLimit))
  )
