import { Clock, Effect, Option } from "effect"
import { toExternalIds } from "../../domain/id-resolution.js"
import type { Platform } from "../../domain/ids.js"
import { pushSkip } from "../../domain/mastering.js"
import { reservationToSyncDTO } from "../../domain/reservation-dto.js"
import {
  type PlatformConnector,
  requireCapability,
  type ReservationCapability
} from "../../ports/connector-capabilities.js"
import type { PlatformPermanentError } from "../../ports/connector-errors.js"
import type { ConnectorRegistry } from "../../ports/connector-registry.js"
import { MappingRepository, type MappingUpsert } from "../../ports/mapping-repository.js"
import type { PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import { traced } from "../../ports/traced.js"
import { attempting, type Outcome } from "./outcome.js"
import { mappedExternalId, type PushLookup } from "./push-prefetch.js"

const skipped = (action: Outcome["action"], entityId: string, reason: string): Outcome => ({
  status: "skipped",
  action,
  entityId,
  externalId: null,
  errorMessage: reason
})

/** The booking on the platform: the mapped one, or one a lost create left behind. */
const findBooking = (reservations: ReservationCapability, reservationId: string, mapped: Option.Option<string>) =>
  Option.isSome(mapped)
    ? Effect.succeed(mapped)
    : Effect.map(reservations.findByReference(reservationId), Option.map((found) => found.externalId))

/**
 * for one reservation and one platform: mastering, DTO with batch id resolution,
 * the status special cases, create or update, and the mapping. Returns what to log.
 */
export const pushReservation = (
  job: SyncJob,
  config: PlatformConfigWithSecrets,
  lookup: PushLookup,
  connectorOf: Effect.Effect<PlatformConnector, PlatformPermanentError, ConnectorRegistry>
) =>
  Effect.gen(function*() {
    const mappings = yield* MappingRepository
    const platform: Platform = config.platform
    const reservation = lookup.reservation
    const mapped = mappedExternalId(lookup)
    const skip = pushSkip(reservation, config, Option.isSome(mapped))
    if (skip === "platform_is_master") {
      return skipped("update", reservation.id, `${platform} is master of this reservation`)
    }
    if (skip === "born_elsewhere") {
      return skipped("create", reservation.id, `born on ${reservation.source}: not copied to ${platform}`)
    }
    const reservations = yield* requireCapability(yield* connectorOf, "reservations")
    const dto = reservationToSyncDTO(reservation, toExternalIds(reservation, lookup.externalIds))

    // The mapping is written with the audit line, when the push settles.
    const succeeded = (action: Outcome["action"], externalId: string, response?: unknown, note?: string) =>
      Effect.map(Clock.currentTimeMillis, (now): Outcome & { readonly mapping: MappingUpsert } => ({
        status: "success",
        action,
        entityId: reservation.id,
        externalId,
        requestPayload: dto,
        responsePayload: response,
        errorMessage: note,
        mapping: {
          restaurantId: reservation.restaurantId,
          entityType: "reservation",
          entityId: reservation.id,
          platform,
          externalId,
          // What we said, so the platform's echo of it is recognised.
          externalRawData: { pushedVersion: reservation.version, pushed: dto },
          syncStatus: "synced",
          syncedAt: new Date(now).toISOString()
        }
      }))

    // cancelled and no-show cancel; seated checks in; completed checks out.
    if (reservation.status === "cancelled" || reservation.status === "no_show") {
      const existing = yield* findBooking(reservations, reservation.id, mapped).pipe(
        attempting({ action: "cancel", externalId: Option.getOrNull(mapped) })
      )
      if (Option.isNone(existing)) {
        return skipped("cancel", reservation.id, "never reached the platform: nothing to cancel")
      }
      yield* reservations.cancel(existing.value, reservation.status).pipe(
        attempting({ action: "cancel", externalId: existing.value })
      )
      return yield* succeeded("cancel", existing.value)
    }

    // No mapping: create, which itself looks our reference up first unless this is the job's very
    // first try, so a booking left by a worker that died is updated, never duplicated.
    const firstTry = job.claims <= 1 && job.attempts === 0
    const written = Option.isSome(mapped)
      ? {
        action: "update" as const,
        result: yield* reservations.update(mapped.value, dto).pipe(
          attempting({ action: "update", externalId: mapped.value, requestPayload: dto })
        )
      }
      : {
        action: "create" as const,
        result: yield* reservations.create(dto, { knownAbsent: firstTry }).pipe(
          attempting({ action: "create", externalId: null, requestPayload: dto })
        )
      }
    const externalId = written.result.externalId

    if (reservation.status === "seated" || reservation.status === "completed") {
      const step = reservation.status === "seated" ? reservations.checkIn : reservations.checkOut
      const stepAction = reservation.status === "seated" ? "check_in" : "check_out"
      if (step === undefined) {
        // The rest of the booking is pushed; the line says why its status is not, never in silence.
        const missing = `${platform}: platform has no ${
          stepAction.replace("_", "-")
        }; the booking is ${reservation.status} here only`
        return yield* succeeded(written.action, externalId, written.result.raw, missing)
      }
      // A second call follows: the booking is linked first, so a retry after a failed step
      // updates it by its mapping instead of looking it up again.
      const outcome = yield* succeeded(stepAction, externalId, written.result.raw)
      if (written.action === "create") yield* mappings.upsert(outcome.mapping)
      yield* step(externalId).pipe(attempting({ action: stepAction, externalId }))
      return outcome
    }
    return yield* succeeded(written.action, externalId, written.result.raw)
  }).pipe(
    traced("Outbound.pushReservation", {
      attributes: { jobId: job.id, platform: config.platform },
      captureStackTrace: false
    })
  )
