import { Clock, Effect, Either, Option, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "../../simulator-kit/delivery-queue.js"
import { makeDeliveryQueue } from "../../simulator-kit/delivery-queue.js"
import type { FaultSwitch } from "../../simulator-kit/faults.js"
import { makeFaultSwitch } from "../../simulator-kit/faults.js"
import type { RateLimitSettings, TokenBucketLimiter } from "../../simulator-kit/token-bucket.js"
import { makeTokenBucketLimiter } from "../../simulator-kit/token-bucket.js"
import type { Change, Restaurant } from "./book.js"
import { rejection, type TheForkRejected } from "./errors.js"
import { emitThinEvent } from "./webhooks.js"

export interface RequestCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  /** `POST /oauth/token` calls, granted or not. */
  readonly tokenRequests: number
  /** Tokens issued to a client that still held one with over a minute left (TheFork asks clients not to). */
  readonly earlyTokenRequests: number
  /** Tokens issued to a client whose previous token had not expired yet: renewed in time. */
  readonly renewalsBeforeExpiry: number
  readonly unauthorized: number
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
}

export const noRequests: RequestCounters = {
  requestsByRoute: {},
  tokenRequests: 0,
  earlyTokenRequests: 0,
  renewalsBeforeExpiry: 0,
  unauthorized: 0,
  rateLimited: 0,
  failuresInjected: 0,
  responsesDropped: 0
}

export interface SimulatorMode {
  /** Whether changes made through the API raise webhooks (staff changes always do). */
  readonly apiChangesEmitWebhooks: boolean
  /** TheFork's tokens last 8600 s; tests shorten it to see them expire. */
  readonly tokenLifetimeSeconds: number
}

export interface IssuedToken {
  readonly clientId: string
  readonly expiresAt: number
}

export type ChangeOrigin = "api" | "staff"

export interface SimulatorCore {
  readonly restaurants: Ref.Ref<ReadonlyMap<string, Restaurant>>
  readonly tokens: Ref.Ref<ReadonlyMap<string, IssuedToken>>
  readonly mode: Ref.Ref<SimulatorMode>
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<RequestCounters>
  readonly count: (f: (c: RequestCounters) => RequestCounters) => Effect.Effect<void>
  /** Applies one change atomically, then queues its webhook. */
  readonly apply: (
    restaurantUuid: string,
    origin: ChangeOrigin,
    change: (restaurant: Restaurant, nowMs: number) => Either.Either<Change, TheForkRejected>
  ) => Effect.Effect<Change, TheForkRejected>
  /** The restaurant holding reservation `id`, among those `canSee`. */
  readonly restaurantOf: (id: string, canSee: (r: Restaurant) => boolean) => Effect.Effect<Restaurant, TheForkRejected>
}

export interface CoreOptions {
  readonly rateLimit: RateLimitSettings | null
  readonly mode: SimulatorMode
  readonly webhookRetry: RetrySettings
}

export const makeSimulatorCore = (options: CoreOptions) =>
  Effect.gen(function* () {
    const restaurants = yield* Ref.make<ReadonlyMap<string, Restaurant>>(new Map())
    const tokens = yield* Ref.make<ReadonlyMap<string, IssuedToken>>(new Map())
    const mode = yield* Ref.make(options.mode)
    const webhooks = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter = yield* makeTokenBucketLimiter(options.rateLimit)
    const faults = yield* makeFaultSwitch
    const counters = yield* Ref.make(noRequests)

    const apply: SimulatorCore["apply"] = (uuid, origin, change) =>
      Effect.gen(function* () {
        const nowMs = yield* Clock.currentTimeMillis
        const outcome = yield* Ref.modify(restaurants, (all): [Either.Either<Change, TheForkRejected>, ReadonlyMap<string, Restaurant>] => {
          const restaurant = all.get(uuid)
          if (restaurant === undefined) return [Either.left(rejection(404, "RESTAURANT_NOT_FOUND")), all]
          const result = change(restaurant, nowMs)
          return Either.isRight(result) ? [result, new Map(all).set(uuid, result.right.restaurant)] : [result, all]
        })
        const done = yield* Either.match(outcome, { onLeft: Effect.fail, onRight: Effect.succeed })
        const { apiChangesEmitWebhooks } = yield* Ref.get(mode)
        if (done.event !== null && (origin === "staff" || apiChangesEmitWebhooks)) {
          yield* emitThinEvent(webhooks, done.restaurant.config, done.event, done.reservation.reservationUuid)
        }
        return done
      })

    const restaurantOf: SimulatorCore["restaurantOf"] = (id, canSee) =>
      Effect.flatMap(Ref.get(restaurants), (all) =>
        Option.match(Option.fromNullable([...all.values()].find((r) => canSee(r) && r.reservations.has(id))), {
          onNone: () => Effect.fail(rejection(404, "RESERVATION_NOT_FOUND")),
          onSome: Effect.succeed
        }))

    const core: SimulatorCore = {
      restaurants,
      tokens,
      mode,
      webhooks,
      limiter,
      faults,
      counters,
      count: (f) => Ref.update(counters, f),
      apply,
      restaurantOf
    }
    return core
  })
