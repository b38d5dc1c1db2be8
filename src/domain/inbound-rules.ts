import type { ReservationSyncDTO, WebhookEvent, WebhookEventType } from "./dtos.js"
import { type InstantPrecision, sameField } from "./echo.js"
import type { Reservation } from "./entities.js"
import type { ReservationLocalIds } from "./id-resolution.js"
import { reservationFieldsFromSyncDTO, type ReservationPatch } from "./reservation-dto.js"
import { isTerminalReservationStatus, type ReservationStatus } from "./status.js"

/**
 * What a reservation event does. Platforms that only say "updated" (TheFork) cancel by status:
 * the cancel rules apply all the same.
 */
export const reservationEventKind = (
  event: Pick<WebhookEvent, "eventType">,
  dto: Pick<ReservationSyncDTO, "status">
): WebhookEventType =>
  dto.status === "cancelled" && event.eventType !== "reservation.created" ? "reservation.cancelled" : event.eventType

/**
 * an event older than the last one applied to this booking would regress it. A creation
 * stamped the same instant as an applied change is older too: the change was made to it. An
 * event without a time, or a booking with nothing applied yet, cannot tell: it is not stale.
 */
export const isStaleEvent = (
  event: Pick<WebhookEvent, "eventType" | "occurredAt">,
  lastAppliedAt: string | undefined
): boolean => {
  if (event.occurredAt === undefined || lastAppliedAt === undefined) return false
  const [at, lastAt] = [Date.parse(event.occurredAt), Date.parse(lastAppliedAt)]
  return at < lastAt || (at === lastAt && event.eventType === "reservation.created")
}

/**
 * a platform's cancel of a known booking. `final`: the guest is (or was) at the table, or
 * never came, and the restaurant's record stands; `already`: nothing left to write.
 */
export const inboundCancel = (status: ReservationStatus): "final" | "already" | "cancel" =>
  isTerminalReservationStatus(status) ? "final" : status === "cancelled" ? "already" : "cancel"

/** What the event says about a known booking: a status change its status alone, else every field it defines. */
export const remoteReservationFields = (
  kind: WebhookEventType,
  dto: ReservationSyncDTO,
  localIds: ReservationLocalIds
): ReservationPatch =>
  kind === "reservation.status_changed" && dto.status !== undefined
    ? { status: dto.status }
    : reservationFieldsFromSyncDTO(dto, localIds)

const links = new Set<string>(["serviceId", "offerId", "diningRoomId"])

/**
 * Issue 20, item 7: a link the platform clears (service, offer or room set to none) clears ours
 * where the platform is master of the booking. Where we are, its "none" may only mean it cannot
 * hold our link: it is not a change to resolve, and pushing ours back would not change it.
 */
export const clearedLinksFor = (remote: ReservationPatch, platformIsMaster: boolean): ReservationPatch =>
  platformIsMaster
    ? remote
    : Object.fromEntries(Object.entries(remote).filter(([field, value]) => !(value === null && links.has(field))))

/** the fields the platform states differently from us; none means a duplicate or our own echo. */
export const disagreeingFields = (
  local: Reservation,
  remote: ReservationPatch,
  precision: InstantPrecision = "millisecond"
): ReadonlyArray<keyof ReservationPatch> =>
  (Object.keys(remote) as Array<keyof ReservationPatch>).filter((field) =>
    remote[field] !== undefined && !sameField(field, local[field], remote[field], precision)
  )

/** The platform's side of a conflict ours won: each field it stated differently, with its value. */
export type LostConflict = Readonly<Record<string, unknown>>

export const lostConflictOf = (
  remote: ReservationPatch,
  fields: ReadonlyArray<keyof ReservationPatch>
): LostConflict => Object.fromEntries(fields.map((field) => [field, remote[field]]))

/**
 * beyond echoes: ours won a conflict and was pushed back, and the platform still states some
 * of those fields with the very values it had, and nothing else. It did not take ours for them: it
 * cannot hold them (a field it fills in, or SevenRooms adding the guest's requests to the notes we
 * write), and a new push would bring the same answer back, for ever. A field it states anew, or
 * differently, is a new conflict. `previous` is the last conflict as stored (JSON), `current`
 * this event's, which replaces it.
 */
export const repeatsLostConflict = (
  previous: unknown,
  current: LostConflict,
  precision: InstantPrecision = "millisecond"
): boolean => {
  if (typeof previous !== "object" || previous === null || Array.isArray(previous)) return false
  const before = previous as Record<string, unknown>
  const fields = Object.keys(current)
  return fields.length > 0 &&
    fields.every((field) => field in before && sameField(field, before[field], current[field], precision))
}

/**
 * The local writes a resolved conflict takes: the changed fields whose merged value
 * really differs, so a new spelling of the same instant or tags writes nothing. Empty when none.
 */
export const reservationWrites = (
  local: Reservation,
  resolution: { readonly merged: Reservation; readonly changedFields: ReadonlyArray<keyof Reservation & string> }
): ReservationPatch =>
  Object.fromEntries(
    resolution.changedFields
      .filter((field) => !sameField(field, local[field], resolution.merged[field]))
      .map((field) => [field, resolution.merged[field]])
  ) as ReservationPatch
