import { Schema } from "effect"
import { TimeZone } from "../../../domain/local-time.js"

/** Where production calls go (issue 18): a credential naming another URL must pass the egress policy. */
export const zenchefProductionUrls = {
  baseUrl: "https://api.formitable.com/api/v1.2"
} as const

/**
 * Zenchef's booking API is the Formitable REST API v1.2. These Schemas are its wire
 * format. Fields are lenient (optional, nullable) because Formitable omits and nulls freely;
 * the design document's names (service_uid, section_uid, tables[].uid, offer_uid) are accepted
 * beside the v1.2 ones.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/** Formitable ids are ints, but a string id (design-document naming) is kept as is. */
const WireId = Schema.Union(Schema.Int, Schema.String)

/** Titles come as one string or per language ({ nl, en }). */
export const LocalizedText = Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.String }))
export type LocalizedText = typeof LocalizedText.Type

export const ZenchefBookingStatus = Schema.Literal("CREATED", "ACCEPTED", "CANCELLED", "FAILED", "EXPIRED")
export type ZenchefBookingStatus = typeof ZenchefBookingStatus.Type

export const ZenchefBookingTable = Schema.Struct({
  id: maybe(WireId),
  uid: maybe(Schema.String),
  name: maybe(Schema.String),
  minPeople: maybe(Schema.Int),
  maxPeople: maybe(Schema.Int),
  areaId: maybe(WireId)
})

export const ZenchefTicket = Schema.Struct({
  uid: maybe(Schema.String),
  title: maybe(LocalizedText),
  quantity: maybe(Schema.Int)
})

/** A shift is identified by its window (minutes from midnight) and product: there is no shift id. */
export const ZenchefShift = Schema.Struct({
  startTime: Schema.Int,
  endTime: Schema.Int,
  productUid: maybe(Schema.String),
  name: maybe(Schema.String)
})
export type ZenchefShift = typeof ZenchefShift.Type

export const ZenchefBooking = Schema.Struct({
  uid: Schema.String,
  status: ZenchefBookingStatus,
  /** Restaurant-local, without offset. */
  bookingDateTime: Schema.String,
  bookingDuration: maybe(Schema.Int),
  numberOfPeople: Schema.Int,
  /** BookingViewModel has no check-out time and no last-modified time: a check-out is not readable. */
  checkInDateTime: maybe(Schema.String),
  created: maybe(Schema.String),
  firstName: maybe(Schema.String),
  lastName: maybe(Schema.String),
  companyName: maybe(Schema.String),
  title: maybe(Schema.String),
  color: maybe(Schema.String),
  newsletter: maybe(Schema.Boolean),
  telephone: maybe(Schema.String),
  email: maybe(Schema.String),
  comments: maybe(Schema.String),
  culture: maybe(Schema.String),
  /** Read-only: what Formitable stores for the channel; a client cannot set it. */
  source: maybe(Schema.String),
  externalReferenceId: maybe(Schema.String),
  tables: maybe(Schema.Array(ZenchefBookingTable)),
  tickets: maybe(Schema.Array(ZenchefTicket)),
  areaId: maybe(WireId),
  productUid: maybe(Schema.String),
  shift: maybe(ZenchefShift),
  service_uid: maybe(Schema.String),
  section_uid: maybe(Schema.String),
  offer_uid: maybe(Schema.String)
})
export type ZenchefBooking = typeof ZenchefBooking.Type

/** POST /{restaurantUid}/booking: BookingCreateViewModel, which has no `source`. */
export interface ZenchefBookingCreate {
  readonly bookingDateTime: string
  readonly bookingDuration: number | null
  readonly numberOfPeople: number
  readonly culture: string
  readonly company: boolean
  readonly tables?: ReadonlyArray<number>
  readonly productUid?: string
  readonly externalReferenceId?: string
  readonly firstName?: string
  readonly lastName?: string
  readonly telephone?: string
  readonly email?: string
  readonly comments?: string
}

/** PUT /{restaurantUid}/booking/{uid}: always sent whole, which is right whether PUT merges or replaces. */
export interface ZenchefBookingUpdate {
  readonly bookingDateTime: string
  readonly bookingDuration: number | null
  readonly numberOfPeople: number
  readonly culture: string
  readonly company: boolean
  readonly tables: ReadonlyArray<number>
  /** Omitted only when neither side has a value; kept as they are so a replacing PUT loses nothing. */
  readonly title?: string
  readonly color?: string
  readonly companyName?: string
  readonly newsletter?: boolean
  readonly firstName?: string
  readonly lastName?: string
  readonly telephone?: string
  readonly email?: string
  readonly comments?: string
}

/** The public client names the slot `time`; some answers use `dateTime`. */
export const ZenchefBookingTime = Schema.Struct({
  time: maybe(Schema.String),
  dateTime: maybe(Schema.String),
  status: Schema.String,
  maxDuration: maybe(Schema.Int),
  area: maybe(Schema.String),
  spotsOpen: maybe(Schema.Int),
  productUid: maybe(Schema.String)
})
export type ZenchefBookingTime = typeof ZenchefBookingTime.Type

export const ZenchefArea = Schema.Struct({
  id: WireId,
  name: maybe(Schema.String),
  displayName: maybe(LocalizedText),
  capacity: maybe(Schema.Int)
})
export type ZenchefArea = typeof ZenchefArea.Type

export const ZenchefTable = Schema.Struct({
  id: WireId,
  name: maybe(Schema.String),
  minPeople: maybe(Schema.Int),
  maxPeople: maybe(Schema.Int),
  areaId: maybe(WireId)
})
export type ZenchefTable = typeof ZenchefTable.Type

export const ZenchefTicketProduct = Schema.Struct({
  uid: Schema.String,
  title: maybe(LocalizedText),
  description: maybe(LocalizedText)
})
export type ZenchefTicketProduct = typeof ZenchefTicketProduct.Type

export const ZenchefRestaurant = Schema.Struct({ uid: Schema.String })

/** ASSUMPTION (zenchef.md): the webhook envelope the simulator sends; Formitable publishes none. */
export const ZenchefWebhookEnvelope = Schema.Struct({
  event: Schema.String,
  eventId: maybe(Schema.String),
  occurredAt: maybe(Schema.String),
  restaurantUid: Schema.String,
  booking: ZenchefBooking
})
export type ZenchefWebhookEnvelope = typeof ZenchefWebhookEnvelope.Type

export const ZenchefWebhookRestaurant = Schema.Struct({ restaurantUid: Schema.String })

/** What an operator saves for a Zenchef config, checked before it is encrypted. */
export const ZenchefCredentials = Schema.Struct({
  apiKey: Schema.String.pipe(Schema.nonEmptyString()),
  restaurantUid: Schema.String.pipe(
    Schema.pattern(/^[0-9a-fA-F]{8}$/, { message: () => "must be 8 hexadecimal characters" })
  ),
  timezone: Schema.optionalWith(TimeZone, { default: () => "Europe/Paris" }),
  baseUrl: Schema.optionalWith(
    Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" })),
    { default: () => zenchefProductionUrls.baseUrl }
  ),
  webhookSigning: Schema.optionalWith(Schema.Literal("standard", "url-token"), { default: () => "standard" as const }),
  /** Guest-facing language of bookings we create. */
  culture: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[a-z]{2}$/)), { default: () => "fr" })
})
export type ZenchefCredentials = typeof ZenchefCredentials.Type
