import { Array as Arr, Deferred, Duration, Effect, Fiber, FiberSet, Schedule } from "effect"
import { maxRetries } from "../../domain/retry-policy.js"
import { type JobDirection, type SyncJob, SyncJobQueue } from "../../ports/sync-job-queue.js"
import { causeLine } from "../observability/cause-line.js"
import { applyInboundBatch, isBatchable } from "../sync/inbound-batch.js"
import { processJob } from "../sync/process-job.js"
import { prefetchPushes, PushPrefetch } from "../sync/push-prefetch.js"
import { groupByRecord } from "../sync/record-key.js"
import { afterPass, failingPasses } from "./failing-passes.js"

export interface WorkerOptions {
  /** Jobs claimed per pass; inbound events take `inboundBatchSize` when a loop claims them alone. */
  readonly batchSize: number
  /** Platform events applied together in one transaction (they are cheap; pushes wait on platforms). */
  readonly inboundBatchSize: number
  readonly concurrency: number
  readonly pollInterval: Duration.DurationInput
  /** How long a claimed job stays this worker's before another instance may take it over. */
  readonly leaseMs: number
  /**
   * At shutdown, how long the attempts in flight may take to settle. Past it they are abandoned:
   * their claims run out with their lease and another run takes them again (issue 19).
   */
  readonly stopGrace: Duration.Duration
}

type DrainOptions = Pick<WorkerOptions, "batchSize" | "inboundBatchSize" | "concurrency" | "leaseMs">

/**
 * Claims due jobs and processes them. Each job runs uninterruptibly so that a shutdown finishes
 * the work in flight (R-12.1) instead of leaving it to the lease; the jobs whose turn had not come
 * are given back to the queue, due at once for the next worker. `onLocked` runs once a pass of
 * reservation events alone holds its bookings' locks (see `runInboundLoop`).
 */
export const drainOnce = (
  options: DrainOptions,
  direction?: JobDirection,
  onLocked: Effect.Effect<void> = Effect.void
) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    const limit = direction === "inbound" ? options.inboundBatchSize : options.batchSize
    const jobs = yield* queue.claim({ limit, leaseMs: options.leaseMs, direction, maxRetries })
    if (jobs.length === 0) return 0
    // Heartbeat: while the pass runs, its unsettled jobs keep their leases (a Retry-After wait or a
    // slow platform never lets another worker take a job still in flight).
    yield* Effect.forkScoped(
      Effect.repeat(
        Effect.suspend(() => queue.extendLeases(jobs, options.leaseMs)).pipe(
          Effect.catchAllCause((cause) => Effect.logWarning(`sync lease heartbeat failed: ${causeLine(cause)}`))
        ),
        Schedule.spaced(Duration.millis(Math.max(1_000, options.leaseMs / 3)))
      ).pipe(Effect.delay(Duration.millis(Math.max(1_000, options.leaseMs / 3))))
    )
    // A stop lets the attempts under way settle; the jobs whose turn had not come are given back
    // at once, not once those attempts end (a slow platform may outlast the stop's grace).
    const begun = new Set<number>()
    let stopping = false
    const begin = <A, E, R>(some: ReadonlyArray<SyncJob>, attempt: Effect.Effect<A, E, R>, skipped: A) =>
      Effect.uninterruptible(Effect.suspend(() => {
        if (stopping) return Effect.succeed(skipped)
        for (const job of some) begun.add(job.id)
        return attempt
      }))
    const [others, batchable] = Arr.partition(jobs, isBatchable)
    // Jobs about one record run in claim order; different records run side by side.
    const oneByOne = (some: ReadonlyArray<SyncJob>) =>
      Effect.forEach(groupByRecord(some), (group) =>
        Effect.forEach(group, (job) => begin([job], processJob(job), undefined), { discard: true }), {
        concurrency: options.concurrency,
        discard: true
      })
    const pass = Effect.gen(function*() {
      const prefetched = yield* prefetchPushes(others)
      // Reservation events go together through one transaction; what it leaves goes one by one after.
      const [leftOver] = yield* Effect.all([
        // Events processed one by one take no batch locks: nothing may overlap a pass that has some.
        batchable.length === 0
          ? Effect.succeed([])
          : begin(batchable, applyInboundBatch(batchable, others.length === 0 ? onLocked : Effect.void), []).pipe(
            // Whatever the batch left unsettled goes one by one (a settled job's second settle is fenced off).
            Effect.catchAllCause((cause) =>
              Effect.as(
                Effect.logWarning(`inbound batch of ${batchable.length} failed: ${causeLine(cause)}`),
                batchable
              )
            )
          ),
        oneByOne(others)
      ], { concurrency: 2 }).pipe(Effect.provideService(PushPrefetch, prefetched))
      yield* oneByOne(leftOver).pipe(Effect.provideService(PushPrefetch, prefetched))
    })
    const running = yield* Effect.fork(pass)
    yield* Fiber.join(running).pipe(
      Effect.onInterrupt(() =>
        Effect.suspend(() => {
          stopping = true
          const unstarted = jobs.filter((job) =>
            !begun.has(job.id)
          )
          return unstarted.length === 0 ? Effect.void : queue.release(unstarted).pipe(
            Effect.flatMap((n) => Effect.logInfo(`stopping: ${n} claimed jobs not yet begun given back to the queue`)),
            Effect.catchAllCause((cause) =>
              Effect.logWarning(`stopping: claims not given back, their leases will free them: ${causeLine(cause)}`)
            )
          )
        }).pipe(Effect.zipRight(Fiber.interrupt(running)))
      )
    )
    return jobs.length
  }).pipe(Effect.scoped)

/** Passes until nothing is due, at most `maxPasses` so a caller (a cron's request) always returns. */
export const drainUntilIdle = (options: DrainOptions, maxPasses: number) =>
  Effect.gen(function*() {
    let processed = 0
    for (let pass = 0; pass < maxPasses; pass++) {
      const claimed = yield* drainOnce(options)
      processed += claimed
      if (claimed === 0) break
    }
    return processed
  })

/** One direction's loop: drains while there is work, then waits `pollInterval` (retries come due on their own). */
const runLoop = (options: WorkerOptions, direction: JobDirection) =>
  Effect.gen(function*() {
    const failures = failingPasses(`sync worker pass (${direction})`, options.pollInterval)
    while (true) yield* drainOnce(options, direction).pipe(afterPass(failures, options.pollInterval))
  })

/** Inbound passes in flight at once. */
const inboundPassesInFlight = 2

/**
 * Events come in faster than one pass at a time applies them: while one pass writes and commits,
 * the next claims and prepares its batch (the database and this thread work side by side instead
 * of in turn). The next pass starts only once the current one holds its bookings' locks, so
 * events of one booking still apply in claim order. Passes are awaited on shutdown.
 */
const runInboundLoop = (options: WorkerOptions) =>
  Effect.scoped(Effect.gen(function*() {
    const passes = yield* FiberSet.make()
    const failures = failingPasses("sync worker pass (inbound)", options.pollInterval)
    const permits = yield* Effect.makeSemaphore(inboundPassesInFlight)
    while (true) {
      yield* permits.take(1)
      // Settled once this pass holds its locks, or when it ends without any (then after its wait).
      const mayStartNext = yield* Deferred.make<void>()
      const pass = drainOnce(options, "inbound", Deferred.succeed(mayStartNext, undefined)).pipe(
        afterPass(failures, options.pollInterval),
        Effect.ensuring(Effect.zipRight(Deferred.succeed(mayStartNext, undefined), permits.release(1)))
      )
      yield* FiberSet.run(passes, pass)
      yield* Deferred.await(mayStartNext)
    }
  }))

/**
 * Runs forever, one loop per direction: pushes waiting on a platform's rate limit never hold up
 * the events coming in, and events arriving in bulk never delay the pushes.
 */
export const runWorker = (options: WorkerOptions) =>
  Effect.all([runInboundLoop(options), runLoop(options, "outbound")], { concurrency: 2, discard: true })
