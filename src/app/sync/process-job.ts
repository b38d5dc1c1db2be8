import { Clock, Effect, Option } from "effect"
import { ConnectorRegistry } from "../../adapters/platforms/registry.js"
import type { SyncAction } from "../../domain/status.js"
import { Transactor } from "../../ports/entity-repository.js"
import { requireCapability } from "../../ports/platform-connector.js"
import { PlatformConfigRepository, type PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import { decryptConfig } from "./connector-config.js"
import { applyReservationEvent } from "./inbound-reservation.js"
import { loadReservation, pushReservation } from "./outbound.js"
import { type Failure, type Outcome, settle } from "./outcome.js"

const skip = (job: SyncJob, action: SyncAction, reason: string): Outcome => ({
  status: "skipped",
  action,
  entityId: job.entityId,
  externalId: job.event?.externalId ?? null,
  errorMessage: reason
})

const outboundOutcome = (job: SyncJob, config: PlatformConfigWithSecrets) =>
  Effect.gen(function* () {
    if (job.entityType !== "reservation" || job.entityId === null) {
      return skip(job, "update", `${config.platform} takes no ${job.entityType} pushes`)
    }
    const reservation = yield* loadReservation(job.entityId)
    if (Option.isNone(reservation)) return skip(job, "update", "the reservation no longer exists")
    return yield* pushReservation(job, config, reservation.value)
  })

const inboundOutcome = (job: SyncJob, config: PlatformConfigWithSecrets) =>
  Effect.gen(function* () {
    const event = job.event
    if (event === null || !event.eventType.startsWith("reservation.")) {
      return skip(job, "update", `event ${event?.eventType ?? "(none)"} is not handled`)
    }
    // Thin events (TheFork) name the booking only: its record is fetched, outside any transaction.
    const dto = event.reservation ?? (yield* Effect.gen(function* () {
      const registry = yield* ConnectorRegistry
      const connector = yield* registry.connectorFor(yield* decryptConfig(config).pipe(Effect.orDie))
      const reservations = yield* requireCapability(connector, "reservations")
      return (yield* reservations.get(event.externalId)).reservation
    }))
    const transactor = yield* Transactor
    return yield* transactor.withTransaction(
      Effect.zipRight(transactor.serialize(`inbound:${config.platform}:${config.restaurantId}:${event.externalId}`), applyReservationEvent(config, event, dto))
    )
  })

/** One attempt at one job, always settled: logged, and done, rescheduled or dead-lettered. */
export const processJob = (job: SyncJob) =>
  Effect.gen(function* () {
    const startedAt = yield* Clock.currentTimeMillis
    const configs = yield* PlatformConfigRepository
    const config = yield* configs.findWithSecrets(job.restaurantId, job.platform)
    const fallbackAction: SyncAction = job.direction === "outbound" ? "update" : "create"
    if (Option.isNone(config) || !config.value.isActive) {
      return yield* settle(job, startedAt, { outcome: skip(job, fallbackAction, `no active ${job.platform} configuration`) })
    }
    const attempt = job.direction === "outbound" ? outboundOutcome(job, config.value) : inboundOutcome(job, config.value)
    yield* attempt.pipe(
      Effect.matchEffect({
        onSuccess: (outcome) => settle(job, startedAt, { outcome }),
        onFailure: (failure: Failure) =>
          settle(job, startedAt, { failure, action: fallbackAction, externalId: job.event?.externalId ?? null })
      })
    )
  }).pipe(Effect.withSpan("SyncJob.process", { attributes: { jobId: job.id, direction: job.direction, platform: job.platform } }))
