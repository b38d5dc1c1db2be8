import { Array as Arr, Clock, Effect, Either, Exit, Option } from "effect"
import type { ReservationSyncDTO, WebhookEvent } from "../../domain/dtos.js"
import { reservationExternalRefs } from "../../domain/id-resolution.js"
import { withChangeOrigin } from "../../ports/change-feed.js"
import { Transactor } from "../../ports/entity-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import type { SyncLogEntry } from "../../ports/sync-log-repository.js"
import { traced } from "../../ports/traced.js"
import { UnitsOfWork } from "../../ports/unit-of-work.js"
import { observeSettlement } from "../observability/settlements.js"
import { withAttemptSpan, withinJobTrace } from "../observability/telemetry.js"
import { ConfigCache, type LoadedConfig } from "./config-cache.js"
import { applyReservationEvent } from "./inbound-reservation.js"
import { outcomeEntry, settleAll } from "./outcome.js"

/** A reservation event that carries the booking itself: it can be applied with others at once. */
export interface BatchableJob extends SyncJob {
  readonly event: WebhookEvent & { readonly reservation: ReservationSyncDTO }
}

export const isBatchable = (job: SyncJob): job is BatchableJob =>
  job.direction === "inbound" && job.event !== null && job.event.eventType.startsWith("reservation.") &&
  job.event.reservation !== undefined

/** The key that serializes deliveries about one booking, across instances (as one job's apply does). */
export const bookingKey = (job: SyncJob, externalId: string) =>
  `inbound:${job.platform}:${job.restaurantId}:${externalId}`

interface Ready {
  readonly job: BatchableJob
  readonly config: LoadedConfig
}

/**
 * Applies many reservation events in one transaction with a few set-based statements (the unit of
 * work), and settles them in the same commit: their audit lines and job completions are two more
 * statements. Events are applied in claim order, each seeing the ones before it.
 *
 * Returns the jobs it did not settle: those without an active configuration, or all of them when
 * the batch failed (one event's invalid data, a storage error). The caller processes those one by
 * one, where each failure is settled on its own. `onLocked` runs once the batch holds its
 * bookings' locks: from then on, events claimed later wait for it on any booking they share.
 */
export const applyInboundBatch = (jobs: ReadonlyArray<BatchableJob>, onLocked: Effect.Effect<void> = Effect.void) =>
  Effect.gen(function*() {
    const cache = yield* ConfigCache
    const transactor = yield* Transactor
    // A config that cannot be loaded (one that cannot be decrypted) leaves its restaurant's events
    // to be settled one by one, and the others are applied as usual (issue 19).
    const withConfig = yield* Effect.forEach(
      jobs,
      (job) =>
        Effect.map(
          Effect.option(
            Effect.catchAllDefect(cache.byRestaurant(job.restaurantId, job.platform), () => Effect.fail(undefined))
          ),
          (config) => ({ job, config: Option.flatten(config) })
        )
    )
    const [unready, ready] = Arr.partitionMap(
      withConfig,
      ({ config, job }) =>
        Option.isSome(config) && config.value.stored.isActive
          ? Either.right({ job, config: config.value })
          : Either.left(job)
    )
    if (ready.length === 0) return unready

    const attempt = yield* Effect.exit(transactor.withTransaction(applyAndSettle(ready, onLocked)))
    if (Exit.isFailure(attempt)) {
      yield* Effect.logDebug("inbound batch fell back to one event at a time", attempt.cause).pipe(
        Effect.annotateLogs({ size: ready.length })
      )
      return jobs
    }
    yield* Effect.forEach(attempt.value, ({ entry, job }) => withinJobTrace(job)(observeSettlement(job, entry)), {
      discard: true
    })
    return unready
  }).pipe(traced("SyncJob.inboundBatch", { attributes: { size: jobs.length }, captureStackTrace: false }))

const applyAndSettle = (ready: ReadonlyArray<Ready>, onLocked: Effect.Effect<void>) =>
  Effect.gen(function*() {
    const transactor = yield* Transactor
    yield* transactor.serializeAll(ready.map(({ job }) => bookingKey(job, job.event.externalId)))
    yield* onLocked

    const work = yield* Effect.flatMap(UnitsOfWork, (units) => units.begin)
    yield* work.preload({
      mappings: ready.flatMap(({ config, job }) => {
        const { restaurantId, platform } = config.stored
        return [
          { restaurantId, platform, entityType: "reservation" as const, externalId: job.event.externalId },
          ...reservationExternalRefs(job.event.reservation).map((ref) => ({ restaurantId, platform, ...ref }))
        ]
      }),
      contacts: ready.map(({ config, job }) => ({
        restaurantId: config.stored.restaurantId,
        phone: job.event.reservation.customerPhone,
        email: job.event.reservation.customerEmail ?? undefined
      })),
      reservationIds: ready.flatMap(({ job }) =>
        job.event.externalReferenceId ?? job.event.reservation.externalReferenceId ?? []
      )
    })

    const settled: Array<{ readonly job: SyncJob; readonly entry: SyncLogEntry; readonly ready: Ready }> = []
    // The batch's repositories are provided once: each provision copies the thread's whole context.
    yield* Effect.gen(function*() {
      for (const item of ready) {
        const startedAt = yield* Clock.currentTimeMillis
        const outcome = yield* applyReservationEvent(item.config.stored, item.job.event, item.job.event.reservation)
          .pipe(
            withChangeOrigin(item.job.platform),
            withAttemptSpan("SyncJob.apply", item.job)
          )
        settled.push({
          job: item.job,
          entry: outcomeEntry(item.job, startedAt, yield* Clock.currentTimeMillis, outcome),
          ready: item
        })
      }
    }).pipe(Effect.provide(work.repositories))

    yield* work.flush
    yield* settleAll(settled.map((s) => ({ job: s.job, entry: s.entry, config: s.ready.config.stored })), "rollback")
    return settled
  })
