import { Duration, Effect, Ref } from "effect"
import type { FaultSwitch } from "./faults.js"
import type { SimReply, SimRequest } from "./http-server.js"
import { drop } from "./http-server.js"
import type { TokenBucketLimiter } from "./token-bucket.js"

/** The counters every simulator keeps of its API calls. */
export interface GuardCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
}

export interface Guarded<C extends GuardCounters> {
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<C>
}

/** How a platform words the refusals the guard makes, in its own error envelope. */
export interface GuardReplies {
  readonly limited: (retryAfterSeconds: number) => SimReply
  readonly failed: (status: number) => SimReply
}

/** The first value of a request header. */
export const headerOf = (request: SimRequest, name: string) => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Counts one call of the route named `name` (`METHOD /template`). */
export const countRoute = <C extends GuardCounters>(core: Guarded<C>, name: string) =>
  Ref.update(
    core.counters,
    (c) => ({ ...c, requestsByRoute: { ...c.requestsByRoute, [name]: (c.requestsByRoute[name] ?? 0) + 1 } })
  )

/**
 * Rate-limits the client (429 + Retry-After), injects the next fault, then handles. A dropped
 * response is applied after handling, so the change is kept.
 */
export const limitFaultAndHandle = <C extends GuardCounters>(
  core: Guarded<C>,
  clientId: string,
  replies: GuardReplies,
  handle: () => Effect.Effect<SimReply>
): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    const taken = yield* core.limiter.take(clientId)
    if (taken._tag === "Limited") {
      yield* Ref.update(core.counters, (c) => ({ ...c, rateLimited: c.rateLimited + 1 }))
      return replies.limited(taken.retryAfterSeconds)
    }
    const fault = yield* core.faults.next
    if (fault.latencyMs > 0) yield* Effect.sleep(Duration.millis(fault.latencyMs))
    if (fault.action._tag === "Fail") {
      yield* Ref.update(core.counters, (c) => ({ ...c, failuresInjected: c.failuresInjected + 1 }))
      return replies.failed(fault.action.status)
    }
    const reply = yield* handle()
    if (fault.action._tag === "Drop") {
      yield* Ref.update(core.counters, (c) => ({ ...c, responsesDropped: c.responsesDropped + 1 }))
      return drop
    }
    return reply
  })
