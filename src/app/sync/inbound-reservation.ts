import { Clock, Effect, Option } from "effect"
import { resolveConflict, unionAllergies } from "../../domain/conflict.js"
import { trimmedContact } from "../../domain/customer-contact.js"
import type { ReservationSyncDTO, WebhookEvent } from "../../domain/dtos.js"
import { isEchoOfPush, isLateEchoOfPush, type PastPush } from "../../domain/echo.js"
import * as E from "../../domain/entities.js"
import { isEmailAddress } from "../../domain/fields.js"
import { reservationExternalRefs, toLocalIds } from "../../domain/id-resolution.js"
import { type Platform, platforms, type RestaurantId } from "../../domain/ids.js"
import {
  clearedLinksFor,
  disagreeingFields,
  inboundCancel,
  isStaleEvent,
  type LostConflict,
  lostConflictOf,
  remoteReservationFields,
  repeatsLostConflict,
  reservationEventKind,
  reservationWrites
} from "../../domain/inbound-rules.js"
import { isMaster, reservationMaster } from "../../domain/mastering.js"
import { isPushTarget } from "../../domain/push-fan-out.js"
import { newReservationFromSyncDTO } from "../../domain/reservation-dto.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { CustomerRepository, ReservationRepository } from "../../ports/entity-repository.js"
import { type ExternalMapping, MappingRepository } from "../../ports/mapping-repository.js"
import type { PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import { SyncJobQueue } from "../../ports/sync-job-queue.js"
import { SyncLogRepository } from "../../ports/sync-log-repository.js"
import { ConfigCache } from "./config-cache.js"
import { decodeInbound, decodeInboundChange } from "./inbound-decode.js"
import type { Outcome } from "./outcome.js"

const rawOf = (mapping: Option.Option<ExternalMapping>): Record<string, unknown> => {
  const raw = Option.isSome(mapping) ? mapping.value.externalRawData : null
  return typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {}
}

/** What we pushed, as stored JSON gives it back (a mapping's raw data, an audit line's request). */
const asPushedDto = Option.liftPredicate(
  (p: unknown): p is ReservationSyncDTO => typeof p === "object" && p !== null
)

const pushedDto = (mapping: ExternalMapping): Option.Option<ReservationSyncDTO> =>
  asPushedDto(rawOf(Option.some(mapping)).pushed)

/** Pushes kept back for a late echo: an echo outlives a few pushes at most. */
const PUSHES_LOOKED_BACK = 10

/** The booking's latest successful pushes to the platform, oldest first, as the audit log keeps them. */
const pastPushes = (restaurantId: RestaurantId, platform: Platform, reservationId: string) =>
  Effect.flatMap(SyncLogRepository, (log) =>
    Effect.map(
      log.list({
        restaurantId,
        platform,
        entityType: "reservation",
        entityId: reservationId,
        direction: "outbound",
        status: "success",
        limit: PUSHES_LOOKED_BACK,
        offset: 0
      }),
      (page) =>
        page.items.flatMap((line): Array<PastPush> =>
          Option.toArray(Option.map(asPushedDto(line.requestPayload), (pushed) => ({
            pushed,
            startedAt: Date.parse(line.createdAt) - (line.durationMs ?? 0)
          })))
        ).reverse()
    ))

/**
 * A change the platform made to a booking passes on to the restaurant's other platforms that hold
 * it (`relayTargets`). Most restaurants have one platform for bookings: the cached configs say so
 * without a query.
 */
const relayToOtherPlatforms = (restaurantId: RestaurantId, reservationId: string, from: Platform) =>
  Effect.gen(function*() {
    const cache = yield* ConfigCache
    const others = yield* Effect.exists(
      platforms.filter((platform) => platform !== from),
      (platform) =>
        Effect.map(
          cache.byRestaurant(restaurantId, platform),
          Option.exists((loaded) => isPushTarget(loaded.stored, { restaurantId, entityType: "reservation" }))
        )
    )
    if (others) yield* (yield* SyncJobQueue).enqueueRelay(restaurantId, "reservation", reservationId, from)
  })

// When the last event applied to this booking happened, as its mapping remembers it.
const lastEventAt = (mapping: Option.Option<ExternalMapping>) => {
  const last = rawOf(mapping).lastEventAt
  return typeof last === "string" ? last : undefined
}

/** Applies one platform reservation event to the local reservation. */
export const applyReservationEvent = (
  config: PlatformConfigWithSecrets,
  event: WebhookEvent,
  dto: ReservationSyncDTO
) =>
  Effect.gen(function*() {
    const reservations = yield* ReservationRepository
    const mappings = yield* MappingRepository
    const platform: Platform = config.platform
    const restaurantId = config.restaurantId
    const precision = Option.match((yield* ConnectorRegistry).moduleFor(platform), {
      onNone: () => "millisecond" as const,
      onSome: (module) => module.reservationTimePrecision
    })
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()

    // `lostConflict`: the platform's side of a conflict ours won (kept until the platform agrees, null then).
    const saveMapping = (
      entityId: string,
      previous: Option.Option<ExternalMapping> = Option.none(),
      syncStatus: "synced" | "conflict" = "synced",
      lostConflict?: LostConflict | null
    ) =>
      mappings.upsert({
        restaurantId,
        entityType: "reservation",
        entityId,
        platform,
        externalId: event.externalId,
        externalRawData: {
          ...rawOf(previous),
          lastEventAt: event.occurredAt ?? now,
          lastEventId: event.eventId,
          ...(lostConflict === undefined ? {} : { lostConflict })
        },
        syncStatus,
        syncedAt: now
      })

    const outcome = (
      status: Outcome["status"],
      action: Outcome["action"],
      entityId: string | null,
      extra: Partial<Outcome> = {}
    ): Outcome => ({
      status,
      action,
      entityId,
      externalId: event.externalId,
      requestPayload: event.rawPayload,
      ...extra
    })

    const kind = reservationEventKind(event, dto)
    let mapping = yield* mappings.findByExternal(restaurantId, platform, "reservation", event.externalId)
    if (isStaleEvent(event, lastEventAt(mapping))) {
      return outcome("skipped", "update", Option.getOrNull(Option.map(mapping, (m) => m.entityId)), {
        errorMessage: `older than the last applied event (${event.occurredAt})`
      })
    }

    // a booking that carries one of our own ids is ours: link it, never duplicate it.
    if (Option.isNone(mapping)) {
      const reference = event.externalReferenceId ?? dto.externalReferenceId
      const own = reference === undefined ? Option.none() : yield* Effect.option(reservations.get(reference))
      if (Option.isSome(own) && own.value.restaurantId === restaurantId) {
        mapping = Option.some(
          yield* saveMapping(own.value.id, yield* mappings.findByEntity("reservation", own.value.id, platform))
        )
      }
    }

    const localIds = toLocalIds(dto, yield* mappings.localIdsOf(restaurantId, platform, reservationExternalRefs(dto)))

    if (Option.isNone(mapping)) {
      // A cancellation of a booking we never saw has nothing to cancel here.
      if (kind === "reservation.cancelled") {
        return outcome("skipped", "cancel", null, { errorMessage: "unknown booking: nothing to cancel" })
      }
      const customerId = yield* upsertCustomer(restaurantId, dto)
      const input = yield* decodeInbound(E.reservation.Create, {
        ...newReservationFromSyncDTO(dto, localIds, platform),
        restaurantId,
        customerId
      })
      const created = yield* reservations.create(input)
      yield* saveMapping(created.id)
      return outcome("success", "create", created.id)
    }

    const known = mapping
    const local = yield* reservations.get(mapping.value.entityId).pipe(Effect.orDie)
    const echo = Option.exists(pushedDto(mapping.value), (pushed) => isEchoOfPush(pushed, dto, precision))
    if (kind === "reservation.cancelled") {
      const cancel = inboundCancel(local.status)
      if (cancel === "final") {
        yield* saveMapping(local.id, known)
        return outcome("skipped", "cancel", local.id, {
          errorMessage: `cancel ignored: reservation is ${local.status}`
        })
      }
      if (cancel === "cancel") {
        yield* reservations.update(local.id, { status: "cancelled" })
        yield* relayToOtherPlatforms(restaurantId, local.id, platform)
      }
      yield* saveMapping(local.id, known)
      return outcome("success", "cancel", local.id)
    }

    const master = reservationMaster(local, config)
    const remote = clearedLinksFor(remoteReservationFields(kind, dto, localIds), isMaster(master, platform))
    const disagreements = disagreeingFields(local, remote, precision)
    // Only a booking we pushed, stating something else than our last push, can be a late echo.
    const lateEcho = !echo && disagreements.length > 0 && Option.isSome(pushedDto(known.value)) &&
      event.occurredAt !== undefined &&
      isLateEchoOfPush(
        yield* pastPushes(restaurantId, platform, local.id),
        dto,
        Date.parse(event.occurredAt),
        precision
      )
    if (echo || lateEcho || disagreements.length === 0) {
      // The platform agrees again: a conflict it had is over (a late echo says nothing of it).
      yield* saveMapping(local.id, known, "synced", lateEcho ? undefined : null)
      return outcome("skipped", "update", local.id, {
        errorMessage: echo
          ? "echo of our own push"
          : lateEcho
          ? "echo of an earlier push of ours, after a later one"
          : "no change (duplicate)"
      })
    }
    const resolution = resolveConflict({ local, remote, platform, master })
    const writes = reservationWrites(local, resolution)
    const lost = lostConflictOf(remote, disagreements)
    // The platform answered our last push-back with what it had said: another would get the same.
    const futile = resolution.winner === "local" && Object.keys(writes).length === 0 &&
      repeatsLostConflict(rawOf(known).lostConflict, lost, precision)
    if (Object.keys(writes).length > 0) {
      yield* reservations.update(local.id, yield* decodeInboundChange(E.reservation.Entity, local, writes))
      if (resolution.winner === "remote") yield* relayToOtherPlatforms(restaurantId, local.id, platform)
    }
    if (resolution.winner === "local" && !futile) {
      // Issue 20, items 4 and 11: the platform's change lost. Ours, with the allergy union, is
      // pushed back to it (and to the booking's other platforms); until that push lands, the
      // mapping says conflict rather than the pending the push would set.
      yield* (yield* SyncJobQueue).enqueuePush(restaurantId, "reservation", local.id)
    }
    const winnerLocal = resolution.winner === "local"
    yield* saveMapping(local.id, known, winnerLocal ? "conflict" : "synced", winnerLocal ? lost : null)
    const action = kind === "reservation.status_changed" ? "status_change" : "update"
    return outcome(winnerLocal ? "conflict" : "success", action, local.id, {
      conflictResolution: resolution.description,
      ...(futile
        ? {
          errorMessage: `not pushed back again: ${platform} states ${
            disagreements.join(", ")
          } as it did before our last push (it does not take ours)`
        }
        : {})
    })
  })

/** the guest as a customer of the restaurant, found by phone or email, else created. */
export const upsertCustomer = (
  restaurantId: RestaurantId,
  dto: Pick<ReservationSyncDTO, "customerName" | "customerPhone" | "customerEmail" | "allergies">
) =>
  Effect.gen(function*() {
    const customers = yield* CustomerRepository
    const { email, phone } = trimmedContact({ phone: dto.customerPhone, email: dto.customerEmail })
    if (phone === undefined && email === undefined) return null
    const [existing] = yield* customers.findByContact(restaurantId, { phone, email })
    const allergies = [...(dto.allergies ?? [])]
    if (existing !== undefined) {
      const union = unionAllergies(existing.allergies, allergies)
      if (union.length !== existing.allergies.length) {
        const united = yield* decodeInboundChange(E.customer.Entity, existing, { allergies: union })
        yield* customers.update(existing.id, united).pipe(Effect.orDie)
      }
      return existing.id
    }
    const input = yield* decodeInbound(E.customer.Create, {
      restaurantId,
      name: dto.customerName,
      phone: phone ?? null,
      email: email !== undefined && isEmailAddress(email) ? email : null,
      allergies
    })
    return (yield* customers.create(input)).id
  })
