import { Effect, Either, Ref } from "effect"
import type { FaultControl, QueueControl } from "../kit/control.js"
import { faultControl, queueControl } from "../kit/control.js"
import type { DeliveryStats } from "../kit/delivery-queue.js"
import { getTenant } from "../kit/tenant-core.js"
import { create, find, type Restaurant, staffChange } from "./book.js"
import type { RequestCounters, SimulatorCore, SimulatorMode } from "./core.js"
import { noRequests } from "./core.js"
import { decodeStrict, fromEither, reject, rejection, type TheForkRejected } from "./errors.js"
import {
  type RestaurantConfig,
  restaurantConfig,
  RestaurantSeed,
  type RestaurantSeedInput,
  WebhookTarget
} from "./seed.js"
import { expireAllTokens } from "./tokens.js"
import { emitThinEvent } from "./webhooks.js"
import { CreateInput, type Customer, type Reservation, StaffChange } from "./wire.js"

export interface SimulatorCounters extends RequestCounters {
  readonly createCalls: number
  readonly reservationsByRestaurant: Readonly<Record<string, number>>
  readonly webhooks: DeliveryStats
}

export interface WebhookControl extends QueueControl {
  /** Sends a thin event for the reservation, whatever happened to it. */
  readonly trigger: (
    restaurantUuid: string,
    id: string,
    eventType: "reservationCreated" | "reservationUpdated"
  ) => Effect.Effect<void, TheForkRejected>
}

/** Changes made by restaurant staff in TheFork Manager: they always raise webhooks. */
export interface StaffSide {
  readonly create: (
    restaurantUuid: string,
    input: typeof CreateInput.Encoded,
    channel?: string
  ) => Effect.Effect<Reservation, TheForkRejected>
  readonly change: (
    restaurantUuid: string,
    id: string,
    change: typeof StaffChange.Encoded
  ) => Effect.Effect<Reservation, TheForkRejected>
}

export interface TheForkSimulatorControl extends FaultControl {
  readonly seedRestaurant: (seed: RestaurantSeedInput) => Effect.Effect<RestaurantConfig, TheForkRejected>
  readonly restaurant: (uuid: string) => Effect.Effect<RestaurantConfig, TheForkRejected>
  readonly setWebhook: (
    restaurantUuid: string,
    target: typeof WebhookTarget.Encoded | null
  ) => Effect.Effect<void, TheForkRejected>
  readonly setMode: (mode: Partial<SimulatorMode>) => Effect.Effect<SimulatorMode>
  /** Every issued token expires now: the next calls get 401 until a new token is fetched. */
  readonly expireTokens: Effect.Effect<void>
  readonly reservations: (restaurantUuid: string) => Effect.Effect<ReadonlyArray<Reservation>, TheForkRejected>
  readonly reservation: (restaurantUuid: string, id: string) => Effect.Effect<Reservation, TheForkRejected>
  readonly customer: (restaurantUuid: string, customerUuid: string) => Effect.Effect<Customer, TheForkRejected>
  readonly staff: StaffSide
  readonly webhooks: WebhookControl
  readonly counters: Effect.Effect<SimulatorCounters>
  readonly resetCounters: Effect.Effect<void>
}

export const CREATE_ROUTE = "POST /v1/restaurants/{id}/reservations"

const iso = (ms: number) => new Date(ms).toISOString()

export const makeControl = (core: SimulatorCore): TheForkSimulatorControl => {
  const restaurant = (uuid: string): Effect.Effect<Restaurant, TheForkRejected> =>
    getTenant(core.restaurants, uuid, () => rejection(404, "RESTAURANT_NOT_FOUND"))
  const configure = (uuid: string, f: (c: RestaurantConfig) => RestaurantConfig) =>
    Effect.flatMap(
      restaurant(uuid),
      (r) => Ref.update(core.restaurants, (all) => new Map(all).set(uuid, { ...r, config: f(r.config) }))
    )
  return {
    seedRestaurant: (seed) =>
      Effect.gen(function*() {
        const config = restaurantConfig(yield* decodeStrict(RestaurantSeed, seed))
        yield* Ref.update(core.restaurants, (all) =>
          new Map(all).set(config.uuid, { config, reservations: new Map(), customers: new Map() }))
        return config
      }),
    restaurant: (uuid) => Effect.map(restaurant(uuid), (r) => r.config),
    setWebhook: (uuid, target) =>
      Effect.flatMap(
        target === null ? Effect.succeed(null) : decodeStrict(WebhookTarget, target),
        (webhook) => configure(uuid, (c) => ({ ...c, webhook }))
      ),
    setMode: (mode) => Ref.updateAndGet(core.mode, (current) => ({ ...current, ...mode })),
    ...faultControl(core),
    expireTokens: expireAllTokens(core),
    reservations: (uuid) =>
      Effect.map(
        restaurant(uuid),
        (r) => [...r.reservations.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      ),
    reservation: (uuid, id) => Effect.flatMap(restaurant(uuid), (r) => fromEither(find(r, id))),
    customer: (uuid, customerUuid) =>
      Effect.flatMap(restaurant(uuid), (r) => {
        const c = r.customers.get(customerUuid)
        return c === undefined ? reject(404, "CUSTOMER_NOT_FOUND") : Effect.succeed(c)
      }),
    staff: {
      create: (uuid, input, channel = "TheFork") =>
        Effect.flatMap(
          decodeStrict(CreateInput, input),
          (valid) =>
            Effect.map(core.apply(uuid, "staff", (r, now) => create(r, valid, iso(now), channel)), (d) => d.reservation)
        ),
      change: (uuid, id, change) =>
        Effect.flatMap(
          decodeStrict(StaffChange, change),
          (valid) =>
            Effect.map(core.apply(uuid, "staff", (r, now) => staffChange(r, id, valid, iso(now))), (d) => d.reservation)
        )
    },
    webhooks: {
      ...queueControl(core.webhooks),
      trigger: (uuid, id, eventType) =>
        Effect.flatMap(
          restaurant(uuid),
          (r) =>
            Either.isLeft(find(r, id))
              ? reject(404, "RESERVATION_NOT_FOUND")
              : emitThinEvent(core.webhooks, r.config, eventType, id)
        )
    },
    counters: Effect.gen(function*() {
      const requests = yield* Ref.get(core.counters)
      const all = yield* Ref.get(core.restaurants)
      return {
        ...requests,
        createCalls: requests.requestsByRoute[CREATE_ROUTE] ?? 0,
        reservationsByRestaurant: Object.fromEntries(
          [...all.values()].map((r) => [r.config.uuid, r.reservations.size])
        ),
        webhooks: yield* core.webhooks.stats
      }
    }),
    resetCounters: Ref.set(core.counters, noRequests).pipe(Effect.zipRight(core.webhooks.resetStats))
  }
}
