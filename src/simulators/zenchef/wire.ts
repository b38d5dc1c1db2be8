import { Schema } from "effect"
import { isLocalDate, isLocalDateTime } from "./local-time.js"

/*
 * The simulator's own copy of the Formitable v1.2 wire format. It deliberately shares nothing
 * with the connector's mapper, so a mistake on one side is caught by the other.
 */

export const LocalDateTime = Schema.String.pipe(
  Schema.filter(isLocalDateTime, {
    message: () => "must be a restaurant-local date-time without offset, e.g. 2025-06-07T19:30:00"
  })
)
export const LocalDate = Schema.String.pipe(Schema.filter(isLocalDate, { message: () => "must be a date yyyy-mm-dd" }))

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

export const Title = Schema.Literal("MALE", "FEMALE", "FAMILY", "NONE")
export const BookingStatus = Schema.Literal("CREATED", "ACCEPTED", "CANCELLED", "FAILED", "EXPIRED")
export type BookingStatus = typeof BookingStatus.Type
export const Color = Schema.Literal("#3edca8", "#00d0f1", "#b58dff", "#ff8da6", "#ff3800", "#ffd100")
const Culture = Schema.String.pipe(
  Schema.pattern(/^[a-z]{2}$/, { message: () => "must be a 2-letter ISO language code" })
)
const People = Schema.Int.pipe(Schema.between(1, 500))
const Minutes = Schema.Int.pipe(Schema.between(1, 24 * 60))

export const Area = Schema.Struct({
  id: Schema.Int,
  posId: nullable(Schema.String),
  name: Schema.String,
  displayName: Schema.Struct({ en: Schema.String, nl: Schema.String }),
  priority: Schema.optionalWith(Schema.Int, { default: () => 0 })
})
export type Area = typeof Area.Type

export const Table = Schema.Struct({
  id: Schema.Int,
  posId: nullable(Schema.String),
  name: Schema.String,
  minPeople: People,
  maxPeople: People,
  areaId: Schema.Int,
  priority: Schema.optionalWith(Schema.Int, { default: () => 0 })
})
export type Table = typeof Table.Type

export const TicketProduct = Schema.Struct({
  uid: Schema.String,
  title: Schema.String,
  description: nullable(Schema.String),
  price: nullable(Schema.Number),
  imageUrl: nullable(Schema.String),
  refundPolicy: nullable(Schema.String),
  posId: nullable(Schema.String)
})
export type TicketProduct = typeof TicketProduct.Type

/** Opening window in minutes from midnight; there is no shift id in v1.2. */
export const Shift = Schema.Struct({
  startTime: Schema.Int.pipe(Schema.between(0, 24 * 60)),
  endTime: Schema.Int.pipe(Schema.between(0, 24 * 60)),
  productUid: nullable(Schema.String)
})
export type Shift = typeof Shift.Type

export const BookingTable = Schema.Struct({
  id: Schema.Int,
  posId: Schema.NullOr(Schema.String),
  name: Schema.String,
  minPeople: Schema.Int,
  maxPeople: Schema.Int,
  areaId: Schema.Int
})
export type BookingTable = typeof BookingTable.Type

export const Ticket = Schema.Struct({
  uid: Schema.String,
  title: Schema.String,
  quantity: Schema.Int,
  amount: Schema.Number,
  fullPrice: Schema.Number,
  imageUrl: Schema.NullOr(Schema.String),
  refundPolicy: Schema.NullOr(Schema.String),
  posId: Schema.NullOr(Schema.String)
})
export type Ticket = typeof Ticket.Type

const contactFields = {
  title: Schema.optional(Schema.NullOr(Title)),
  firstName: Schema.optional(Schema.NullOr(Schema.String)),
  lastName: Schema.optional(Schema.NullOr(Schema.String)),
  telephone: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.optional(
    Schema.NullOr(Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+$/, {
      message: () => "is not a valid e-mail address"
    })))
  ),
  companyName: Schema.optional(Schema.NullOr(Schema.String)),
  comments: Schema.optional(Schema.NullOr(Schema.String)),
  newsletter: Schema.optional(Schema.NullOr(Schema.Boolean)),
  color: Schema.optional(Schema.NullOr(Color))
}

/**
 * BookingCreateViewModel (github.com/mplus-software/formitable-api-client docs/Model). `source` is
 * not in it: it is read-only on a Booking. ASP.NET Core model binding ignores JSON members the
 * model lacks, so a `source` sent on create is dropped, not refused.
 */
export const BookingCreate = Schema.Struct({
  bookingDateTime: LocalDateTime,
  // Required by the spec but nullable; a missing property deserializes to null in ASP.NET too.
  bookingDuration: Schema.optional(Schema.NullOr(Minutes)),
  numberOfPeople: People,
  culture: Culture,
  company: Schema.Boolean,
  tables: Schema.optional(Schema.NullOr(Schema.Array(Schema.Int))),
  forceTablePlacement: Schema.optional(Schema.NullOr(Schema.Boolean)),
  walkIn: Schema.optional(Schema.NullOr(Schema.Boolean)),
  posId: Schema.optional(Schema.NullOr(Schema.String)),
  productUid: Schema.optional(Schema.NullOr(Schema.String)),
  externalReferenceId: Schema.optional(Schema.NullOr(Schema.String)),
  ...contactFields
})
export type BookingCreate = typeof BookingCreate.Type

/** A booking made in Zenchef itself or through another channel, which names its own `source`. */
export const PlatformBookingCreate = Schema.Struct({
  ...BookingCreate.fields,
  source: Schema.optional(Schema.NullOr(Schema.String))
})
export type PlatformBookingCreate = typeof PlatformBookingCreate.Type

export const BookingUpdate = Schema.Struct({
  bookingDateTime: Schema.optional(Schema.NullOr(LocalDateTime)),
  bookingDuration: Schema.optional(Schema.NullOr(Minutes)),
  numberOfPeople: Schema.optional(Schema.NullOr(People)),
  culture: Schema.optional(Schema.NullOr(Culture)),
  company: Schema.optional(Schema.NullOr(Schema.Boolean)),
  tables: Schema.optional(Schema.NullOr(Schema.Array(Schema.Int))),
  forceTablePlacement: Schema.optional(Schema.NullOr(Schema.Boolean)),
  ...contactFields
})
export type BookingUpdate = typeof BookingUpdate.Type

/**
 * BookingViewModel (formitable-api-client docs/Model/BookingViewModel.md): `checkInDateTime` but no
 * check-out time and no last-modified time; a check-out leaves no trace a client can read.
 */
export const Booking = Schema.Struct({
  uid: Schema.String,
  created: Schema.String,
  bookingDateTime: Schema.String,
  bookingDuration: Schema.Int,
  checkInDateTime: Schema.NullOr(Schema.String),
  numberOfPeople: Schema.Int,
  title: Title,
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  telephone: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  companyName: Schema.NullOr(Schema.String),
  company: Schema.Boolean,
  newsletter: Schema.Boolean,
  comments: Schema.NullOr(Schema.String),
  culture: Schema.String,
  status: BookingStatus,
  optionExpires: Schema.NullOr(Schema.String),
  color: Schema.NullOr(Color),
  source: Schema.NullOr(Schema.String),
  externalReferenceId: Schema.NullOr(Schema.String),
  walkIn: Schema.Boolean,
  posId: Schema.NullOr(Schema.String),
  prePaidAmount: Schema.Number,
  payments: Schema.Array(Schema.Struct({ amount: Schema.Number, paymentMethod: Schema.String, paid: Schema.Boolean })),
  tickets: Schema.Array(Ticket),
  tables: Schema.Array(BookingTable)
})
export type Booking = typeof Booking.Type

export const BookingTimeStatus = Schema.Literal("AVAILABLE", "SHORT", "UNAVAILABLE", "CLOSED", "PASSED")
export type BookingTimeStatus = typeof BookingTimeStatus.Type

export interface BookingTime {
  readonly dateTime: string
  readonly status: BookingTimeStatus
  /** Minutes a booking starting here may last (the default duration when AVAILABLE). */
  readonly duration: number
  readonly productUid: string | null
  readonly spotsOpen: number
}
