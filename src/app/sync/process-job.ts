import { Cause, Chunk, Clock, Effect, Option } from "effect"
import type { Platform } from "../../domain/ids.js"
import { jobAction } from "../../domain/job-action.js"
import { mastersMenu } from "../../domain/mastering.js"
import { takesMenu } from "../../domain/push-fan-out.js"
import type { SyncAction } from "../../domain/status.js"
import { withChangeOrigin } from "../../ports/change-feed.js"
import { requireCapability } from "../../ports/connector-capabilities.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { OrderRepository, Transactor } from "../../ports/entity-repository.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import { causeLine } from "../observability/cause-line.js"
import { withAttemptSpan } from "../observability/telemetry.js"
import { ConfigCache, type LoadedConfig } from "./config-cache.js"
import { bookingKey } from "./inbound-batch.js"
import { masterMenuKept, masterMenuRead, pullMasterMenu } from "./inbound-menu.js"
import { applyOrderEvent } from "./inbound-order.js"
import { applyReservationEvent } from "./inbound-reservation.js"
import { syncEntity } from "./outbound-entity.js"
import { pushMenu } from "./outbound-menu.js"
import { pushOrderStatus } from "./outbound-order.js"
import { OutboundSettlements } from "./outbound-settlements.js"
import { pushReservation } from "./outbound.js"
import { AttemptFailed, type Failure, type Outcome, settle, StaleClaim } from "./outcome.js"
import { pushLookupOf } from "./push-prefetch.js"

const skip = (job: SyncJob, action: SyncAction, reason: string): Outcome => ({
  status: "skipped",
  action,
  entityId: job.entityId,
  externalId: job.event?.externalId ?? null,
  errorMessage: reason
})

/** A menu job for a platform without a menu (the table platforms): said so, never done half-way. */
const noMenu = (job: SyncJob, platform: Platform) => skip(job, "push_menu", `${platform}: platform has no menu`)

const connectorOf = (config: LoadedConfig) =>
  Effect.flatMap(ConnectorRegistry, (registry) => registry.connectorFor(config.connector))

const outboundOutcome = (job: SyncJob, loaded: LoadedConfig) =>
  Effect.gen(function*() {
    const config = loaded.stored
    if (job.entityId === null) return skip(job, "update", "the job names no entity")
    switch (job.entityType) {
      case "reservation": {
        const lookup = yield* pushLookupOf(job, job.entityId)
        if (Option.isNone(lookup)) return skip(job, "update", "the reservation no longer exists")
        return yield* pushReservation(job, config, lookup.value, connectorOf(loaded))
      }
      case "order": {
        const order = yield* Effect.option(Effect.flatMap(OrderRepository, (orders) => orders.get(job.entityId ?? "")))
        if (Option.isNone(order)) return skip(job, "status_change", "the order no longer exists")
        return yield* pushOrderStatus(config, order.value, yield* connectorOf(loaded))
      }
      case "menu_item":
      case "offer": {
        const connector = yield* connectorOf(loaded)
        if (connector.menu === undefined) return noMenu(job, config.platform)
        // a whole-menu upload replaces the platform's menu; a master of it is read instead.
        if (mastersMenu(config)) return yield* masterMenuKept(job.restaurantId, config.platform, connector)
        return yield* pushMenu(job.restaurantId, connector)
      }
      default:
        return yield* syncEntity(job, config.platform)
    }
  })

/**
 * The platform revoked this integration's access to the store (Uber's `store.deprovisioned`):
 * nothing will sync with it, which the config's last error says on /ops until access comes back
 * (`store.provisioned`) or a sync succeeds again.
 */
const storeAccess = (job: SyncJob, granted: boolean) =>
  Effect.gen(function*() {
    const configs = yield* PlatformConfigRepository
    const at = new Date(yield* Clock.currentTimeMillis).toISOString()
    const revoked =
      `${job.platform} revoked this integration's access to the store: orders, menu and store status do not sync until it is granted again`
    yield* configs.recordOutcome(
      job.restaurantId,
      job.platform,
      granted ? { ok: true, at } : { ok: false, error: revoked }
    )
    return {
      status: granted ? "success" : "failed",
      action: "status_change",
      entityId: null,
      externalId: job.event?.externalId ?? null,
      errorMessage: granted ? undefined : revoked
    } satisfies Outcome
  })

/**
 * The platform asks for the menu (Uber's `store.menu_refresh_request`): ours is uploaded to it, or,
 * where it is master of the menu, its own is read here.
 */
const menuAsked = (job: SyncJob, loaded: LoadedConfig) =>
  Effect.gen(function*() {
    const config = loaded.stored
    const connector = yield* connectorOf(loaded)
    if (connector.menu === undefined) return noMenu(job, config.platform)
    if (!takesMenu(config)) {
      return skip(job, "push_menu", `the menu is not synced with ${config.platform}`)
    }
    if (!mastersMenu(config)) return yield* pushMenu(job.restaurantId, connector)
    return {
      ...masterMenuRead(yield* pullMasterMenu(job.restaurantId, config.platform, connector), config.platform),
      externalId: null
    }
  })

/**
 * Inbound events are applied and settled (log line, job done) in one transaction: one commit per
 * event, and a crash leaves either everything or nothing.
 */
const inboundSettled = <R>(
  job: SyncJob,
  loaded: LoadedConfig,
  finish: (outcome: Outcome) => Effect.Effect<void, never, R>
) =>
  Effect.gen(function*() {
    const config = loaded.stored
    const event = job.event
    const transactor = yield* Transactor
    if (event === null) {
      return yield* transactor.withTransaction(finish(skip(job, "update", "the job carries no event")))
    }
    const serialized = <E, R2>(apply: Effect.Effect<Outcome, E, R2>) =>
      transactor.withTransaction(
        transactor.serialize(bookingKey(job, event.externalId)).pipe(
          Effect.zipRight(apply),
          Effect.tap(finish)
        )
      )
    // Thin events (TheFork, Uber's notifications) name the record only: it is fetched, outside any transaction.
    if (event.eventType.startsWith("order.")) {
      const order = event.order ?? (event.needsFetch
        ? (yield* Effect.flatMap(
          Effect.flatMap(connectorOf(loaded), (c) => requireCapability(c, "orders")),
          (orders) => orders.get(event.externalId)
        )).order
        : undefined)
      const outcome = yield* serialized(applyOrderEvent(config, event, order))
      if (outcome.status === "success" && outcome.action === "create") yield* acknowledgeOrder(loaded, event.externalId)
      return
    }
    if (event.eventType === "store.deprovisioned" || event.eventType === "store.provisioned") {
      return yield* transactor.withTransaction(
        Effect.flatMap(storeAccess(job, event.eventType === "store.provisioned"), finish)
      )
    }
    if (event.eventType === "menu.updated") {
      const outcome = yield* menuAsked(job, loaded)
      return yield* transactor.withTransaction(finish({ ...outcome, externalId: event.externalId }))
    }
    if (event.eventType === "store.status_changed") {
      // Nothing here holds a store's status: it is read from the platform when asked.
      const reason = "store status is read from the platform when asked (GET /api/platform-configs/{id}/store-status)"
      return yield* transactor.withTransaction(finish(skip(job, "status_change", reason)))
    }
    if (!event.eventType.startsWith("reservation.")) {
      return yield* transactor.withTransaction(finish(skip(job, "update", `event ${event.eventType} is not handled`)))
    }
    const dto = event.reservation ?? (yield* Effect.flatMap(
      Effect.flatMap(connectorOf(loaded), (c) => requireCapability(c, "reservations")),
      (reservations) => Effect.map(reservations.get(event.externalId), (record) => record.reservation)
    ))
    yield* serialized(applyReservationEvent(config, event, dto))
  })

/**
 * Deliveroo wants to hear that a new order reached the restaurant's system, or staff are asked to
 * key it in by hand. Best effort, after the order is safely stored: a failure is only logged.
 */
const acknowledgeOrder = (loaded: LoadedConfig, externalId: string) =>
  Effect.flatMap(connectorOf(loaded), (connector) => connector.orders?.acknowledge?.(externalId) ?? Effect.void).pipe(
    Effect.catchAll((error) =>
      Effect.logWarning(`${loaded.stored.platform} order ${externalId} not acknowledged: ${error.message}`)
    )
  )

type Finish = (outcome: Outcome) => Effect.Effect<void, never, Effect.Effect.Context<ReturnType<typeof settle>>>

type AttemptContext =
  | Transactor
  | Effect.Effect.Context<ReturnType<typeof outboundOutcome>>
  | Effect.Effect.Context<ReturnType<typeof inboundSettled<Effect.Effect.Context<ReturnType<Finish>>>>>
  | Effect.Effect.Context<ReturnType<Finish>>
  | OutboundSettlements

/** One attempt at one job: its outcome or its typed failure settled. */
const attemptJob = (job: SyncJob, startedAt: number, fallbackAction: SyncAction) =>
  Effect.gen(function*() {
    const cache = yield* ConfigCache
    const settlements = yield* OutboundSettlements
    const config = yield* cache.byRestaurant(job.restaurantId, job.platform)
    if (Option.isNone(config) || !config.value.stored.isActive) {
      return yield* settle(job, startedAt, {
        outcome: skip(job, fallbackAction, `no active ${job.platform} configuration`)
      })
    }
    const stored = config.value.stored
    const finish = (outcome: Outcome) => settle(job, startedAt, { outcome }, stored)
    const attempt: Effect.Effect<void, Failure, AttemptContext> = job.direction === "outbound"
      // The platform call happens outside any transaction; its record is written in one.
      ? Effect.flatMap(outboundOutcome(job, config.value), (outcome) =>
        settlements.settle(job, startedAt, outcome, stored))
      // Issue 21: what an inbound event writes is logged as the platform's change.
      : inboundSettled(job, config.value, finish).pipe(withChangeOrigin(job.platform))
    yield* attempt.pipe(
      Effect.catchAll((failure: Failure) =>
        settle(
          job,
          startedAt,
          failure instanceof AttemptFailed
            ? failure
            : { failure, action: fallbackAction, externalId: job.event?.externalId ?? null },
          stored
        )
      )
    )
  })

const lostClaim = (cause: Cause.Cause<unknown>) =>
  Chunk.some(Cause.defects(cause), (defect) => defect instanceof StaleClaim)

/**
 * Issue 19: what escaped the attempt (a defect such as a foreign key refused or a config that
 * cannot be decrypted, or an interruption) still settles the job, so it never waits for its
 * lease, is never taken forever, and shows on /ops. A defect would meet the same data again: the
 * job is dead-lettered at once (an operator replays it once the data is fixed); an interruption
 * is retried on the schedule.
 */
const settleEscaped = (job: SyncJob, startedAt: number, action: SyncAction, cause: Cause.Cause<unknown>) => {
  const what = `${job.direction} job ${job.id} (${job.platform} ${job.entityType}, restaurant ${job.restaurantId})`
  if (lostClaim(cause)) return Effect.logWarning(`${what}: claim lost to another worker, left to it`)
  const line = causeLine(cause)
  const failure: Failure = Cause.isInterruptedOnly(cause)
    ? { _tag: "JobInterrupted", message: `attempt interrupted` }
    : { _tag: "JobDefect", message: line }
  return Effect.logError(`${what} failed: ${line}`).pipe(
    Effect.zipRight(settle(job, startedAt, { failure, action, externalId: job.event?.externalId ?? null })),
    // The database itself failing: the job stays claimed and is taken again after its lease.
    Effect.catchAllCause((settling) =>
      Effect.logError(`${what} not settled: ${causeLine(settling)}; taken again after its lease`)
    )
  )
}

/**
 * One attempt at one job, always settled: logged, and done, rescheduled or dead-lettered, whatever
 * happens in it. Never fails, so one job cannot end the pass of the jobs claimed with it.
 */
export const processJob = (job: SyncJob): Effect.Effect<void, never, AttemptContext | ConfigCache> =>
  Effect.gen(function*() {
    const startedAt = yield* Clock.currentTimeMillis
    const fallbackAction = jobAction({
      direction: job.direction,
      entityType: job.entityType,
      eventType: job.event?.eventType
    })
    yield* attemptJob(job, startedAt, fallbackAction).pipe(
      Effect.catchAllCause((cause) => settleEscaped(job, startedAt, fallbackAction, cause))
    )
  }).pipe(withAttemptSpan("SyncJob.process", job))
