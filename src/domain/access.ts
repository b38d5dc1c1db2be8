import { Schema } from "effect"
import type { RestaurantId } from "./ids.js"

/**
 * Who may call what (issue 17). Roles nest: an admin may do what an operator may, an operator what
 * the app may. The app (the main AlloResto app, the voice AI) manages restaurant data; operators
 * also replay, retry and watch; administrators also configure platforms, backfill and manage keys.
 */
export const Role = Schema.Literal("app", "operator", "admin")
export type Role = typeof Role.Type

const rank: Readonly<Record<Role, number>> = { app: 0, operator: 1, admin: 2 }

/** The caller of a request, as its API key says: the tenant comes from the key, never from the request. */
export interface Caller {
  readonly keyId: string
  readonly name: string
  readonly role: Role
  /** The restaurants the key may touch; `null`: every restaurant. */
  readonly restaurants: ReadonlyArray<RestaurantId> | null
}

/**
 * The restaurants a caller sees, as repositories filter them: `undefined` means no restriction,
 * an array (possibly empty) the only restaurants to read or change.
 */
export type RestaurantScope = ReadonlyArray<RestaurantId> | undefined

/** Whether a record of this restaurant falls in a scope. */
export const inScope = (scope: RestaurantScope, restaurantId: string): boolean =>
  scope === undefined || scope.some((id) => id === restaurantId)

export const hasRole = (caller: Caller, needed: Role): boolean => rank[caller.role] >= rank[needed]

export const restaurantsVisible = (caller: Caller): RestaurantScope => caller.restaurants ?? undefined

export const canTouch = (caller: Caller, restaurantId: string): boolean =>
  caller.restaurants === null || caller.restaurants.some((id) => id === restaurantId)

/**
 * The scope of a list (issue 17): an omitted restaurant means every restaurant of the key, a named
 * one must be among them. `undefined` when the caller may not see the named restaurant.
 */
export const listScope = (
  caller: Caller,
  requested: RestaurantId | undefined
): { readonly scope: RestaurantScope } | undefined => {
  if (requested === undefined) return { scope: restaurantsVisible(caller) }
  return canTouch(caller, requested) ? { scope: [requested] } : undefined
}

/**
 * What a key may hand out: never a higher role, and only restaurants of its own (an admin limited
 * to some restaurants cannot mint a key for all of them).
 */
export const canGrant = (caller: Caller, role: Role, restaurants: ReadonlyArray<RestaurantId> | null): boolean =>
  hasRole(caller, role) &&
  (caller.restaurants === null || (restaurants !== null && restaurants.every((id) => canTouch(caller, id))))

/** Whether a key's holder may see or revoke another key: all of its restaurants must be theirs. */
export const canManage = (caller: Caller, key: { readonly restaurants: ReadonlyArray<RestaurantId> | null }): boolean =>
  canGrant(caller, "app", key.restaurants)
