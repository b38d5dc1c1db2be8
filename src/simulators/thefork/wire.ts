import { Schema } from "effect"

/*
 * The simulator's own copy of TheFork's B2B wire format (thefork.md and the OpenAPI reconstructed
 * from docs.thefork.io). It shares nothing with the connector, so a mistake on one side is caught
 * by the other. Request bodies are strict (`additionalProperties: false` in the spec).
 */

const isInstant = (s: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))
export const Instant = Schema.String.pipe(
  Schema.filter(isInstant, { message: () => "must be an ISO 8601 date-time with offset" })
)
const PartySize = Schema.Int.pipe(Schema.greaterThan(0))

export const civilities = [
  "mr",
  "mrs",
  "ms",
  "mr_and_mrs",
  "mx",
  "doctor",
  "professor",
  "counsel",
  "ambassador",
  "madam_ambassador",
  "president",
  "madam_president",
  "magister",
  "chef",
  "lord",
  "prince",
  "princess",
  "count",
  "countess",
  "duke",
  "duchess",
  "sir",
  "lady",
  "highness",
  "baron",
  "baroness",
  "company"
] as const

export const CustomerInput = Schema.Struct({
  email: Schema.String.pipe(
    Schema.pattern(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: () => "must be an e-mail address" })
  ),
  firstName: Schema.String,
  lastName: Schema.String,
  phone: Schema.optional(Schema.String.pipe(Schema.pattern(/^\+[1-9]\d{1,14}$/, { message: () => "must be E.164" }))),
  locale: Schema.String.pipe(Schema.pattern(/^([a-z]{2,3})(?:_([A-Z]{2}))?$/)),
  civility: Schema.Literal(...civilities),
  optins: Schema.optional(Schema.Struct({ restaurantNewsletter: Schema.optional(Schema.Boolean) }))
})
export type CustomerInput = typeof CustomerInput.Type

export const CreateInput = Schema.Struct({
  mealDate: Instant,
  partySize: PartySize,
  offerUuid: Schema.optional(Schema.String),
  customerNote: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(1000)))),
  restaurantNote: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(1000)))),
  customer: CustomerInput
})
export type CreateInput = typeof CreateInput.Type

export const PatchInput = Schema.Struct({ mealDate: Instant, partySize: PartySize })
export type PatchInput = typeof PatchInput.Type

const HourMinute = Schema.String.pipe(Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/))
/** putV1RestaurantsIdAvailabilitiesOverride (thefork.md): `{date, startTime "HH:mm", endTime?, isOpen}`. */
export const AvailabilityOverride = Schema.Struct({
  date: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/)),
  startTime: HourMinute,
  endTime: Schema.optional(HourMinute),
  isOpen: Schema.Boolean
})

export const Status = Schema.Literal("RECORDED", "REQUESTED", "REFUSED", "CANCELED", "NO_SHOW")
export type Status = typeof Status.Type
export const MealStatus = Schema.Literal("PARTIALLY_ARRIVED", "ARRIVED", "SEATED", "BILL", "LEFT")
export type MealStatus = typeof MealStatus.Type

export interface Customer {
  readonly customerUuid: string
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly phone: string | null
  readonly locale: string
  readonly civility: string
  readonly isVip: boolean
  readonly allergiesAndIntolerances: ReadonlyArray<string> | null
  readonly dietaryRestrictions: ReadonlyArray<string> | null
  readonly optins: { readonly restaurantNewsletter: boolean }
  readonly notes: string | null
  readonly creationDate: string
  readonly lastUpdateDate: string
}

/** As `GET /v1/reservations/{id}` answers it: the guest only by `customerUuid`. */
export interface Reservation {
  readonly reservationUuid: string
  readonly restaurantUuid: string
  readonly mealDate: string
  readonly mealStatus: MealStatus | null
  readonly partySize: number
  readonly status: Status
  readonly offerUuid: string | null
  readonly customerNote: string | null
  readonly restaurantNote: string | null
  readonly customerUuid: string
  readonly customFields: ReadonlyArray<unknown>
  readonly offerDetails: null
  readonly utmTrackingInformation: null
  readonly billAmount: null
  readonly reservationChannel: string
  readonly createdAt: string
  readonly updatedAt: string
}

export const Offer = Schema.Struct({
  uuid: Schema.UUID,
  name: Schema.String,
  description: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  price: Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => null })
})
export type Offer = typeof Offer.Type

/** A status change made by restaurant staff in TheFork Manager (control routes). */
export const StaffChange = Schema.Struct({
  status: Schema.optional(Status),
  mealStatus: Schema.optional(Schema.NullOr(MealStatus)),
  partySize: Schema.optional(PartySize),
  mealDate: Schema.optional(Instant),
  customerNote: Schema.optional(Schema.NullOr(Schema.String)),
  /** Staff take the offer off a booking (null) or set another. */
  offerUuid: Schema.optional(Schema.NullOr(Schema.String))
})
export type StaffChange = typeof StaffChange.Type
