import { Effect, Either, HashMap, Option, Ref } from "effect"
import type { Problem } from "./problems.js"
import { notFound, ZenchefRejected } from "./problems.js"
import type { RestaurantConfig } from "./seed.js"
import type { BookingChange, Restaurant } from "./state.js"

export interface RestaurantStore {
  /** Adds the restaurant, or replaces one with the same uid (its bookings are dropped). */
  readonly put: (config: RestaurantConfig) => Effect.Effect<void>
  readonly find: (uid: string) => Effect.Effect<Option.Option<Restaurant>>
  readonly get: (uid: string) => Effect.Effect<Restaurant, ZenchefRejected>
  readonly all: Effect.Effect<ReadonlyArray<Restaurant>>
  /** Applies one booking change atomically; nothing is stored when it is refused. */
  readonly change: (
    uid: string,
    f: (restaurant: Restaurant) => Either.Either<BookingChange, Problem>
  ) => Effect.Effect<BookingChange, ZenchefRejected>
  readonly configure: (
    uid: string,
    f: (config: RestaurantConfig) => RestaurantConfig
  ) => Effect.Effect<void, ZenchefRejected>
}

const unknownRestaurant = (uid: string) => new ZenchefRejected({ problem: notFound(`Restaurant ${uid} not found`) })

export const makeRestaurantStore: Effect.Effect<RestaurantStore> = Effect.gen(function*() {
  const ref = yield* Ref.make(HashMap.empty<string, Restaurant>())
  const find = (uid: string) => Effect.map(Ref.get(ref), HashMap.get(uid))
  return {
    put: (config) => Ref.update(ref, HashMap.set(config.uid, { config, bookings: HashMap.empty() })),
    find,
    get: (uid) =>
      Effect.flatMap(
        find(uid),
        Option.match({ onNone: () => Effect.fail(unknownRestaurant(uid)), onSome: Effect.succeed })
      ),
    all: Effect.map(Ref.get(ref), (all) => Array.from(HashMap.values(all))),
    change: (uid, f) =>
      Ref.modify(
        ref,
        (all): [Either.Either<BookingChange, ZenchefRejected>, HashMap.HashMap<string, Restaurant>] =>
          Option.match(HashMap.get(all, uid), {
            onNone: () => [Either.left(unknownRestaurant(uid)), all],
            onSome: (restaurant) =>
              Either.match(f(restaurant), {
                onLeft: (problem) => [Either.left(new ZenchefRejected({ problem })), all],
                onRight: (change) => [Either.right(change), HashMap.set(all, uid, change.restaurant)]
              })
          })
      ).pipe(Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: Effect.succeed }))),
    configure: (uid, f) =>
      Ref.modify(ref, (all): [boolean, HashMap.HashMap<string, Restaurant>] =>
        Option.match(HashMap.get(all, uid), {
          onNone: () => [false, all],
          onSome: (restaurant) => [true, HashMap.set(all, uid, { ...restaurant, config: f(restaurant.config) })]
        })).pipe(Effect.flatMap((found) => (found ? Effect.void : Effect.fail(unknownRestaurant(uid)))))
  }
})
