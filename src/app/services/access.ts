import { Effect } from "effect"
import {
  canTouch,
  hasRole,
  listScope,
  type RestaurantScope,
  restaurantsVisible,
  type Role
} from "../../domain/access.js"
import type { RestaurantId } from "../../domain/ids.js"
import { CurrentCaller } from "../caller.js"
import { Forbidden } from "../errors.js"

/**
 * The tenant rules of issue 17 as the services apply them, from the caller of the request: the
 * restaurant comes from the key, never from a parameter alone.
 */

/** The restaurants the caller may read or change, as repositories filter them. */
export const callerScope: Effect.Effect<RestaurantScope, never, CurrentCaller> = Effect.map(
  CurrentCaller,
  restaurantsVisible
)

const outside = (restaurantId: string) =>
  new Forbidden({ message: `this key may not access restaurant ${restaurantId}` })

/** A list's restaurants: omitted means the caller's own; another restaurant's id is refused. */
export const scopeOfList = (
  requested: RestaurantId | undefined
): Effect.Effect<RestaurantScope, Forbidden, CurrentCaller> =>
  Effect.flatMap(CurrentCaller, (caller) => {
    const allowed = listScope(caller, requested)
    return allowed === undefined ? Effect.fail(outside(requested ?? "")) : Effect.succeed(allowed.scope)
  })

/** A restaurant named by the request (a create, a voice-AI call, a backfill) must be the caller's. */
export const requireRestaurant = (restaurantId: string): Effect.Effect<void, Forbidden, CurrentCaller> =>
  Effect.flatMap(
    CurrentCaller,
    (caller) => (canTouch(caller, restaurantId) ? Effect.void : Effect.fail(outside(restaurantId)))
  )

/** Defence in depth where a service's use case needs a role beyond its route's. */
export const requireRole = (role: Role): Effect.Effect<void, Forbidden, CurrentCaller> =>
  Effect.flatMap(
    CurrentCaller,
    (caller) =>
      hasRole(caller, role) ? Effect.void : Effect.fail(new Forbidden({ message: `this needs a key of role ${role}` }))
  )

/** Whether the caller may see a record of this restaurant: otherwise it answers as if it did not exist. */
export const visibleTo = (restaurantId: string): Effect.Effect<boolean, never, CurrentCaller> =>
  Effect.map(CurrentCaller, (caller) => canTouch(caller, restaurantId))

/** A record of another restaurant answers as if it did not exist (issue 17): `missing` then. */
export const mustBeVisible = <E>(restaurantId: string, missing: () => E): Effect.Effect<void, E, CurrentCaller> =>
  Effect.flatMap(visibleTo(restaurantId), (visible) => (visible ? Effect.void : Effect.fail(missing())))
