import { Duration, Effect, Fiber, Option } from "effect"

/**
 * Runs `work` in the background for the life of the scope. When the scope closes, the work is
 * interrupted and awaited at most `grace`: jobs run uninterruptibly so that they settle, but a
 * shutdown must not wait for the longest of them (a platform's Retry-After, a slow answer). Past
 * the grace, what is still in flight is left to its lease and taken again by the next run.
 */
export const forkStoppedWithin = <A, E, R>(name: string, grace: Duration.Duration, work: Effect.Effect<A, E, R>) =>
  // Forked from the acquire, which runs uninterruptibly: the work must not inherit that, or
  // neither it nor what it forks (a lease heartbeat) could ever be interrupted.
  Effect.acquireRelease(Effect.forkDaemon(Effect.interruptible(work)), (fiber) =>
    Effect.zipRight(
      Fiber.interruptFork(fiber),
      Effect.interruptible(Fiber.await(fiber)).pipe(
        Effect.timeoutOption(grace),
        Effect.flatMap(Option.match({
          onNone: () =>
            Effect.logWarning(
              `${name}: work still in flight after ${Duration.format(grace)}; left to its lease, taken again later`
            ),
          onSome: () => Effect.void
        }))
      )
    ))
