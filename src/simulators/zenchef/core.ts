import { Clock, Effect, Either, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "../kit/delivery-queue.js"
import { defaultRetrySettings, makeDeliveryQueue } from "../kit/delivery-queue.js"
import type { FaultSwitch } from "../kit/faults.js"
import { makeFaultSwitch } from "../kit/faults.js"
import type { RateLimitSettings, TokenBucketLimiter } from "../kit/token-bucket.js"
import { makeTokenBucketLimiter } from "../kit/token-bucket.js"
import type { ChangeContext } from "./bookings.js"
import { localNow } from "./local-time.js"
import type { Problem } from "./problems.js"
import type { ZenchefRejected } from "./problems.js"
import type { BookingChange, Restaurant, SimulatorMode } from "./state.js"
import { defaultMode } from "./state.js"
import type { RestaurantStore } from "./store.js"
import { makeRestaurantStore } from "./store.js"
import { emitBookingEvent } from "./webhooks.js"

export interface RequestCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
}

export const noRequests: RequestCounters = {
  requestsByRoute: {},
  rateLimited: 0,
  failuresInjected: 0,
  responsesDropped: 0
}

/** Who made a change: the API (a connector) or the platform itself (a restaurant employee). */
export type ChangeOrigin = "api" | "platform"

/** Everything the simulator holds, shared by the API routes, the control routes and the handle. */
export interface SimulatorCore {
  readonly store: RestaurantStore
  readonly mode: Ref.Ref<SimulatorMode>
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<RequestCounters>
  readonly apply: (
    restaurantUid: string,
    origin: ChangeOrigin,
    change: (restaurant: Restaurant, ctx: ChangeContext) => Either.Either<BookingChange, Problem>
  ) => Effect.Effect<BookingChange, ZenchefRejected>
  readonly nowLocal: (restaurant: Restaurant) => Effect.Effect<string>
}

export interface CoreOptions {
  readonly rateLimit: RateLimitSettings | null
  readonly mode: SimulatorMode
  readonly webhookRetry: RetrySettings
}

export const defaultCoreOptions: CoreOptions = {
  rateLimit: { limit: 100, windowMs: 60_000 },
  mode: defaultMode,
  webhookRetry: defaultRetrySettings
}

export const makeSimulatorCore = (options: CoreOptions) =>
  Effect.gen(function*() {
    const store = yield* makeRestaurantStore
    const mode = yield* Ref.make(options.mode)
    const webhooks = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter = yield* makeTokenBucketLimiter(options.rateLimit)
    const faults = yield* makeFaultSwitch
    const counters = yield* Ref.make(noRequests)

    const apply: SimulatorCore["apply"] = (restaurantUid, origin, change) =>
      Effect.gen(function*() {
        const nowMs = yield* Clock.currentTimeMillis
        const result = yield* store.change(
          restaurantUid,
          (restaurant) => change(restaurant, { nowMs, nowLocal: localNow(restaurant.config.timeZone, nowMs) })
        )
        const { apiChangesEmitWebhooks } = yield* Ref.get(mode)
        if (result.event !== null && (origin === "platform" || apiChangesEmitWebhooks)) {
          yield* emitBookingEvent(webhooks, result.restaurant.config, result.event, result.booking)
        }
        return result
      })

    const core: SimulatorCore = {
      store,
      mode,
      webhooks,
      limiter,
      faults,
      counters,
      apply,
      nowLocal: (restaurant) => Effect.map(Clock.currentTimeMillis, (ms) => localNow(restaurant.config.timeZone, ms))
    }
    return core
  })
