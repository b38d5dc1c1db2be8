import { Either } from "effect"
import { randomBytes } from "node:crypto"
import { rejection, type SevenRoomsRejected } from "./errors.js"
import { opaqueId, type VenueConfig } from "./seed.js"
import { type BookingFields, type Reservation, statusLabels } from "./wire.js"

/** One venue's book: pure, so each change is applied atomically by the store. */
export interface Venue {
  readonly config: VenueConfig
  readonly reservations: ReadonlyMap<string, Reservation>
}

export type EventType = "reservation.created" | "reservation.updated" | "reservation.cancelled"

export interface Change {
  readonly venue: Venue
  readonly reservation: Reservation
  readonly event: EventType | null
}

type Result = Either.Either<Change, SevenRoomsRejected>

const active = (r: Reservation) => r.status !== "CANCELED" && r.status !== "NO_SHOW" && r.deleted === null

const put = (v: Venue, reservation: Reservation, event: EventType | null): Change => ({
  venue: { ...v, reservations: new Map(v.reservations).set(reservation.id, reservation) },
  reservation,
  event
})

export const find = (v: Venue, id: string): Either.Either<Reservation, SevenRoomsRejected> => {
  const found = v.reservations.get(id)
  return found === undefined ? Either.left(rejection(404, "Reservation not found")) : Either.right(found)
}

const withStatus = (status: string) => {
  const [simple, display] = statusLabels[status] ?? [status, status]
  return { status, status_simple: simple, status_display: display }
}

/** Shift, access rule, seating area and tables: named ones must exist; a shift is found from the time otherwise. */
const placement = (
  v: Venue,
  f: BookingFields
): Either.Either<
  Pick<
    Reservation,
    | "shift_persistent_id"
    | "shift_category"
    | "access_persistent_id"
    | "venue_seating_area_id"
    | "venue_seating_area_name"
    | "table_numbers"
    | "auto_assignments"
  >,
  SevenRoomsRejected
> => {
  const shift = f.shiftPersistentId === null
    ? v.config.shifts.find((s) => s.times.includes(f.time))
    : v.config.shifts.find((s) => s.persistentId === f.shiftPersistentId)
  if (f.shiftPersistentId !== null && shift === undefined) return Either.left(rejection(400, "Invalid shift"))
  const named = f.seatingAreaId === null ? undefined : v.config.seatingAreas.find((a) => a.id === f.seatingAreaId)
  if (f.seatingAreaId !== null && named === undefined) return Either.left(rejection(400, "Invalid seating area"))
  // ASSUMPTION: the public sample's `table` is a free string; an id or a number shown on the floor plan is taken.
  const tables = (f.tables ?? []).map((ref) =>
    v.config.seatingAreas.flatMap((a) => a.tables.map((t) => ({ ...t, area: a }))).find((t) =>
      t.id === ref || t.number === ref
    )
  )
  if (tables.some((t) => t === undefined)) return Either.left(rejection(400, "Invalid table"))
  const found = tables.flatMap((t) => (t === undefined ? [] : [t]))
  const area = named ?? found[0]?.area
  return Either.right({
    shift_persistent_id: shift?.persistentId ?? null,
    shift_category: shift?.category ?? null,
    access_persistent_id: f.accessPersistentId,
    venue_seating_area_id: area?.id ?? null,
    venue_seating_area_name: area?.name ?? null,
    table_numbers: found.map((t) => t.number),
    auto_assignments: {
      table_ids: found.map((t) => t.id),
      table_codes: found.map((t) => t.number),
      is_reassigned: false
    }
  })
}

/** The guest's contact and the booking's details, replaced whole: what the form omits is cleared (a replacing PUT). */
const details = (v: Venue, f: BookingFields) => ({
  date: f.date,
  arrival_time: f.time,
  time_slot_iso: `${f.date}T${f.time}:00`,
  duration: f.duration ?? v.config.defaultDuration,
  max_guests: f.partySize,
  first_name: f.firstName,
  last_name: f.lastName,
  email: f.email,
  phone_number: f.phone,
  notes: f.notes
})

/** The same guest (e-mail or phone) at the same date and time: 409 unless the bypass flag is set. */
const duplicate = (v: Venue, f: BookingFields, except?: string) =>
  !f.bypassDuplicateCheck &&
  [...v.reservations.values()].some((r) =>
    r.id !== except && active(r) && r.date === f.date && r.arrival_time === f.time &&
    ((f.email !== null && r.email === f.email) || (f.phone !== null && r.phone_number === f.phone))
  )

export const book = (v: Venue, f: BookingFields, nowIso: string, clientId: string): Result =>
  Either.flatMap(placement(v, f), (placed) => {
    if (duplicate(v, f)) return Either.left(rejection(409, "Duplicate reservation"))
    const reservation: Reservation = {
      id: opaqueId("Reservation"),
      reference_code: randomBytes(4).toString("hex").toUpperCase().slice(0, 6),
      venue_id: v.config.id,
      venue_group_id: v.config.venueGroupId,
      client_id: clientId,
      external_id: f.externalId,
      ...details(v, f),
      arrived_guests: 0,
      ...withStatus(f.status ?? "BOOKED"),
      ...placed,
      client_requests: null,
      tags: [],
      is_vip: false,
      created: nowIso,
      updated: nowIso,
      deleted: null
    }
    return Either.right(put(v, reservation, "reservation.created"))
  })

/** The concierge PUT: a whole booking. `external_id` and `status` stay when the form leaves them out. */
export const replace = (v: Venue, id: string, f: BookingFields, nowIso: string): Result =>
  Either.flatMap(find(v, id), (current) =>
    Either.flatMap(placement(v, f), (placed) => {
      if (current.status === "CANCELED") return Either.left(rejection(400, "Reservation is canceled"))
      if (duplicate(v, f, id)) return Either.left(rejection(409, "Duplicate reservation"))
      return Either.right(put(v, {
        ...current,
        ...details(v, f),
        ...placed,
        external_id: f.externalId ?? current.external_id,
        ...(f.status === null ? {} : withStatus(f.status)),
        updated: nowIso
      }, "reservation.updated"))
    }))

/** DELETE: marked canceled, still readable; a second DELETE changes nothing and succeeds. */
export const cancel = (v: Venue, id: string, nowIso: string): Result =>
  Either.map(find(v, id), (current) =>
    current.status === "CANCELED"
      ? { venue: v, reservation: current, event: null }
      : put(v, { ...current, ...withStatus("CANCELED"), updated: nowIso }, "reservation.cancelled"))

export interface StaffChange {
  readonly status?: string | undefined
  readonly partySize?: number | undefined
  readonly clientRequests?: string | null | undefined
  readonly tags?: Reservation["tags"] | undefined
}

export const staffChange = (v: Venue, id: string, change: StaffChange, nowIso: string): Result =>
  Either.flatMap(find(v, id), (current) => {
    if (change.status !== undefined && statusLabels[change.status] === undefined) {
      return Either.left(rejection(400, "Invalid status"))
    }
    return Either.right(put(v, {
      ...current,
      ...(change.status === undefined ? {} : withStatus(change.status)),
      ...(change.partySize === undefined ? {} : { max_guests: change.partySize }),
      ...(change.clientRequests === undefined ? {} : { client_requests: change.clientRequests }),
      ...(change.tags === undefined ? {} : { tags: change.tags }),
      updated: nowIso
    }, change.status === "CANCELED" ? "reservation.cancelled" : "reservation.updated"))
  })

export const coversTaken = (v: Venue, date: string, time: string) =>
  [...v.reservations.values()].filter((r) => active(r) && r.date === date && r.arrival_time === time).reduce(
    (n, r) => n + r.max_guests,
    0
  )
