import { Either } from "effect"
import { rejection, type SevenRoomsRejected } from "./errors.js"

/*
 * The simulator's own reading of SevenRooms' wire format (sevenrooms.md): field names from public
 * clients, write formats ASSUMED. It shares nothing with the connector.
 */

/** The machine status and the simplified bucket and label SevenRooms shows beside it (ASSUMPTION on the buckets). */
export const statusLabels: Readonly<Record<string, readonly [string, string]>> = {
  BOOKED: ["Booked", "Booked"],
  CONFIRMED: ["Confirmed", "Confirmed"],
  LEFT_MESSAGE: ["Booked", "Left Message"],
  NO_ANSWER: ["Booked", "No Answer"],
  ARRIVED: ["Arrived", "Arrived"],
  PARTIALLY_ARRIVED: ["Arrived", "Partially Arrived"],
  SEATED: ["Seated", "Seated"],
  PARTIALLY_SEATED: ["Seated", "Partially Seated"],
  COMPLETE: ["Left", "Completed"],
  NO_SHOW: ["No Show", "No Show"],
  CANCELED: ["Canceled", "Canceled"]
}

export interface Reservation {
  readonly id: string
  readonly reference_code: string
  readonly venue_id: string
  readonly venue_group_id: string
  readonly client_id: string
  readonly external_id: string | null
  readonly date: string
  readonly arrival_time: string
  readonly time_slot_iso: string
  readonly duration: number
  readonly max_guests: number
  readonly arrived_guests: number
  readonly status: string
  readonly status_simple: string
  readonly status_display: string
  readonly shift_persistent_id: string | null
  readonly shift_category: string | null
  readonly access_persistent_id: string | null
  readonly venue_seating_area_id: string | null
  readonly venue_seating_area_name: string | null
  readonly table_numbers: ReadonlyArray<string>
  readonly auto_assignments: { readonly table_ids: ReadonlyArray<string>; readonly table_codes: ReadonlyArray<string>; readonly is_reassigned: boolean }
  readonly first_name: string | null
  readonly last_name: string | null
  readonly email: string | null
  readonly phone_number: string | null
  readonly notes: string | null
  readonly client_requests: string | null
  readonly tags: ReadonlyArray<{ readonly tag: string; readonly tag_display: string; readonly group: string; readonly group_display: string }>
  readonly is_vip: boolean
  readonly created: string
  readonly updated: string
  readonly deleted: string | null
}

/** What a book or PUT form says, checked. */
export interface BookingFields {
  readonly date: string
  readonly time: string
  readonly partySize: number
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly notes: string | null
  readonly duration: number | null
  readonly externalId: string | null
  readonly status: string | null
  readonly shiftPersistentId: string | null
  readonly accessPersistentId: string | null
  readonly seatingAreaId: string | null
  readonly tableIds: ReadonlyArray<string> | null
  readonly bypassDuplicateCheck: boolean
}

const bad = (msg: string) => Either.left(rejection(400, msg))
const text = (f: URLSearchParams, name: string) => {
  const v = f.get(name)
  return v === null || v.trim() === "" ? null : v.trim()
}

/** Book and PUT take `application/x-www-form-urlencoded`; JSON is refused (ASSUMPTION). */
export const readBookingForm = (contentType: string, body: string): Either.Either<BookingFields, SevenRoomsRejected> => {
  if (!contentType.includes("application/x-www-form-urlencoded")) return bad("Expected a form-urlencoded body")
  const f = new URLSearchParams(body)
  const date = text(f, "date") ?? ""
  const time = text(f, "time") ?? ""
  const partySize = Number(text(f, "party_size"))
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return bad("Invalid date")
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return bad("Invalid time")
  if (!Number.isInteger(partySize) || partySize < 1 || partySize > 100) return bad("Invalid party size")
  const [firstName, lastName, email] = [text(f, "first_name"), text(f, "last_name"), text(f, "email")]
  if (firstName === null && lastName === null) return bad("A guest name is required")
  if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) return bad("Invalid email")
  const status = text(f, "status")
  if (status !== null && statusLabels[status] === undefined) return bad("Invalid status")
  const duration = text(f, "duration")
  if (duration !== null && !/^\d+$/.test(duration)) return bad("Invalid duration")
  const tables = text(f, "table_ids")
  return Either.right({
    date,
    time,
    partySize,
    firstName,
    lastName,
    email,
    phone: text(f, "phone"),
    notes: text(f, "notes"),
    duration: duration === null ? null : Number(duration),
    externalId: text(f, "external_id"),
    status,
    shiftPersistentId: text(f, "shift_persistent_id"),
    accessPersistentId: text(f, "access_persistent_id"),
    seatingAreaId: text(f, "venue_seating_area_id"),
    tableIds: tables === null ? null : tables.split(",").map((t) => t.trim()).filter((t) => t !== ""),
    bypassDuplicateCheck: ["true", "1"].includes(text(f, "bypass_duplicate_reservation_check") ?? "")
  })
}
