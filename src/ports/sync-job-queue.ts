import { Context, type Effect, type Option, Schema } from "effect"
import type { RestaurantScope } from "../domain/access.js"
import { WebhookEvent } from "../domain/dtos.js"
import { Timestamps } from "../domain/fields.js"
import { EntityType, Platform, RestaurantId } from "../domain/ids.js"
import type { ListQuery, Page } from "./entity-repository.js"

export const JobDirection = Schema.Literal("outbound", "inbound")
export type JobDirection = typeof JobDirection.Type
export const JobStatus = Schema.Literal("pending", "running", "done", "dead")
export type JobStatus = typeof JobStatus.Type

/**
 * A unit of durable sync work. Outbound: push entity `entityId` to `platform` (the push reloads
 * the entity, R-8.3). Inbound: apply the stored `event`.
 */
export const SyncJob = Schema.Struct({
  id: Schema.Number,
  direction: JobDirection,
  restaurantId: RestaurantId,
  platform: Platform,
  entityType: EntityType,
  entityId: Schema.NullOr(Schema.String),
  event: Schema.NullOr(WebhookEvent),
  status: JobStatus,
  /** Failed attempts so far; the retry policy decides from it. */
  attempts: Schema.Int,
  /** Times a worker took it; above one, an earlier worker may have half-done it. */
  claims: Schema.Int,
  nextAttemptAt: Schema.String,
  lastError: Schema.NullOr(Schema.String),
  /** The W3C `traceparent` of the delivery that stored an inbound job, when traces are exported. */
  traceParent: Schema.NullOr(Schema.String),
  ...Timestamps
})
export type SyncJob = typeof SyncJob.Type

/** Jobs waiting (among them those failed at least once, to be retried) and dead letters. */
/** The last error of a job whose attempt never settled, whichever queue takes it again. */
export const abandonedAttemptError = "the attempt never settled: its worker stopped or lost its lease"

export const JobCounts = Schema.Struct({ pending: Schema.Int, retrying: Schema.Int, dead: Schema.Int })
export type JobCounts = typeof JobCounts.Type

export interface JobFilter extends ListQuery {
  readonly platform?: Platform | undefined
  readonly direction?: JobDirection | undefined
}

export interface EventToStore {
  readonly restaurantId: RestaurantId
  readonly event: WebhookEvent
  /** The delivery's span, for the attempts that apply the event (see SyncJob). */
  readonly traceParent?: string | null | undefined
}

/**
 * The claim a settle is fenced by: the job and how many times it had been taken when this worker
 * took it. A worker whose lease ran out (and whose job another worker took since) holds an older
 * count, so its late settle matches nothing and changes nothing.
 */
export type JobClaim = Pick<SyncJob, "id" | "claims">

/** `duplicate`: the (restaurant, platform, eventId) was already stored, so this delivery added nothing. */
export interface StoredEvent {
  readonly duplicate: boolean
}

export class SyncJobQueue extends Context.Tag("SyncJobQueue")<SyncJobQueue, {
  /**
   * one outbound job per active platform config of the restaurant that syncs this
   * entity type, written with the caller's transaction. A push already waiting for the same
   * entity and platform absorbs the new change. Returns how many platforms were queued.
   */
  readonly enqueuePush: (restaurantId: RestaurantId, entityType: EntityType, entityId: string) => Effect.Effect<number>
  /**
   * A change a platform made, passed on (`relayTargets`): `enqueuePush` limited to the configs
   * whose platform already holds the record (it has a mapping there; every platform that takes the
   * menu holds the restaurant's menu), `from`'s excepted. A platform that never had the record is
   * not given it by another platform's change. Returns how many platforms were queued.
   */
  readonly enqueueRelay: (
    restaurantId: RestaurantId,
    entityType: EntityType,
    entityId: string,
    from: Platform
  ) => Effect.Effect<number>
  /** stores a delivery; a redelivery of the same (platform, eventId) is not stored again. */
  readonly enqueueEvent: (restaurantId: RestaurantId, event: WebhookEvent) => Effect.Effect<StoredEvent>
  /**
   * for many deliveries at once, in one statement: one write acknowledges them all. Results
   * follow the input order; an event given twice is stored once, its later copies are duplicates.
   */
  readonly enqueueEvents: (items: ReadonlyArray<EventToStore>) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /**
   * takes up to `limit` due jobs for this worker (rows locked with SKIP LOCKED, so each job
   * goes to exactly one instance) and leases them for `leaseMs`, in the database's time where
   * there is one (an instance whose clock runs ahead takes no live lease). A job whose lease ran
   * out without a settle (its worker died, perhaps because of the job) is taken again with that
   * attempt counted as failed; past `maxRetries` such failures it is dead-lettered instead.
   */
  readonly claim: (
    options: {
      readonly limit: number
      readonly leaseMs: number
      readonly direction?: JobDirection | undefined
      readonly maxRetries?: number | undefined
    }
  ) => Effect.Effect<ReadonlyArray<SyncJob>>
  /**
   * Heartbeat: extends by `leaseMs` the leases these claims still hold. Returns how many still
   * held theirs.
   */
  readonly extendLeases: (claims: ReadonlyArray<JobClaim>, leaseMs: number) => Effect.Effect<number>
  /**
   * Gives back claims whose attempt never began (a stop came before their turn): each job is
   * pending and due now, its attempts unchanged, taking over a push of the same record queued
   * meanwhile, so the next worker takes it at once instead of after its lease. Stale claims are
   * left out; returns how many were given back.
   */
  readonly release: (claims: ReadonlyArray<JobClaim>) => Effect.Effect<number>
  /** Done. False when the claim is stale (the job was taken again since): nothing changed. */
  readonly complete: (claim: JobClaim) => Effect.Effect<boolean>
  /** `complete` for a whole batch of jobs, in one statement; returns the ids it settled (stale claims are left out). */
  readonly completeMany: (claims: ReadonlyArray<JobClaim>) => Effect.Effect<ReadonlyArray<number>>
  /** Failed, to be tried again at `nextAttemptAt`; `attempts` is incremented. False when the claim is stale. */
  readonly retryLater: (claim: JobClaim, nextAttemptAt: string, error: string) => Effect.Effect<boolean>
  /** Failed for good (dead letter, R-8.1). False when the claim is stale. */
  readonly bury: (claim: JobClaim, error: string) => Effect.Effect<boolean>
  /** Operator replay: a dead job becomes due now with its attempts reset. */
  readonly replay: (id: number) => Effect.Effect<Option.Option<SyncJob>>
  /** Jobs waiting for a retry (failed at least once, not dead), and dead letters. */
  readonly counts: (within?: RestaurantScope) => Effect.Effect<JobCounts>
  /** Makes every retry due now (POST /api/sync/retry), of these restaurants if given; returns how many. */
  readonly makeRetriesDue: (within?: RestaurantScope) => Effect.Effect<number>
  readonly list: (filter: JobFilter & { readonly status: "retrying" | "dead" }) => Effect.Effect<Page<SyncJob>>
  readonly get: (id: number) => Effect.Effect<Option.Option<SyncJob>>
  /**
   * Retention (issue 18): deletes up to `limit` of the oldest done jobs settled before
   * `doneBefore`, then of the dead letters left unreplayed since `deadBefore`; returns how many.
   */
  readonly prune: (
    options: { readonly doneBefore: string; readonly deadBefore: string; readonly limit: number }
  ) => Effect.Effect<number>
}>() {}
