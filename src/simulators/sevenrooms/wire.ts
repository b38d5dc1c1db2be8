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
  readonly auto_assignments: {
    readonly table_ids: ReadonlyArray<string>
    readonly table_codes: ReadonlyArray<string>
    readonly is_reassigned: boolean
  }
  readonly first_name: string | null
  readonly last_name: string | null
  readonly email: string | null
  readonly phone_number: string | null
  readonly notes: string | null
  readonly client_requests: string | null
  readonly tags: ReadonlyArray<
    { readonly tag: string; readonly tag_display: string; readonly group: string; readonly group_display: string }
  >
  readonly is_vip: boolean
  readonly created: string
  readonly updated: string
  readonly deleted: string | null
}

/** What a book or PUT form says, checked. Shift, seating area and status are set by venue staff only. */
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
  /** Table ids or numbers (the public book sample's `table` is a free string). */
  readonly tables: ReadonlyArray<string> | null
  readonly bypassDuplicateCheck: boolean
}

/**
 * Every field of the book form in SevenRooms' own request sample for `PUT /venues/{venue_id}/book`
 * (api-docs.sevenrooms.com, copied in github.com/nchimakurty/Wynn-Local Sample.py), plus
 * `prepayment`/`prepayment_total` seen in public PHP and Ruby clients. `shift_persistent_id`,
 * `venue_seating_area_id`, `table_ids` and `status` appear on reservations read back, never in a
 * public write. ASSUMPTION: the gated API refuses names outside this set; the simulator does, so
 * a connector relying on an unseen name fails here rather than in production.
 */
export const bookFormFields: ReadonlySet<string> = new Set([
  "date",
  "time",
  "party_size",
  "first_name",
  "last_name",
  "phone",
  "reservation_id",
  "reservation_hold_id",
  "email",
  "notes",
  "internal_notes",
  "duration",
  "table",
  "tags",
  "salutation",
  "birthday",
  "anniversary",
  "address",
  "address2",
  "city",
  "state",
  "country",
  "postal_code",
  "external_id",
  "external_user_id",
  "send_client_email",
  "send_client_sms",
  "loyalty_id",
  "loyalty_tier",
  "loyalty_rank",
  "is_walkin",
  "client_id",
  "access_persistent_id",
  "reservation_sms_opt_in",
  "send_reminder_email",
  "send_reminder_sms",
  "venue_group_marketing_opt_in",
  "venue_marketing_opt_in",
  "upgrade_inventories",
  "bypass_availability",
  "bypass_required_contact_fields",
  "bypass_duplicate_reservation_check",
  "bypass_editable_cutoff",
  "mf_ratio_male",
  "mf_ratio_female",
  "add_client_tags",
  "remove_client_tags",
  "double_bookings_only_client_id_check",
  "payment_by_paylink",
  "paylink_cancel_time",
  "paylink_note",
  "paylink_email",
  "prepayment",
  "prepayment_total"
])

const bad = (msg: string) => Either.left(rejection(400, msg))
const text = (f: URLSearchParams, name: string) => {
  const v = f.get(name)
  return v === null || v.trim() === "" ? null : v.trim()
}

/** The form as the API reads it: form-urlencoded only (the public sample's Content-Type), known names only. */
export const readBookingForm = (
  contentType: string,
  body: string
): Either.Either<BookingFields, SevenRoomsRejected> => {
  if (!contentType.includes("application/x-www-form-urlencoded")) return bad("Expected a form-urlencoded body")
  const f = new URLSearchParams(body)
  const unknown = [...new Set(f.keys())].filter((name) => !bookFormFields.has(name))
  if (unknown.length > 0) return bad(`Unknown field: ${unknown.join(", ")}`)
  return readFields(f)
}

/** Staff in SevenRooms may also set the shift, the seating area, several tables and the status. */
export const readStaffForm = (f: URLSearchParams): Either.Either<BookingFields, SevenRoomsRejected> =>
  Either.flatMap(readFields(f), (fields) => {
    const status = text(f, "status")
    if (status !== null && statusLabels[status] === undefined) return bad("Invalid status")
    const tables = text(f, "table_ids")
    return Either.right({
      ...fields,
      status,
      shiftPersistentId: text(f, "shift_persistent_id"),
      seatingAreaId: text(f, "venue_seating_area_id"),
      tables: tables === null ? fields.tables : tables.split(",").map((t) => t.trim()).filter((t) => t !== "")
    })
  })

const readFields = (f: URLSearchParams): Either.Either<BookingFields, SevenRoomsRejected> => {
  const date = text(f, "date") ?? ""
  const time = text(f, "time") ?? ""
  const partySize = Number(text(f, "party_size"))
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return bad("Invalid date")
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return bad("Invalid time")
  if (!Number.isInteger(partySize) || partySize < 1 || partySize > 100) return bad("Invalid party size")
  const [firstName, lastName, email] = [text(f, "first_name"), text(f, "last_name"), text(f, "email")]
  if (firstName === null && lastName === null) return bad("A guest name is required")
  if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) return bad("Invalid email")
  const duration = text(f, "duration")
  if (duration !== null && !/^\d+$/.test(duration)) return bad("Invalid duration")
  const table = text(f, "table")
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
    status: null,
    shiftPersistentId: null,
    accessPersistentId: text(f, "access_persistent_id"),
    seatingAreaId: null,
    tables: table === null ? null : [table],
    bypassDuplicateCheck: ["true", "1"].includes(text(f, "bypass_duplicate_reservation_check") ?? "")
  })
}
