import { Effect, Either, HashMap, Ref } from "effect"
import type { FaultControl, QueueControl } from "../kit/control.js"
import { faultControl, queueControl } from "../kit/control.js"
import type { DeliveryStats } from "../kit/delivery-queue.js"
import {
  acceptBooking,
  cancelBooking,
  changed,
  createBooking,
  findBooking,
  newBookingUid,
  toggleVisit
} from "./bookings.js"
import type { SimulatorCore } from "./core.js"
import { noRequests } from "./core.js"
import type { ZenchefRejected } from "./problems.js"
import { decodeValue, fromEither } from "./problems.js"
import type { RestaurantConfig, RestaurantSeedInput } from "./seed.js"
import { restaurantConfig, RestaurantSeed, WebhookTarget } from "./seed.js"
import type { BookingEvent, SimulatorMode } from "./state.js"
import { bookingsOf } from "./state.js"
import { updateBooking } from "./update.js"
import type { Booking } from "./wire.js"
import { BookingUpdate, PlatformBookingCreate } from "./wire.js"

export interface SimulatorCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  readonly createCalls: number
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
  readonly bookingsByRestaurant: Readonly<Record<string, number>>
  readonly webhooks: DeliveryStats
}

export interface WebhookControl extends QueueControl {
  /** Sends a webhook for the booking as it is now, whatever the mode. */
  readonly trigger: (restaurantUid: string, uid: string, event: BookingEvent) => Effect.Effect<void, ZenchefRejected>
}

/** Changes made "in Zenchef" by restaurant staff: they always raise webhooks. */
export interface PlatformSide {
  readonly create: (
    restaurantUid: string,
    input: typeof PlatformBookingCreate.Encoded
  ) => Effect.Effect<Booking, ZenchefRejected>
  /** Merge semantics whatever the API's update mode. */
  readonly update: (
    restaurantUid: string,
    uid: string,
    patch: typeof BookingUpdate.Encoded
  ) => Effect.Effect<Booking, ZenchefRejected>
  readonly cancel: (restaurantUid: string, uid: string) => Effect.Effect<Booking, ZenchefRejected>
  readonly checkIn: (restaurantUid: string, uid: string) => Effect.Effect<Booking, ZenchefRejected>
  readonly checkOut: (restaurantUid: string, uid: string) => Effect.Effect<Booking, ZenchefRejected>
  readonly accept: (restaurantUid: string, uid: string) => Effect.Effect<Booking, ZenchefRejected>
}

export interface SimulatorControl extends FaultControl {
  readonly seedRestaurant: (seed: RestaurantSeedInput) => Effect.Effect<RestaurantConfig, ZenchefRejected>
  readonly restaurant: (uid: string) => Effect.Effect<RestaurantConfig, ZenchefRejected>
  readonly setWebhook: (
    restaurantUid: string,
    target: typeof WebhookTarget.Encoded | null
  ) => Effect.Effect<void, ZenchefRejected>
  readonly setMode: (mode: Partial<SimulatorMode>) => Effect.Effect<SimulatorMode>
  readonly bookings: (restaurantUid: string) => Effect.Effect<ReadonlyArray<Booking>, ZenchefRejected>
  readonly booking: (restaurantUid: string, uid: string) => Effect.Effect<Booking, ZenchefRejected>
  /** Whether the booking is checked out: Formitable keeps it, but no Booking field shows it. */
  readonly checkedOut: (restaurantUid: string, uid: string) => Effect.Effect<boolean, ZenchefRejected>
  readonly platform: PlatformSide
  readonly webhooks: WebhookControl
  readonly counters: Effect.Effect<SimulatorCounters>
  readonly resetCounters: Effect.Effect<void>
}

export const CREATE_ROUTE = "POST /{restaurantUid}/booking"

export const makeControl = (core: SimulatorCore): SimulatorControl => {
  const platform = (restaurantUid: string, change: Parameters<SimulatorCore["apply"]>[2]) =>
    Effect.map(core.apply(restaurantUid, "platform", change), (result) => result.booking)
  return {
    seedRestaurant: (seed) =>
      Effect.gen(function*() {
        const config = restaurantConfig(yield* decodeValue(RestaurantSeed, seed))
        yield* core.store.put(config)
        return config
      }),
    restaurant: (uid) => Effect.map(core.store.get(uid), (r) => r.config),
    setWebhook: (restaurantUid, target) =>
      Effect.flatMap(
        target === null ? Effect.succeed(null) : decodeValue(WebhookTarget, target),
        (webhook) => core.store.configure(restaurantUid, (config) => ({ ...config, webhook }))
      ),
    setMode: (mode) => Ref.updateAndGet(core.mode, (current) => ({ ...current, ...mode })),
    ...faultControl(core),
    bookings: (uid) => Effect.map(core.store.get(uid), (r) => bookingsOf(r).map((s) => s.booking)),
    booking: (restaurantUid, uid) =>
      Effect.flatMap(
        core.store.get(restaurantUid),
        (r) => Effect.map(fromEither(findBooking(r, uid)), (s) => s.booking)
      ),
    checkedOut: (restaurantUid, uid) =>
      Effect.flatMap(
        core.store.get(restaurantUid),
        (r) => Effect.map(fromEither(findBooking(r, uid)), (s) => s.checkedOutAt !== null)
      ),
    platform: {
      create: (restaurantUid, input) =>
        Effect.flatMap(
          decodeValue(PlatformBookingCreate, input),
          (valid) => platform(restaurantUid, (r, ctx) => createBooking(r, valid, newBookingUid(), null, ctx))
        ),
      update: (restaurantUid, uid, patch) =>
        Effect.flatMap(
          decodeValue(BookingUpdate, patch),
          (valid) => platform(restaurantUid, (r, ctx) => updateBooking(r, uid, valid, "merge", ctx))
        ),
      cancel: (restaurantUid, uid) => platform(restaurantUid, (r, ctx) => cancelBooking(r, uid, ctx)),
      checkIn: (restaurantUid, uid) => platform(restaurantUid, (r, ctx) => toggleVisit(r, uid, "checkin", ctx)),
      checkOut: (restaurantUid, uid) => platform(restaurantUid, (r, ctx) => toggleVisit(r, uid, "checkout", ctx)),
      accept: (restaurantUid, uid) => platform(restaurantUid, (r, ctx) => acceptBooking(r, uid, ctx))
    },
    webhooks: {
      ...queueControl(core.webhooks),
      trigger: (restaurantUid, uid, event) =>
        Effect.asVoid(
          platform(restaurantUid, (r) => Either.map(findBooking(r, uid), (stored) => changed(r, stored, event)))
        )
    },
    counters: Effect.gen(function*() {
      const requests = yield* Ref.get(core.counters)
      const restaurants = yield* core.store.all
      return {
        ...requests,
        createCalls: requests.requestsByRoute[CREATE_ROUTE] ?? 0,
        bookingsByRestaurant: Object.fromEntries(restaurants.map((r) => [r.config.uid, HashMap.size(r.bookings)])),
        webhooks: yield* core.webhooks.stats
      }
    }),
    resetCounters: Ref.set(core.counters, noRequests).pipe(Effect.zipRight(core.webhooks.resetStats))
  }
}
