import { Either, Option } from "effect"
import type { AvailabilitySlot, ReservationSyncDTO } from "../../../domain/dtos.js"
import type { ReservationStatus } from "../../../domain/status.js"
import { composeComments, fullName, parseComments, present, splitName } from "../shared/guest-text.js"
import { fromLocalDateTime, toIsoInstant, toLocalDateTime } from "../shared/local-time.js"
import type { SevenRoomsBookingForm, SevenRoomsReservation, SevenRoomsShiftAvailability } from "./types.js"

// ---- status: an open set (sevenrooms.md); status_simple first, then the machine status ----

const normalize = (s: string | null | undefined) => (s ?? "").trim().toUpperCase().replace(/[\s-]+/g, "_")

const statusOfWord = (word: string): ReservationStatus | undefined => {
  switch (word) {
    case "CANCELED":
    case "CANCELLED":
      return "cancelled"
    case "NO_SHOW":
    case "NOSHOW":
      return "no_show"
    case "COMPLETE":
    case "COMPLETED":
    case "LEFT":
      return "completed"
    case "ARRIVED":
    case "PARTIALLY_ARRIVED":
    case "SEATED":
    case "PARTIALLY_SEATED":
      return "seated"
    case "BOOKED":
    case "CONFIRMED":
    case "LEFT_MESSAGE":
    case "NO_ANSWER":
    case "WRONG_NUMBER":
      return "confirmed"
    case "REQUEST":
    case "REQUESTED":
    case "PENDING":
      return "pending"
    default:
      return undefined
  }
}

/** Unknown values give `undefined`: the local status is kept. A deleted reservation is cancelled. */
export const reservationStatusOf = (
  r: Pick<SevenRoomsReservation, "status" | "status_simple" | "deleted">
): ReservationStatus | undefined =>
  r.deleted !== undefined && r.deleted !== null && r.deleted !== ""
    ? "cancelled"
    : statusOfWord(normalize(r.status_simple)) ?? statusOfWord(normalize(r.status))

// ---- our reference in external_id, prefixed so another partner's ids are never taken for ours ----

const PREFIX = "alloresto:"
export const externalIdOf = (localId: string) => `${PREFIX}${localId}`
export const referenceOf = (externalId: string | null | undefined): string | undefined =>
  externalId !== undefined && externalId !== null && externalId.startsWith(PREFIX)
    ? externalId.slice(PREFIX.length)
    : undefined

// ---- reservation → neutral ----

const nonEmpty = <A>(
  xs: ReadonlyArray<A> | null | undefined
) => (xs === undefined || xs === null || xs.length === 0 ? undefined : xs)

const union = (...lists: ReadonlyArray<ReadonlyArray<string> | undefined>) => {
  const first = new Map<string, string>()
  for (const x of lists.flatMap((l) => l ?? [])) {
    if (!first.has(x.trim().toLowerCase())) first.set(x.trim().toLowerCase(), x.trim())
  }
  return first.size === 0 ? undefined : [...first.values()]
}

/** ASSUMPTION: dietary and allergy tags sit in tag groups whose names say so. */
const tagsIn = (r: SevenRoomsReservation, group: RegExp) =>
  nonEmpty(
    (r.tags ?? []).filter((t) => group.test(`${t.group ?? ""} ${t.group_display ?? ""}`)).map((t) =>
      t.tag_display ?? t.tag
    )
  )

const hhmm = (
  t: string | null | undefined
) => (t === undefined || t === null ? undefined : /^(\d{1,2}):(\d{2})/.exec(t.trim()))

/** The slot as an instant: `time_slot_iso` when it carries an offset, else venue-local date + arrival time. */
const slotOf = (r: SevenRoomsReservation, zone: string): Option.Option<number> => {
  if (present(r.time_slot_iso) && /(Z|[+-]\d{2}:?\d{2})$/.test(r.time_slot_iso)) {
    return fromLocalDateTime(r.time_slot_iso, zone)
  }
  const m = hhmm(r.arrival_time)
  if (m === undefined || m === null) {
    return present(r.time_slot_iso)
      ? fromLocalDateTime(r.time_slot_iso, zone)
      : Option.none()
  }
  return fromLocalDateTime(`${r.date}T${m[1]!.padStart(2, "0")}:${m[2]}:00`, zone)
}

export const toReservation = (r: SevenRoomsReservation, zone: string): Either.Either<ReservationSyncDTO, string> => {
  const at = slotOf(r, zone)
  if (Option.isNone(at)) return Either.left("date and arrival_time do not make a time")
  const venueNotes = parseComments(r.notes)
  const guestNotes = parseComments(r.client_requests)
  // The guest's requests may already be copied into the venue notes by an earlier PUT of ours: lines once.
  const notes = [
    ...new Set(
      [venueNotes.notes, guestNotes.notes].filter(present).flatMap((s) => s.split(/\r?\n/)).map((l) => l.trim()).filter(
        (l) => l !== ""
      )
    )
  ].join("\n")
  return Either.right({
    customerName: fullName(r.first_name, r.last_name),
    customerPhone: r.phone_number?.trim() ?? "",
    customerEmail: present(r.email) ? r.email.trim() : undefined,
    partySize: r.max_guests,
    reservationTime: toIsoInstant(at.value),
    durationMin: r.duration ?? undefined,
    // A null link is SevenRooms saying the booking has none (issue 20, item 7).
    serviceExternalId: r.shift_persistent_id,
    diningRoomExternalId: r.venue_seating_area_id,
    tableExternalIds: nonEmpty(r.auto_assignments?.table_ids) ?? nonEmpty(r.table_numbers),
    offerExternalId: r.access_persistent_id,
    status: reservationStatusOf(r),
    notes: notes === "" ? undefined : notes,
    allergies: union(venueNotes.allergies, guestNotes.allergies, tagsIn(r, /allerg/i)),
    dietaryRestrictions: union(venueNotes.dietaryRestrictions, guestNotes.dietaryRestrictions, tagsIn(r, /diet/i)),
    occasion: guestNotes.occasion ?? venueNotes.occasion,
    externalReferenceId: referenceOf(r.external_id)
  })
}

// ---- neutral → form fields (venue-local date and time) ----

const localSlot = (
  iso: string,
  zone: string
): Either.Either<{ readonly date: string; readonly time: string }, string> => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return Either.left(`reservationTime ${iso} is not an ISO date-time`)
  const local = toLocalDateTime(ms, zone)
  return Either.right({ date: local.slice(0, 10), time: local.slice(11, 16) })
}

/**
 * The booking's fields as `PUT /venues/{id}/book` takes them: form-urlencoded, only names of
 * SevenRooms' own request sample (sevenrooms.md, "Checked against public sources"). The shift and
 * seating area are not written (no public write names them: the venue takes the shift from the
 * time, the area from the table), the status neither (cancel is a DELETE), and the form has one
 * `table`. The concierge PUT sends the same whole set, so a replacing PUT keeps what we do not change.
 */
export const toBookingForm = (dto: ReservationSyncDTO, zone: string): Either.Either<SevenRoomsBookingForm, string> =>
  Either.map(localSlot(dto.reservationTime, zone), ({ date, time }) => {
    const { firstName, lastName } = splitName(dto.customerName)
    const notes = composeComments(dto)
    return {
      date,
      time,
      party_size: dto.partySize,
      first_name: firstName,
      last_name: lastName,
      email: dto.customerEmail,
      phone: dto.customerPhone === "" ? undefined : dto.customerPhone,
      notes: notes === "" ? undefined : notes,
      duration: dto.durationMin,
      external_id: dto.externalReferenceId === undefined ? undefined : externalIdOf(dto.externalReferenceId),
      access_persistent_id: dto.offerExternalId ?? undefined,
      table: dto.tableExternalIds?.[0]
    }
  })

/** The current booking overlaid with the DTO: what the DTO leaves undefined keeps SevenRooms' value. */
export const toUpdateForm = (
  current: SevenRoomsReservation,
  dto: ReservationSyncDTO,
  zone: string
): Either.Either<SevenRoomsBookingForm, string> =>
  Either.flatMap(toReservation(current, zone), (was) =>
    toBookingForm({
      ...dto,
      customerName: present(dto.customerName) ? dto.customerName : was.customerName,
      customerPhone: present(dto.customerPhone) ? dto.customerPhone : was.customerPhone,
      customerEmail: dto.customerEmail ?? was.customerEmail,
      durationMin: dto.durationMin ?? was.durationMin,
      serviceExternalId: dto.serviceExternalId ?? was.serviceExternalId,
      diningRoomExternalId: dto.diningRoomExternalId ?? was.diningRoomExternalId,
      tableExternalIds: dto.tableExternalIds ?? was.tableExternalIds,
      offerExternalId: dto.offerExternalId ?? was.offerExternalId,
      notes: dto.notes ?? was.notes,
      allergies: dto.allergies ?? was.allergies,
      dietaryRestrictions: dto.dietaryRestrictions ?? was.dietaryRestrictions,
      occasion: dto.occasion ?? was.occasion,
      externalReferenceId: dto.externalReferenceId ?? was.externalReferenceId
    }, zone))

// ---- availability ----

export const toAvailabilitySlots = (
  shifts: ReadonlyArray<SevenRoomsShiftAvailability>,
  date: string,
  zone: string,
  partySize: number
) =>
  shifts.flatMap((shift) =>
    shift.times.flatMap((t): ReadonlyArray<AvailabilitySlot> => {
      const m = hhmm(t.time)
      if (!t.is_available || m === undefined || m === null) return []
      return Option.toArray(
        Option.map(fromLocalDateTime(`${date}T${m[1]!.padStart(2, "0")}:${m[2]}:00`, zone), (ms) => ({
          time: toIsoInstant(ms),
          remainingCovers: t.remaining_covers ?? partySize,
          serviceExternalId: shift.shift_persistent_id ?? undefined
        }))
      )
    })
  )
