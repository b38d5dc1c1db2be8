import { Context, Effect, Option, Tracer } from "effect"

/**
 * Runs `self`, which needs no service, in a context holding only the caller's span (when there is
 * one). Each service provided on the way (a scope per exchange, a retry schedule's iteration, the
 * HTTP client's dispatcher) copies the whole context it is given: on the sync thread that is
 * some sixty services, about nine copies per push (issue 22, bench/HISTORY.md). Here they copy one.
 */
export const inOwnContext = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.mapInputContext(
    self,
    (outer: Context.Context<never>) =>
      Option.match(Context.getOption(outer, Tracer.ParentSpan), {
        onNone: () => Context.empty(),
        onSome: (span) => Context.make(Tracer.ParentSpan, span) as Context.Context<never>
      })
  )
