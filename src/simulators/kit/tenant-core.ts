import { Effect, Either, Option, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "./delivery-queue.js"
import { makeDeliveryQueue } from "./delivery-queue.js"
import type { FaultSwitch } from "./faults.js"
import { makeFaultSwitch } from "./faults.js"
import type { RateLimitSettings, TokenBucketLimiter } from "./token-bucket.js"
import { makeTokenBucketLimiter } from "./token-bucket.js"

/**
 * The state every reservation simulator keeps beside its restaurants (TheFork, SevenRooms):
 * its mode, webhook queue, rate limiter, fault switch and request counters.
 */
export interface CoreParts<M, C> {
  readonly mode: Ref.Ref<M>
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<C>
  readonly count: (f: (c: C) => C) => Effect.Effect<void>
}

export interface CorePartsOptions<M> {
  readonly rateLimit: RateLimitSettings | null
  readonly mode: M
  readonly webhookRetry: RetrySettings
}

export const makeCoreParts = <M, C>(options: CorePartsOptions<M>, noRequests: C) =>
  Effect.gen(function*() {
    const mode = yield* Ref.make(options.mode)
    const webhooks = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter = yield* makeTokenBucketLimiter(options.rateLimit)
    const faults = yield* makeFaultSwitch
    const counters = yield* Ref.make(noRequests)
    const parts: CoreParts<M, C> = { mode, webhooks, limiter, faults, counters, count: (f) => Ref.update(counters, f) }
    return parts
  })

export type Tenants<T> = Ref.Ref<ReadonlyMap<string, T>>

/**
 * Changes tenant `id` atomically: `change` either refuses (nothing is kept) or returns a result
 * whose `tenantOf` replaces the tenant.
 */
export const changeTenant = <T, R, E>(
  tenants: Tenants<T>,
  id: string,
  notFound: () => E,
  change: (tenant: T) => Either.Either<R, E>,
  tenantOf: (result: R) => T
): Effect.Effect<R, E> =>
  Effect.flatMap(
    Ref.modify(tenants, (all): [Either.Either<R, E>, ReadonlyMap<string, T>] => {
      const tenant = all.get(id)
      if (tenant === undefined) return [Either.left(notFound()), all]
      const result = change(tenant)
      return Either.isRight(result) ? [result, new Map(all).set(id, tenantOf(result.right))] : [result, all]
    }),
    Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })
  )

/** The first tenant that `holds`, or `notFound`. */
export const findTenant = <T, E>(
  tenants: Tenants<T>,
  holds: (tenant: T) => boolean,
  notFound: () => E
): Effect.Effect<T, E> =>
  Effect.flatMap(
    Ref.get(tenants),
    (all) =>
      Option.match(Option.fromNullable([...all.values()].find(holds)), {
        onNone: () => Effect.fail(notFound()),
        onSome: Effect.succeed
      })
  )

/** Tenant `id`, or `notFound`. */
export const getTenant = <T, E>(tenants: Tenants<T>, id: string, notFound: () => E): Effect.Effect<T, E> =>
  Effect.flatMap(Ref.get(tenants), (all) => {
    const found = all.get(id)
    return found === undefined ? Effect.fail(notFound()) : Effect.succeed(found)
  })

/** What a simulator's start options may override of its core's settings. */
export interface CoreTuning<M> {
  /** `null` for no limit. */
  readonly rateLimit?: RateLimitSettings | null
  readonly mode?: Partial<M>
  readonly webhookRetry?: Partial<RetrySettings>
}

/** The platform's defaults, overridden by what the start options say. */
export const tunedCoreOptions = <M>(options: CoreTuning<M>, defaults: CorePartsOptions<M>): CorePartsOptions<M> => ({
  rateLimit: options.rateLimit === undefined ? defaults.rateLimit : options.rateLimit,
  mode: { ...defaults.mode, ...options.mode },
  webhookRetry: { ...defaults.webhookRetry, ...options.webhookRetry }
})
