import { Context, Effect, Option, Tracer } from "effect"

/**
 * Runs `self`, which needs no service, in a context holding only the caller's span and those of
 * `kept` the caller has (when it has them). Each service provided on the way (a scope per HTTP
 * exchange or SQL statement, a retry schedule's iteration, the HTTP client's dispatcher) copies the
 * whole context it is given: on the sync thread that is some sixty services, about nine copies per
 * push (issue 22, bench/HISTORY.md). Here they copy a few.
 */
export const inOwnContext = (...kept: ReadonlyArray<Context.Tag<any, any>>) =>
<A, E>(
  self: Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.mapInputContext(self, (outer: Context.Context<never>) => {
    let own = Context.empty() as Context.Context<never>
    for (const tag of [Tracer.ParentSpan, ...kept]) {
      const service = Context.getOption(outer, tag)
      if (Option.isSome(service)) own = Context.add(own, tag, service.value) as Context.Context<never>
    }
    return own
  })
