import {
  Chunk,
  Clock,
  Data,
  Deferred,
  Duration,
  Effect,
  FiberSet,
  Queue,
  Ref,
  Schedule,
  Schema,
  Stream,
  SubscriptionRef
} from "effect"
import type { WebhookSigner } from "./webhook-signing.js"

/** One webhook to deliver. `id` is stable across retries and duplicates. */
export interface WebhookDelivery {
  readonly id: string
  readonly label: string
  readonly url: string
  readonly body: string
  readonly sign: WebhookSigner
}

export interface DeliveryAttempt {
  readonly id: string
  readonly label: string
  readonly url: string
  readonly attempt: number
  readonly at: number
  readonly status: number | null
  readonly error: string | null
  readonly ok: boolean
}

export const RetrySettings = Schema.Struct({
  maxAttempts: Schema.Int.pipe(Schema.between(1, 20)),
  initialDelayMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  factor: Schema.Number.pipe(Schema.finite(), Schema.greaterThanOrEqualTo(1)),
  timeoutMs: Schema.Number.pipe(Schema.finite(), Schema.positive())
})
export type RetrySettings = typeof RetrySettings.Type

export const defaultRetrySettings: RetrySettings = { maxAttempts: 5, initialDelayMs: 200, factor: 2, timeoutMs: 5_000 }

export const DeliveryOptions = Schema.Struct({
  /** Send every delivery twice (same id), as at-least-once senders sometimes do. */
  duplicate: Schema.optional(Schema.Boolean),
  /** Keep new deliveries back until `release`, so they can be sent out of order. */
  hold: Schema.optional(Schema.Boolean),
  retry: Schema.optional(RetrySettings)
})
export type DeliveryOptions = typeof DeliveryOptions.Type

export interface DeliveryStats {
  readonly attempted: number
  readonly succeeded: number
  readonly failedAttempts: number
  readonly exhausted: number
  readonly pending: number
  readonly held: number
}

export interface DeliveryQueue {
  readonly enqueue: (delivery: WebhookDelivery) => Effect.Effect<void>
  readonly configure: (options: DeliveryOptions) => Effect.Effect<void>
  readonly options: Effect.Effect<Required<DeliveryOptions>>
  /** Sends the held deliveries, oldest first or newest first. */
  readonly release: (order: "in-order" | "reverse") => Effect.Effect<void>
  /** Waits until every released delivery succeeded or ran out of attempts. */
  readonly awaitIdle: Effect.Effect<void>
  readonly stats: Effect.Effect<DeliveryStats>
  readonly attempts: Effect.Effect<ReadonlyArray<DeliveryAttempt>>
  readonly resetStats: Effect.Effect<void>
}

class DeliveryFailed extends Data.TaggedError("DeliveryFailed")<{ readonly reason: string }> {}

// Benchmarks send many webhooks; the attempt log keeps only the latest ones.
const MAX_LOGGED_ATTEMPTS = 10_000

const noStats = { attempted: 0, succeeded: 0, failedAttempts: 0, exhausted: 0 }

const post = (url: string, headers: Readonly<Record<string, string>>, body: string) =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal
      })
      await response.arrayBuffer()
      return response.status
    },
    catch: (cause) => new DeliveryFailed({ reason: cause instanceof Error ? cause.message : String(cause) })
  })

/** At-least-once webhook delivery: first attempts go out in queue order, retries back off in the background. */
export const makeDeliveryQueue = (initial: RetrySettings = defaultRetrySettings) =>
  Effect.gen(function*() {
    const queue = yield* Effect.acquireRelease(Queue.unbounded<WebhookDelivery>(), Queue.shutdown)
    const options = yield* Ref.make<Required<DeliveryOptions>>({ duplicate: false, hold: false, retry: initial })
    const held = yield* Ref.make(Chunk.empty<WebhookDelivery>())
    const pending = yield* SubscriptionRef.make(0)
    const counts = yield* Ref.make(noStats)
    const log = yield* Ref.make(Chunk.empty<DeliveryAttempt>())
    const background = yield* FiberSet.make<void>()

    const attemptOnce = (delivery: WebhookDelivery, attempt: number, timeoutMs: number) =>
      Effect.gen(function*() {
        const at = yield* Clock.currentTimeMillis
        const signed = delivery.sign(delivery.url, delivery.body, Math.floor(at / 1000))
        const outcome = yield* post(signed.url, signed.headers, delivery.body).pipe(
          Effect.timeoutFail({
            duration: Duration.millis(timeoutMs),
            onTimeout: () => new DeliveryFailed({ reason: "timeout" })
          }),
          Effect.either
        )
        const status = outcome._tag === "Right" ? outcome.right : null
        const ok = status !== null && status >= 200 && status < 300
        const error = outcome._tag === "Left" ? outcome.left.reason : ok ? null : `status ${status}`
        const entry: DeliveryAttempt = {
          id: delivery.id,
          label: delivery.label,
          url: signed.url,
          attempt,
          at,
          status,
          error,
          ok
        }
        yield* Ref.update(log, (all) => Chunk.takeRight(Chunk.append(all, entry), MAX_LOGGED_ATTEMPTS))
        yield* Ref.update(
          counts,
          (c) => ({
            ...c,
            attempted: c.attempted + 1,
            succeeded: c.succeeded + (ok ? 1 : 0),
            failedAttempts: c.failedAttempts + (ok ? 0 : 1)
          })
        )
        if (!ok) return yield* new DeliveryFailed({ reason: error ?? "failed" })
      })

    const deliver = (delivery: WebhookDelivery) =>
      Effect.gen(function*() {
        const { retry } = yield* Ref.get(options)
        const firstAttemptDone = yield* Deferred.make<void>()
        const attemptNumber = yield* Ref.make(0)
        const attempt = Ref.updateAndGet(attemptNumber, (n) => n + 1).pipe(
          Effect.flatMap((n) => attemptOnce(delivery, n, retry.timeoutMs)),
          Effect.ensuring(Deferred.succeed(firstAttemptDone, undefined))
        )
        const schedule = Schedule.exponential(Duration.millis(retry.initialDelayMs), retry.factor).pipe(
          Schedule.intersect(Schedule.recurs(retry.maxAttempts - 1))
        )
        const exhausted = Ref.update(counts, (c) => ({ ...c, exhausted: c.exhausted + 1 }))
        yield* FiberSet.run(
          background,
          Effect.retry(attempt, schedule).pipe(
            Effect.catchAll(() => exhausted),
            Effect.ensuring(SubscriptionRef.update(pending, (n) => n - 1))
          )
        )
        // Later deliveries wait for this one's first attempt only, so a failing receiver keeps order without blocking.
        yield* Deferred.await(firstAttemptDone)
      })

    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(queue), deliver)))

    const send = (deliveries: ReadonlyArray<WebhookDelivery>) =>
      SubscriptionRef.update(pending, (n) => n + deliveries.length).pipe(
        Effect.zipRight(Queue.offerAll(queue, deliveries))
      )

    const queueApi: DeliveryQueue = {
      enqueue: (delivery) =>
        Effect.gen(function*() {
          const current = yield* Ref.get(options)
          const copies = current.duplicate ? [delivery, delivery] : [delivery]
          if (current.hold) return yield* Ref.update(held, Chunk.appendAll(Chunk.fromIterable(copies)))
          yield* send(copies)
        }),
      configure: (next) =>
        Ref.update(options, (current) => ({
          duplicate: next.duplicate ?? current.duplicate,
          hold: next.hold ?? current.hold,
          retry: next.retry ?? current.retry
        })),
      options: Ref.get(options),
      release: (order) =>
        Ref.getAndSet(held, Chunk.empty()).pipe(
          Effect.flatMap((deliveries) =>
            send(Chunk.toReadonlyArray(order === "reverse" ? Chunk.reverse(deliveries) : deliveries))
          )
        ),
      awaitIdle: pending.changes.pipe(Stream.takeUntil((n) => n <= 0), Stream.runDrain),
      stats: Effect.all({ c: Ref.get(counts), pending: Ref.get(pending), held: Ref.get(held) }).pipe(
        Effect.map(({ c, pending, held }) => ({ ...c, pending, held: Chunk.size(held) }))
      ),
      attempts: Effect.map(Ref.get(log), Chunk.toReadonlyArray),
      resetStats: Ref.set(counts, noStats).pipe(Effect.zipRight(Ref.set(log, Chunk.empty())))
    }
    return queueApi
  })
