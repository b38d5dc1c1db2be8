// Here rather than beside its users: the sync engine (app/sync) and the SQL adapters both batch
// their writes with it, and ports are the room both may import (the domain holds rules only).

import { Chunk, Deferred, Effect, Exit, Fiber, Mailbox, Option, type Scope } from "effect"

interface Request<A, B, E> {
  readonly items: ReadonlyArray<A>
  readonly done: Deferred.Deferred<ReadonlyArray<B>, E>
}

/**
 * Group commit: the callers that arrive while a write is in flight are written together by the
 * next one (one round trip, one commit), and nothing waits on a timer. One write at a time, of at
 * most `maxCallersPerWrite` callers, so none grows without bound. A caller gets the results of its
 * own items, in order, once they are written, or fails with the write it was part of.
 *
 * `submit` answers None once the scope is closing (the caller decides what that means), while
 * the callers already accepted are still written: none is stranded.
 */
export const makeGroupCommit = <A, B, E, R>(
  write: (items: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<B>, E, R>,
  options: { readonly maxCallersPerWrite: number }
): Effect.Effect<
  (items: ReadonlyArray<A>) => Effect.Effect<Option.Option<ReadonlyArray<B>>, E>,
  never,
  Scope.Scope | R
> =>
  Effect.gen(function*() {
    // A Mailbox, not a Queue: once ended it refuses new callers but still hands out those
    // already accepted.
    const waiting = yield* Mailbox.make<Request<A, B, E>>()

    const writeGroup = (requests: ReadonlyArray<Request<A, B, E>>) =>
      Effect.gen(function*() {
        const written = yield* Effect.exit(write(requests.flatMap((r) => r.items)))
        if (Exit.isFailure(written)) {
          return yield* Effect.forEach(requests, (r) => Deferred.failCause(r.done, written.cause), { discard: true })
        }
        let offset = 0
        for (const r of requests) yield* Deferred.succeed(r.done, written.value.slice(offset, offset += r.items.length))
      })

    const writeAll = (requests: Chunk.Chunk<Request<A, B, E>>) =>
      Effect.forEach(Chunk.chunksOf(requests, options.maxCallersPerWrite), (group) =>
        writeGroup(Chunk.toReadonlyArray(group)), {
        discard: true
      })
    // Waiting for callers can be interrupted; a write, once its callers are taken, cannot.
    const flushOnce = Effect.uninterruptibleMask((restore) =>
      restore(waiting.takeAll).pipe(
        Effect.tap(([requests]) =>
          writeAll(requests)
        ),
        Effect.map(([, ended]) => ended)
      )
    )
    const flusher = yield* Effect.forkScoped(Effect.repeat(flushOnce, { until: (ended) => ended }))
    yield* Effect.addFinalizer(() => Effect.zipRight(waiting.end, Fiber.await(flusher)))

    return (items: ReadonlyArray<A>) =>
      items.length === 0 ? Effect.succeed(Option.some([])) : Effect.gen(function*() {
        const done = yield* Deferred.make<ReadonlyArray<B>, E>()
        if (!(yield* waiting.offer({ items, done }))) return Option.none()
        return Option.some(yield* Deferred.await(done))
      })
  })
