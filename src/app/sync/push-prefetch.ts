import { Cause, Context, Effect, Option } from "effect"
import type { Reservation } from "../../domain/entities.js"
import { refKey, reservationLocalRefs } from "../../domain/id-resolution.js"
import type { ExternalId, Platform } from "../../domain/ids.js"
import { ReservationRepository } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import { causeLine } from "../observability/cause-line.js"

/** A pushed reservation's own mapping and its room's, tables', service's and offer's, on one platform. */
export interface PushLookup {
  readonly reservation: Reservation
  /** refKey(entityType, localId) → the platform's id, for the reservation itself and what it names. */
  readonly externalIds: ReadonlyMap<string, ExternalId>
}

/**
 * What a pass of pushes read together before its first push: the reservations its jobs point at
 * and their mappings, in one query each per pass instead of three per push. A job whose record
 * has other jobs in the same pass is left out: they run one after another, and the later ones
 * must see the mapping the earlier ones wrote.
 */
export class PushPrefetch extends Context.Reference<PushPrefetch>()("PushPrefetch", {
  defaultValue: (): ReadonlyMap<string, PushLookup> => new Map()
}) {}

const lookupKey = (platform: Platform, reservationId: string) => `${platform}\u0000${reservationId}`

/** What a reservation's push resolves on a platform: itself and what it names. */
const refsOf = (reservation: Reservation) => [
  { entityType: "reservation" as const, entityId: reservation.id },
  ...reservationLocalRefs(reservation)
]

/** The platform's id of the pushed reservation itself, if it has one. */
export const mappedExternalId = (lookup: PushLookup) =>
  Option.fromNullable(lookup.externalIds.get(refKey("reservation", lookup.reservation.id)))

/**
 * The job's reservation as it is now and its mappings (R-8.3: a retry pushes the current state):
 * as the pass read them, or read here (two queries). None when the reservation no longer exists.
 */
export const pushLookupOf = (job: SyncJob, reservationId: string) =>
  Effect.gen(function*() {
    const prefetched = (yield* PushPrefetch).get(lookupKey(job.platform, reservationId))
    if (prefetched !== undefined) return Option.some(prefetched)
    const reservation = yield* Effect.flatMap(ReservationRepository, (repository) =>
      Effect.option(repository.get(reservationId)))
    if (Option.isNone(reservation)) {
      return Option.none<PushLookup>()
    }
    const mappings = yield* MappingRepository
    const externalIds = yield* mappings.externalIdsOf(job.platform, refsOf(reservation.value))
    return Option.some<PushLookup>({ reservation: reservation.value, externalIds })
  })

const reservationPushes = (jobs: ReadonlyArray<SyncJob>) => {
  const perRecord = new Map<string, number>()
  const key = (job: SyncJob) => lookupKey(job.platform, job.entityId ?? "")
  for (const job of jobs) perRecord.set(key(job), (perRecord.get(key(job)) ?? 0) + 1)
  return jobs.filter((job) =>
    job.direction === "outbound" && job.entityType === "reservation" && job.entityId !== null &&
    perRecord.get(key(job)) === 1
  )
}

/**
 * Reads the lookups of the pass's reservation pushes. Should the reads fail, the pass goes on
 * without them: each push then reads what it needs itself, and settles its own failure.
 */
export const prefetchPushes = (jobs: ReadonlyArray<SyncJob>) =>
  Effect.gen(function*() {
    const pushes = reservationPushes(jobs)
    const lookups = new Map<string, PushLookup>()
    if (pushes.length === 0) return lookups
    const found = yield* Effect.flatMap(
      ReservationRepository,
      (repository) => repository.getMany([...new Set(pushes.map((job) => job.entityId ?? ""))])
    )
    const reservations = new Map<string, Reservation>(found.map((reservation) => [reservation.id, reservation]))
    const byPlatform = new Map<Platform, Array<Reservation>>()
    for (const job of pushes) {
      const reservation = reservations.get(job.entityId ?? "")
      if (reservation !== undefined) {
        byPlatform.set(job.platform, [...(byPlatform.get(job.platform) ?? []), reservation])
      }
    }
    const mappings = yield* MappingRepository
    yield* Effect.forEach(byPlatform, ([platform, pushed]) =>
      Effect.map(
        mappings.externalIdsOf(platform, pushed.flatMap(refsOf)),
        (externalIds) => {
          for (const reservation of pushed) {
            lookups.set(lookupKey(platform, reservation.id), { reservation, externalIds })
          }
        }
      ), { discard: true })
    return lookups
  }).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.as(
        Effect.logWarning(`pushes read one by one, the pass's reads failed: ${causeLine(cause)}`),
        new Map<string, PushLookup>()
      )
    )
  )
