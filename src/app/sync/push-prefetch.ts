import { Array as Arr, Cause, Context, Effect, Option } from "effect"
import type { Reservation } from "../../domain/entities.js"
import { refKey, reservationLocalRefs } from "../../domain/id-resolution.js"
import type { ExternalId } from "../../domain/ids.js"
import { ReservationRepository } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import { causeLine } from "../observability/cause-line.js"
import { groupByRecord, recordKey } from "./record-key.js"

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
    const prefetched = (yield* PushPrefetch).get(recordKey(job))
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

const isReservationPush = (job: SyncJob) =>
  job.direction === "outbound" && job.entityType === "reservation" && job.entityId !== null

/** The pass's reservation pushes whose record has no other job in the pass. */
const reservationPushes = (jobs: ReadonlyArray<SyncJob>) =>
  groupByRecord(jobs).flatMap((group) => group.length === 1 && isReservationPush(group[0]!) ? group : [])

/**
 * Reads the lookups of the pass's reservation pushes. Should the reads fail, the pass goes on
 * without them: each push then reads what it needs itself, and settles its own failure.
 */
export const prefetchPushes = (jobs: ReadonlyArray<SyncJob>) =>
  Effect.gen(function*() {
    const pushes = reservationPushes(jobs)
    const lookups = new Map<string, PushLookup>()
    if (pushes.length === 0) return lookups
    const stored = yield* Effect.flatMap(
      ReservationRepository,
      (repository) => repository.getMany([...new Set(pushes.map((job) => job.entityId ?? ""))])
    )
    const reservations = new Map<string, Reservation>(stored.map((reservation) => [reservation.id, reservation]))
    const found = pushes.flatMap((job) => {
      const reservation = reservations.get(job.entityId ?? "")
      return reservation === undefined ? [] : [{ job, reservation }]
    })
    const mappings = yield* MappingRepository
    yield* Effect.forEach(Object.values(Arr.groupBy(found, ({ job }) => job.platform)), (pushed) =>
      Effect.map(
        mappings.externalIdsOf(pushed[0].job.platform, pushed.flatMap(({ reservation }) => refsOf(reservation))),
        (externalIds) => {
          for (const { job, reservation } of pushed) lookups.set(recordKey(job), { reservation, externalIds })
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
