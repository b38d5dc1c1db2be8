import { Effect, Exit, Scope } from "effect"
import {
  ZenchefSimulator,
  type ZenchefSimulatorHandle,
  type ZenchefSimulatorOptions
} from "../../src/simulators/zenchef/index.js"

/** The Zenchef simulator in this process, driven with promises; `close` stops its server. */
export const startSimulator = async (options: ZenchefSimulatorOptions) => {
  const scope = Effect.runSync(Scope.make())
  const handle: ZenchefSimulatorHandle = await Effect.runPromise(
    ZenchefSimulator.start(options).pipe(Scope.extend(scope))
  )
  return { handle, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

/** Bookings the simulator holds for each restaurant uid. */
export const bookingCounts = async (sim: ZenchefSimulatorHandle) => (await run(sim.counters)).bookingsByRestaurant

export const totalBookings = async (sim: ZenchefSimulatorHandle, uids: ReadonlyArray<string>) => {
  const counts = await bookingCounts(sim)
  return uids.reduce((sum, uid) => sum + (counts[uid] ?? 0), 0)
}

/** Requests the simulator's API saw (429s included) and how many it refused for the rate limit. */
export const apiRequests = async (sim: ZenchefSimulatorHandle) => {
  const counters = await run(sim.counters)
  const total = Object.values(counters.requestsByRoute).reduce((sum, n) => sum + n, 0)
  return { total, rateLimited: counters.rateLimited, createCalls: counters.createCalls }
}
