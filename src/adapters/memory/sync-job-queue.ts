import { Clock, Effect, Layer, Option, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import type { WebhookEventType } from "../../domain/dtos.js"
import { type EntityType, type Platform, platforms, type RestaurantId } from "../../domain/ids.js"
import { jobAction } from "../../domain/job-action.js"
import { pushTargets, relayTargets } from "../../domain/push-fan-out.js"
import { maxRetries as defaultMaxRetries } from "../../domain/retry-policy.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import {
  abandonedAttemptError,
  type EventToStore,
  type JobClaim,
  type JobStatus,
  type StoredEvent,
  type SyncJob,
  SyncJobQueue
} from "../../ports/sync-job-queue.js"
import { type SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { pageOf } from "./page.js"

interface StoredJob extends SyncJob {
  readonly eventKey: string | null
  readonly lockedUntil: string | null
}

interface Jobs {
  readonly lastId: number
  readonly byId: ReadonlyMap<number, StoredJob>
}

const iso = (ms: number) => new Date(ms).toISOString()
const at = (instant: string) => Date.parse(instant)
const earliest = (a: string, b: string) => (at(a) <= at(b) ? a : b)

/** Whether `claim` still holds `job` (see JobClaim). */
const holds = (job: StoredJob | undefined, claim: JobClaim): job is StoredJob =>
  job !== undefined && job.status === "running" && job.claims === claim.claims

const toJob = ({ eventKey: _e, lockedUntil: _l, ...job }: StoredJob): SyncJob => job

// Like SQL's `=`: a null entity id (inbound jobs) is nobody's twin.
const sameEntity = (a: StoredJob, b: StoredJob) =>
  a.platform === b.platform && a.entityType === b.entityType && a.entityId !== null && a.entityId === b.entityId

const isWaitingPush = (job: StoredJob) => job.status === "pending" && job.direction === "outbound"

// The entity an inbound job is about: it only labels the row, the engine reads the event itself.
const eventEntityType = (type: WebhookEventType): EntityType =>
  type.startsWith("order.") ? "order" : type.startsWith("menu.") ? "menu_item" : "reservation"

/** A job as it is queued: pending, never tried, due now. */
const newJob = (
  job: Pick<StoredJob, "direction" | "restaurantId" | "platform" | "entityType" | "entityId" | "event" | "eventKey">,
  now: string,
  traceParent: string | null = null
): Omit<StoredJob, "id"> => ({
  ...job,
  status: "pending",
  attempts: 0,
  claims: 0,
  nextAttemptAt: now,
  lockedUntil: null,
  lastError: null,
  traceParent,
  createdAt: now,
  updatedAt: now
})

const withJob = (jobs: Jobs, job: StoredJob): Jobs => ({ ...jobs, byId: new Map(jobs.byId).set(job.id, job) })

/** The push already waiting for the same entity and platform as `job`, if any. */
const waitingTwin = (jobs: Jobs, job: StoredJob) =>
  job.direction === "outbound"
    ? [...jobs.byId.values()].find((w) => w.id !== job.id && isWaitingPush(w) && sameEntity(w, job))
    : undefined

const without = (jobs: Jobs, id: number | undefined): Jobs => {
  if (id === undefined) return jobs
  const byId = new Map(jobs.byId)
  byId.delete(id)
  return { ...jobs, byId }
}

/**
 * The due jobs a claim takes, as the SQL claim does: pending ones that are due and running ones
 * whose lease ran out, one job per entity at a time, oldest first. An abandoned attempt counts as
 * failed; past the limit the job is dead.
 */
const takeDue = (
  all: ReadonlyArray<StoredJob>,
  options: {
    readonly direction: SyncJob["direction"] | undefined
    readonly leaseMs: number
    readonly limit: number
    readonly maxRetries: number
    readonly ms: number
  }
): ReadonlyArray<StoredJob> => {
  const { direction, leaseMs, limit, maxRetries, ms } = options
  const leaseRunning = (j: StoredJob) => j.lockedUntil !== null && at(j.lockedUntil) >= ms
  const blocked = (j: StoredJob) =>
    all.some((r) => r.status === "running" && r.id !== j.id && sameEntity(r, j) && (leaseRunning(r) || r.id < j.id))
  return all
    .filter((j) => direction === undefined || j.direction === direction)
    .filter((j) =>
      (j.status === "pending" && at(j.nextAttemptAt) <= ms) || (j.status === "running" && !leaseRunning(j))
    )
    .filter((j) => !blocked(j))
    .sort((a, b) => at(a.nextAttemptAt) - at(b.nextAttemptAt) || a.id - b.id)
    .slice(0, limit)
    .map((j): StoredJob => {
      const abandoned = j.status === "running"
      const dead = abandoned && j.attempts >= maxRetries
      return {
        ...j,
        status: dead ? "dead" : "running",
        attempts: j.attempts + (abandoned ? 1 : 0),
        lastError: abandoned ? abandonedAttemptError : j.lastError,
        claims: j.claims + 1,
        lockedUntil: dead ? null : iso(ms + leaseMs),
        updatedAt: iso(ms)
      }
    })
    .sort((a, b) => a.id - b.id)
}

/** The sync-log line of a job dead-lettered at its claim. */
const deadLine = (j: StoredJob): SyncLogEntry => ({
  restaurantId: j.restaurantId,
  entityType: j.entityType,
  entityId: j.entityId,
  platform: j.platform,
  externalId: null,
  direction: j.direction,
  action: jobAction({ direction: j.direction, entityType: j.entityType, eventType: j.event?.eventType }),
  status: "failed",
  errorMessage: j.lastError,
  retryCount: j.attempts,
  jobId: j.id
})

/** The same queue on a Ref: every operation is one atomic `Ref.modify`, as each SQL statement is. */
const make = Effect.gen(function*() {
  const configs = yield* PlatformConfigRepository
  const mappings = yield* MappingRepository
  const logs = yield* SyncLogRepository
  const store = yield* Ref.make<Jobs>({ lastId: 0, byId: new Map() })
  const nowMs = Clock.currentTimeMillis

  const insert = (jobs: Jobs, job: Omit<StoredJob, "id">): Jobs =>
    withJob({ ...jobs, lastId: jobs.lastId + 1 }, { ...job, id: jobs.lastId + 1 })

  const selected = (status: "retrying" | "dead") => (job: StoredJob) =>
    status === "dead" ? job.status === "dead" : job.status === "pending" && job.attempts > 0

  const enqueueEvents = (items: ReadonlyArray<EventToStore>) =>
    Effect.flatMap(nowMs, (ms) =>
      Ref.modify(store, (jobs): readonly [ReadonlyArray<StoredEvent>, Jobs] => {
        const now = iso(ms)
        const known = new Set(
          [...jobs.byId.values()].flatMap((
            j
          ) => (j.direction === "inbound" ? [`${j.restaurantId}\u0000${j.platform}\u0000${j.eventKey}`] : []))
        )
        const results: Array<StoredEvent> = []
        const stored = items.reduce((acc, { event, restaurantId, traceParent }) => {
          // Per config (issue 18): one restaurant's event id never hides another restaurant's event.
          const key = `${restaurantId}\u0000${event.platform}\u0000${event.eventId}`
          results.push({ duplicate: known.has(key) })
          if (known.has(key)) return acc
          known.add(key)
          return insert(
            acc,
            newJob(
              {
                direction: "inbound",
                restaurantId,
                platform: event.platform,
                entityType: eventEntityType(event.eventType),
                entityId: null,
                event,
                eventKey: event.eventId
              },
              now,
              traceParent ?? null
            )
          )
        }, jobs)
        return [results, stored]
      }))

  const completeMany = (claims: ReadonlyArray<JobClaim>) =>
    Effect.flatMap(nowMs, (ms) =>
      Ref.modify(store, (jobs) => {
        const settled: Array<number> = []
        const next = claims.reduce((acc, claim) => {
          const job = acc.byId.get(claim.id)
          if (!holds(job, claim)) return acc
          settled.push(job.id)
          return withJob(acc, { ...job, status: "done", lockedUntil: null, updatedAt: iso(ms) })
        }, jobs)
        return [settled as ReadonlyArray<number>, next]
      }))

  const enqueueTo = (
    restaurantId: RestaurantId,
    entityType: EntityType,
    entityId: string,
    targets: ReadonlyArray<Platform>
  ) =>
    Effect.gen(function*() {
      const now = iso(yield* nowMs)
      yield* Ref.update(store, (jobs) =>
        targets.reduce((acc, platform) => {
          const fresh = newJob(
            { direction: "outbound", restaurantId, platform, entityType, entityId, event: null, eventKey: null },
            now
          )
          const waiting = [...acc.byId.values()].find((w) =>
            isWaitingPush(w) && w.platform === platform && w.entityType === entityType && w.entityId === entityId
          )
          return waiting === undefined
            ? insert(acc, fresh)
            : withJob(acc, { ...waiting, nextAttemptAt: earliest(waiting.nextAttemptAt, now), updatedAt: now })
        }, jobs))
      // Issue 20, item 11: a record with a push queued is pending on those platforms.
      yield* mappings.setStatus({ entityType, entityId }, targets, "pending")
      return targets.length
    })

  return SyncJobQueue.of({
    enqueuePush: (restaurantId, entityType, entityId) =>
      Effect.flatMap(
        configs.listActive(),
        (active) => enqueueTo(restaurantId, entityType, entityId, pushTargets(active, { restaurantId, entityType }))
      ),
    enqueueRelay: (restaurantId, entityType, entityId, from) =>
      Effect.gen(function*() {
        const holders = new Set<Platform>()
        for (const platform of platforms) {
          if (Option.isSome(yield* mappings.findByEntity(entityType, entityId, platform))) holders.add(platform)
        }
        const targets = relayTargets(yield* configs.listActive(), { restaurantId, entityType }, holders, from)
        return yield* enqueueTo(restaurantId, entityType, entityId, targets)
      }),
    enqueueEvent: (restaurantId, event) => Effect.map(enqueueEvents([{ restaurantId, event }]), ([stored]) => stored!),
    enqueueEvents,
    claim: ({ direction, leaseMs, limit, maxRetries = defaultMaxRetries }) =>
      Effect.gen(function*() {
        const ms = yield* nowMs
        const claimed = yield* Ref.modify(store, (jobs) => {
          const taken = takeDue([...jobs.byId.values()], { direction, leaseMs, limit, maxRetries, ms })
          return [taken, taken.reduce(withJob, jobs)]
        })
        // As in SQL: a job dead-lettered here has its failed line in the sync log.
        yield* Effect.forEach(claimed.filter((j) => j.status === "dead"), (j) => logs.append(deadLine(j)), {
          discard: true
        })
        return claimed.filter((j) => j.status === "running").map(toJob)
      }),
    extendLeases: (claims, leaseMs) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs) => {
          const live = claims.flatMap((claim) => {
            const job = jobs.byId.get(claim.id)
            return holds(job, claim) ? [job] : []
          })
          return [
            live.length,
            live.reduce((acc, job) => withJob(acc, { ...job, lockedUntil: iso(ms + leaseMs) }), jobs)
          ]
        })),
    release: (claims) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs) => {
          let released = 0
          const next = claims.reduce((acc, claim) => {
            const job = acc.byId.get(claim.id)
            if (!holds(job, claim)) return acc
            released++
            return withJob(without(acc, waitingTwin(acc, job)?.id), {
              ...job,
              status: "pending",
              nextAttemptAt: iso(ms),
              lockedUntil: null,
              updatedAt: iso(ms)
            })
          }, jobs)
          return [released, next]
        })),
    complete: (claim) => Effect.map(completeMany([claim]), (ids) => ids.length === 1),
    completeMany,
    retryLater: (claim, nextAttemptAt, error) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs) => {
          const job = jobs.byId.get(claim.id)
          if (!holds(job, claim)) return [false, jobs]
          // A change queued during the attempt is taken over, and keeps its own due time.
          const waiting = waitingTwin(jobs, job)
          return [
            true,
            withJob(without(jobs, waiting?.id), {
              ...job,
              status: "pending",
              attempts: job.attempts + 1,
              nextAttemptAt: waiting === undefined ? nextAttemptAt : earliest(waiting.nextAttemptAt, nextAttemptAt),
              lockedUntil: null,
              lastError: error,
              updatedAt: iso(ms)
            })
          ]
        })),
    bury: (claim, error) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs) => {
          const job = jobs.byId.get(claim.id)
          if (!holds(job, claim)) return [false, jobs]
          return [
            true,
            withJob(jobs, {
              ...job,
              status: "dead",
              attempts: job.attempts + 1,
              lockedUntil: null,
              lastError: error,
              updatedAt: iso(ms)
            })
          ]
        })),
    replay: (id) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs): readonly [Option.Option<SyncJob>, Jobs] => {
          const job = jobs.byId.get(id)
          if (job === undefined || job.status !== "dead") return [Option.none(), jobs]
          const now = iso(ms)
          const replayed: StoredJob = {
            ...job,
            status: "pending",
            attempts: 0,
            nextAttemptAt: now,
            lockedUntil: null,
            updatedAt: now
          }
          return [Option.some(toJob(replayed)), withJob(without(jobs, waitingTwin(jobs, job)?.id), replayed)]
        })),
    counts: (within) =>
      Effect.map(Ref.get(store), (jobs) => {
        const all = [...jobs.byId.values()].filter((j) => inScope(within, j.restaurantId))
        const count = (status: JobStatus, minAttempts = 0) =>
          all.filter((j) => j.status === status && j.attempts >= minAttempts).length
        return { pending: count("pending"), retrying: count("pending", 1), dead: count("dead") }
      }),
    makeRetriesDue: (within) =>
      Effect.flatMap(nowMs, (ms) =>
        Ref.modify(store, (jobs) => {
          const now = iso(ms)
          const later = [...jobs.byId.values()].filter((j) =>
            j.status === "pending" && j.attempts > 0 && at(j.nextAttemptAt) > ms && inScope(within, j.restaurantId)
          )
          return [
            later.length,
            later.reduce((acc, j) => withJob(acc, { ...j, nextAttemptAt: now, updatedAt: now }), jobs)
          ]
        })),
    list: (filter) =>
      Effect.map(Ref.get(store), (jobs) => {
        const matching = [...jobs.byId.values()]
          .filter(selected(filter.status))
          .filter((j) =>
            (filter.restaurantId === undefined || j.restaurantId === filter.restaurantId) &&
            inScope(filter.restaurantIds, j.restaurantId) &&
            (filter.platform === undefined || j.platform === filter.platform) &&
            (filter.direction === undefined || j.direction === filter.direction)
          )
          .sort((a, b) => at(b.updatedAt) - at(a.updatedAt) || b.id - a.id)
        return pageOf(matching, filter, toJob)
      }),
    get: (id) => Effect.map(Ref.get(store), (jobs) => Option.map(Option.fromNullable(jobs.byId.get(id)), toJob)),
    prune: ({ deadBefore, doneBefore, limit }) =>
      Ref.modify(store, (jobs) => {
        const expired = (status: JobStatus, before: string) =>
          [...jobs.byId.values()].filter((j) => j.status === status && at(j.updatedAt) < at(before)).sort((a, b) =>
            at(a.updatedAt) - at(b.updatedAt)
          )
        const gone = [...expired("done", doneBefore), ...expired("dead", deadBefore)].slice(0, limit)
        return [gone.length, gone.reduce((acc, j) => without(acc, j.id), jobs)]
      })
  })
})

export const SyncJobQueueMemory = Layer.effect(SyncJobQueue, make)
