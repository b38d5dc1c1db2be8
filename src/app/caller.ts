import { Context, Effect, Layer } from "effect"
import type { Caller } from "../domain/access.js"

/**
 * The caller of the request being served (issue 17), provided by the authentication middleware.
 * Services read it to scope what they read and change, so a handler that forgets a check cannot
 * reach another restaurant.
 */
export class CurrentCaller extends Context.Tag("CurrentCaller")<CurrentCaller, Caller>() {}

/**
 * The service itself, outside any request: the command line, start-up and tests that call the
 * services directly. Every restaurant, every role.
 */
export const systemCaller: Caller = { keyId: "system", name: "system", role: "admin", restaurants: null }

export const CurrentCallerSystem = Layer.succeed(CurrentCaller, systemCaller)

export const asSystem = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, CurrentCaller, systemCaller)
