import { Schema } from "effect"
import { TimeZone } from "../../../domain/local-time.js"

/** Where production calls go (issue 18): a credential naming another URL must pass the egress policy. */
export const sevenroomsProductionUrls = {
  baseUrl: "https://www.sevenrooms.com/api-ext/2_4"
} as const

/**
 * SevenRooms API 2.4 (sevenrooms.md). The reference is gated: field names come from public
 * clients and exports [code] (github.com/uptilab2/tap-sevenrooms schemas/reservations.json), the
 * book form from SevenRooms' own request sample. Decoding is lenient, and the status vocabulary is
 * an open set read as strings.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/** Every answer: `{status, data, msg}`; an error may come with HTTP 200, so `status` is checked too. */
export const envelope = <A, I>(data: Schema.Schema<A, I>) =>
  Schema.Struct({ status: Schema.Number, data: Schema.optional(data), msg: maybe(Schema.String) })

export const SevenRoomsErrorBody = Schema.Struct({ status: maybe(Schema.Number), msg: maybe(Schema.String) })

export const SevenRoomsTag = Schema.Struct({
  tag: Schema.String,
  tag_display: maybe(Schema.String),
  group: maybe(Schema.String),
  group_display: maybe(Schema.String)
})

export const SevenRoomsReservation = Schema.Struct({
  id: Schema.String,
  reference_code: maybe(Schema.String),
  venue_id: maybe(Schema.String),
  venue_group_id: maybe(Schema.String),
  client_id: maybe(Schema.String),
  /** Partner reference: ours is `alloresto:<local id>`. */
  external_id: maybe(Schema.String),
  /** Venue-local service date and slot time. */
  date: Schema.String,
  arrival_time: maybe(Schema.String),
  time_slot_iso: maybe(Schema.String),
  duration: maybe(Schema.Int),
  max_guests: Schema.Int,
  arrived_guests: maybe(Schema.Int),
  status: maybe(Schema.String),
  status_simple: maybe(Schema.String),
  status_display: maybe(Schema.String),
  shift_persistent_id: maybe(Schema.String),
  shift_category: maybe(Schema.String),
  access_persistent_id: maybe(Schema.String),
  venue_seating_area_id: maybe(Schema.String),
  venue_seating_area_name: maybe(Schema.String),
  table_numbers: maybe(Schema.Array(Schema.String)),
  auto_assignments: maybe(
    Schema.Struct({ table_ids: maybe(Schema.Array(Schema.String)), table_codes: maybe(Schema.Array(Schema.String)) })
  ),
  first_name: maybe(Schema.String),
  last_name: maybe(Schema.String),
  email: maybe(Schema.String),
  phone_number: maybe(Schema.String),
  notes: maybe(Schema.String),
  client_requests: maybe(Schema.String),
  tags: maybe(Schema.Array(SevenRoomsTag)),
  is_vip: maybe(Schema.Boolean),
  created: maybe(Schema.String),
  updated: maybe(Schema.String),
  deleted: maybe(Schema.String)
})
export type SevenRoomsReservation = typeof SevenRoomsReservation.Type

/** Lists: `data.results[]` and an opaque `data.cursor`, absent on the last page. */
export const SevenRoomsReservationPage = Schema.Struct({
  results: Schema.Array(SevenRoomsReservation),
  cursor: maybe(Schema.String)
})

/** `POST /auth`: `{status: 200, data: {token, token_expiration_datetime}}`. */
export const SevenRoomsAuth = Schema.Struct({
  status: Schema.Number,
  data: Schema.Struct({
    token: Schema.String.pipe(Schema.nonEmptyString()),
    token_expiration_datetime: maybe(Schema.String)
  })
})

/** ASSUMPTION: availability by shift, each with its bookable times (venue-local HH:MM). */
export const SevenRoomsShiftAvailability = Schema.Struct({
  shift_persistent_id: maybe(Schema.String),
  shift_category: maybe(Schema.String),
  times: Schema.Array(Schema.Struct({
    time: Schema.String,
    is_available: Schema.Boolean,
    remaining_covers: maybe(Schema.Int),
    access_persistent_id: maybe(Schema.String)
  }))
})
export type SevenRoomsShiftAvailability = typeof SevenRoomsShiftAvailability.Type

/** ASSUMPTION (sevenrooms.md): the push the simulator sends, with the full reservation. */
export const SevenRoomsWebhookEnvelope = Schema.Struct({
  type: Schema.String,
  venue_id: Schema.String,
  data: SevenRoomsReservation
})
export const SevenRoomsWebhookVenue = Schema.Struct({ venue_id: Schema.String })

/** `PUT /venues/{venue_id}/book` and the concierge PUT: form fields. */
export type SevenRoomsBookingForm = Readonly<Record<string, string | number | undefined>>

const Url = Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }))

/** What an operator saves for a SevenRooms config. Credentials are bound to a venue group. */
export const SevenRoomsCredentials = Schema.Struct({
  clientId: Schema.String.pipe(Schema.nonEmptyString()),
  clientSecret: Schema.Redacted(Schema.String.pipe(Schema.nonEmptyString())),
  venueGroupId: Schema.String.pipe(Schema.nonEmptyString()),
  venueId: Schema.String.pipe(Schema.nonEmptyString()),
  /** Reads, updates and cancels go through the concierge routes. */
  conciergeId: Schema.String.pipe(Schema.nonEmptyString()),
  /** `date` and `arrival_time` are venue-local. */
  timezone: Schema.optionalWith(TimeZone, { default: () => "Europe/Paris" }),
  baseUrl: Schema.optionalWith(Url, { default: () => sevenroomsProductionUrls.baseUrl }),
  /** How far back a lost create is looked for when only our id is known (days of `updated_since`). */
  referenceLookbackDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 31)), { default: () => 2 })
})
export type SevenRoomsCredentials = typeof SevenRoomsCredentials.Type
