import { Clock, Effect, Either, Option, Ref } from "effect"
import type { DeliveryQueue, RetrySettings } from "../../simulator-kit/delivery-queue.js"
import { makeDeliveryQueue } from "../../simulator-kit/delivery-queue.js"
import type { FaultSwitch } from "../../simulator-kit/faults.js"
import { makeFaultSwitch } from "../../simulator-kit/faults.js"
import type { RateLimitSettings, TokenBucketLimiter } from "../../simulator-kit/token-bucket.js"
import { makeTokenBucketLimiter } from "../../simulator-kit/token-bucket.js"
import type { Change, Venue } from "./book.js"
import { rejection, type SevenRoomsRejected } from "./errors.js"
import { emitReservationEvent } from "./webhooks.js"

export interface RequestCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  /** `POST /auth` calls, granted or not. */
  readonly tokenRequests: number
  readonly unauthorized: number
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
}

export const noRequests: RequestCounters = { requestsByRoute: {}, tokenRequests: 0, unauthorized: 0, rateLimited: 0, failuresInjected: 0, responsesDropped: 0 }

export interface SimulatorMode {
  /** Whether changes made through the API raise webhooks (staff changes always do). */
  readonly apiChangesEmitWebhooks: boolean
  /** About 24 h at SevenRooms; tests shorten it to see tokens expire. */
  readonly tokenLifetimeSeconds: number
}

export interface IssuedToken {
  readonly clientId: string
  readonly expiresAt: number
}

export type ChangeOrigin = "api" | "staff"

export interface SimulatorCore {
  readonly venues: Ref.Ref<ReadonlyMap<string, Venue>>
  readonly tokens: Ref.Ref<ReadonlyMap<string, IssuedToken>>
  readonly mode: Ref.Ref<SimulatorMode>
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<RequestCounters>
  readonly count: (f: (c: RequestCounters) => RequestCounters) => Effect.Effect<void>
  readonly apply: (
    venueId: string,
    origin: ChangeOrigin,
    change: (venue: Venue, nowIso: string) => Either.Either<Change, SevenRoomsRejected>
  ) => Effect.Effect<Change, SevenRoomsRejected>
  /** The venue holding reservation `id`, among those `canSee`. */
  readonly venueOf: (id: string, canSee: (v: Venue) => boolean) => Effect.Effect<Venue, SevenRoomsRejected>
}

export interface CoreOptions {
  readonly rateLimit: RateLimitSettings | null
  readonly mode: SimulatorMode
  readonly webhookRetry: RetrySettings
}

export const makeSimulatorCore = (options: CoreOptions) =>
  Effect.gen(function* () {
    const venues = yield* Ref.make<ReadonlyMap<string, Venue>>(new Map())
    const tokens = yield* Ref.make<ReadonlyMap<string, IssuedToken>>(new Map())
    const mode = yield* Ref.make(options.mode)
    const webhooks = yield* makeDeliveryQueue(options.webhookRetry)
    const limiter = yield* makeTokenBucketLimiter(options.rateLimit)
    const faults = yield* makeFaultSwitch
    const counters = yield* Ref.make(noRequests)

    const apply: SimulatorCore["apply"] = (venueId, origin, change) =>
      Effect.gen(function* () {
        const nowIso = new Date(yield* Clock.currentTimeMillis).toISOString()
        const outcome = yield* Ref.modify(venues, (all): [Either.Either<Change, SevenRoomsRejected>, ReadonlyMap<string, Venue>] => {
          const venue = all.get(venueId)
          if (venue === undefined) return [Either.left(rejection(404, "Venue not found")), all]
          const result = change(venue, nowIso)
          return Either.isRight(result) ? [result, new Map(all).set(venueId, result.right.venue)] : [result, all]
        })
        const done = yield* Either.match(outcome, { onLeft: Effect.fail, onRight: Effect.succeed })
        const { apiChangesEmitWebhooks } = yield* Ref.get(mode)
        if (done.event !== null && (origin === "staff" || apiChangesEmitWebhooks)) {
          yield* emitReservationEvent(webhooks, done.venue.config, done.event, done.reservation)
        }
        return done
      })

    const venueOf: SimulatorCore["venueOf"] = (id, canSee) =>
      Effect.flatMap(Ref.get(venues), (all) =>
        Option.match(Option.fromNullable([...all.values()].find((v) => canSee(v) && v.reservations.has(id))), {
          onNone: () => Effect.fail(rejection(404, "Reservation not found")),
          onSome: Effect.succeed
        }))

    const core: SimulatorCore = { venues, tokens, mode, webhooks, limiter, faults, counters, count: (f) => Ref.update(counters, f), apply, venueOf }
    return core
  })
