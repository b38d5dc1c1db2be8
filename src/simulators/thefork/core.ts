import { Clock, Effect, type Either, Ref } from "effect"
import type { IssuedToken, IssuedTokens } from "../kit/issued-tokens.js"
import type { CoreParts, CorePartsOptions } from "../kit/tenant-core.js"
import { changeTenant, findTenant, makeCoreParts } from "../kit/tenant-core.js"
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

export type ChangeOrigin = "api" | "staff"

export interface SimulatorCore extends CoreParts<SimulatorMode, RequestCounters> {
  readonly restaurants: Ref.Ref<ReadonlyMap<string, Restaurant>>
  readonly tokens: IssuedTokens
  /** Applies one change atomically, then queues its webhook. */
  readonly apply: (
    restaurantUuid: string,
    origin: ChangeOrigin,
    change: (restaurant: Restaurant, nowMs: number) => Either.Either<Change, TheForkRejected>
  ) => Effect.Effect<Change, TheForkRejected>
  /** The restaurant holding reservation `id`, among those `canSee`. */
  readonly restaurantOf: (id: string, canSee: (r: Restaurant) => boolean) => Effect.Effect<Restaurant, TheForkRejected>
}

export type CoreOptions = CorePartsOptions<SimulatorMode>

export const makeSimulatorCore = (options: CoreOptions) =>
  Effect.gen(function*() {
    const restaurants = yield* Ref.make<ReadonlyMap<string, Restaurant>>(new Map())
    const tokens = yield* Ref.make<ReadonlyMap<string, IssuedToken>>(new Map())
    const parts = yield* makeCoreParts(options, noRequests)

    const apply: SimulatorCore["apply"] = (uuid, origin, change) =>
      Effect.gen(function*() {
        const nowMs = yield* Clock.currentTimeMillis
        const done = yield* changeTenant(restaurants, uuid, () => rejection(404, "RESTAURANT_NOT_FOUND"), (r) =>
          change(r, nowMs), (c) =>
          c.restaurant)
        const { apiChangesEmitWebhooks } = yield* Ref.get(parts.mode)
        if (done.event !== null && (origin === "staff" || apiChangesEmitWebhooks)) {
          yield* emitThinEvent(parts.webhooks, done.restaurant.config, done.event, done.reservation.reservationUuid)
        }
        return done
      })

    const restaurantOf: SimulatorCore["restaurantOf"] = (id, canSee) =>
      findTenant(restaurants, (r) => canSee(r) && r.reservations.has(id), () => rejection(404, "RESERVATION_NOT_FOUND"))

    const core: SimulatorCore = { ...parts, restaurants, tokens, apply, restaurantOf }
    return core
  })
