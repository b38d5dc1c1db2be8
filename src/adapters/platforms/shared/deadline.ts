import { Duration, Effect, Exit, Scope } from "effect"

/**
 * Runs `exchange` with a scope that a timer closes once `timeout` has passed. Given a client made
 * with `HttpClient.withScope`, closing the scope aborts the request, its body included, so the
 * exchange fails at once and that failure becomes `onTimeout()`. `Effect.timeout` forks the
 * exchange and a sleep and joins their fiber references, for every call: about a sixth of a
 * connector call's CPU (issue 22, bench/HISTORY.md), for a deadline that almost never fires. Here
 * nothing is forked.
 */
export const withinDeadline = <A, E, R, E2>(
  exchange: Effect.Effect<A, E, R | Scope.Scope>,
  timeout: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, Exclude<R, Scope.Scope>> =>
  Effect.flatMap(Scope.make(), (scope) => {
    let expired = false
    const timer = setTimeout(() => {
      expired = true
      Effect.runFork(Scope.close(scope, Exit.void))
    }, timeoutMillis(timeout))
    return Scope.extend(exchange, scope).pipe(
      Effect.catchAll((error) => Effect.fail(expired ? onTimeout() : error)),
      Effect.ensuring(Effect.suspend(() => {
        clearTimeout(timer)
        return Scope.close(scope, Exit.void)
      }))
    )
  })

/** setTimeout takes at most 2^31 - 1 ms; an infinite deadline waits that long, about 24 days. */
const timeoutMillis = (timeout: Duration.Duration) =>
  Math.min(Math.max(Math.ceil(Duration.toMillis(timeout)), 0), 2 ** 31 - 1)
