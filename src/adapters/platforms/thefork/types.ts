import { Schema } from "effect"

/** Where production calls go (issue 18): a credential naming another URL must pass the egress policy. */
export const theforkProductionUrls = {
  baseUrl: "https://api.thefork.io/manager",
  authUrl: "https://auth.thefork.io/oauth/token"
} as const

/**
 * TheFork Manager B2B API (thefork.md; OpenAPI reconstructed from docs.thefork.io). Decoding is
 * lenient: statuses are read as strings so a value outside the documented enums (the POS flow adds
 * CONFIRMED, REJECTED) keeps the local status instead of failing the whole read.
 */
const maybe = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/** Documented: RECORDED (confirmed), REQUESTED (on request/waitlist), REFUSED, CANCELED, NO_SHOW. */
export type TheForkStatus = "RECORDED" | "REQUESTED" | "REFUSED" | "CANCELED" | "NO_SHOW"
/** Documented: no fixed order between them. */
export type TheForkMealStatus = "PARTIALLY_ARRIVED" | "ARRIVED" | "SEATED" | "BILL" | "LEFT"

/** Embedded in create and PATCH answers; `GET /v1/customers/{id}` adds allergies and VIP flags. */
export const TheForkCustomer = Schema.Struct({
  customerUuid: maybe(Schema.String),
  email: maybe(Schema.String),
  firstName: maybe(Schema.String),
  lastName: maybe(Schema.String),
  phone: maybe(Schema.String),
  locale: maybe(Schema.String),
  civility: maybe(Schema.String),
  isVip: maybe(Schema.Boolean),
  allergiesAndIntolerances: maybe(Schema.Array(Schema.String)),
  dietaryRestrictions: maybe(Schema.Array(Schema.String))
})
export type TheForkCustomer = typeof TheForkCustomer.Type

export const TheForkReservation = Schema.Struct({
  reservationUuid: Schema.String,
  restaurantUuid: Schema.String,
  /** ISO 8601 instant with `Z`; nullable in the spec. */
  mealDate: Schema.NullOr(Schema.String),
  partySize: Schema.Int,
  status: Schema.String,
  mealStatus: maybe(Schema.String),
  offerUuid: maybe(Schema.String),
  customerNote: maybe(Schema.String),
  restaurantNote: maybe(Schema.String),
  customerUuid: maybe(Schema.String),
  /** Only on create and PATCH answers; a GET names the guest by `customerUuid`. */
  customer: maybe(TheForkCustomer),
  reservationChannel: maybe(Schema.String),
  createdAt: maybe(Schema.String),
  updatedAt: maybe(Schema.String)
})
export type TheForkReservation = typeof TheForkReservation.Type

/** `GET /v1/reservations` answers UUIDs only. */
export const TheForkReservationPage = Schema.Struct({
  data: Schema.Array(Schema.String),
  totalCount: Schema.Number,
  page: Schema.Number,
  limit: Schema.Number
})

/** `POST /v1/restaurants/{id}/reservations`. */
export interface TheForkReservationCreate {
  readonly mealDate: string
  readonly partySize: number
  readonly offerUuid?: string
  readonly customerNote?: string
  readonly restaurantNote?: string
  readonly customer: {
    readonly email: string
    readonly firstName: string
    readonly lastName: string
    readonly phone?: string
    readonly locale: string
    readonly civility: string
    readonly optins: { readonly restaurantNewsletter: boolean }
  }
}

/** `PATCH /v1/reservations/{id}`: both fields required, and nothing else can change. */
export interface TheForkReservationPatch {
  readonly mealDate: string
  readonly partySize: number
}

export const TheForkTimeslot = Schema.Struct({
  /** An ISO instant with offset: the specification's example is `2022-01-01T12:30:00+01:00`. */
  datetime: Schema.NullOr(Schema.String),
  offers: maybe(Schema.Array(Schema.String)),
  hasNormalStock: Schema.Boolean,
  hasPaymentGuaranteeRequirement: maybe(Schema.Boolean)
})
export type TheForkTimeslot = typeof TheForkTimeslot.Type

export const TheForkOffer = Schema.Struct({
  uuid: Schema.String,
  name: maybe(Schema.String),
  description: maybe(Schema.String),
  price: maybe(Schema.Number)
})
export type TheForkOffer = typeof TheForkOffer.Type

/** The thin webhook event: the entity must be fetched. */
export const TheForkWebhookEvent = Schema.Struct({
  entityType: Schema.String,
  eventType: Schema.String,
  uuid: Schema.String,
  groupUuid: maybe(Schema.String),
  restaurantUuid: maybe(Schema.String),
  reservationUuid: maybe(Schema.String)
})
export type TheForkWebhookEvent = typeof TheForkWebhookEvent.Type

/** Every documented error: `{statusCode, error, data: {code}}`; `code` is "" on 401. */
export const TheForkErrorBody = Schema.Struct({
  statusCode: Schema.Number,
  error: Schema.String,
  data: maybe(Schema.Struct({ code: maybe(Schema.String) }))
})

const Url = Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }))
const Locale = Schema.String.pipe(Schema.pattern(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: () => "must look like fr_FR" }))

/** What an operator saves for a TheFork config: the client credentials TheFork hands out, and the restaurant. */
export const TheForkCredentials = Schema.Struct({
  clientId: Schema.String.pipe(Schema.nonEmptyString()),
  clientSecret: Schema.Redacted(Schema.String.pipe(Schema.nonEmptyString())),
  restaurantUuid: Schema.UUID,
  baseUrl: Schema.optionalWith(Url, { default: () => theforkProductionUrls.baseUrl }),
  authUrl: Schema.optionalWith(Url, { default: () => theforkProductionUrls.authUrl }),
  audience: Schema.optionalWith(Schema.String, { default: () => "https://api.thefork.io" }),
  /** Language of the guests we create. */
  locale: Schema.optionalWith(Locale, { default: () => "fr_FR" }),
  /** Required by TheFork on create; we never ask the guest's, so the neutral one. ASSUMPTION. */
  civility: Schema.optionalWith(Schema.String, { default: () => "mx" }),
  /** How far back a lost create is looked for when only our id is known (days of `updatedDate`). */
  referenceLookbackDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 31)), { default: () => 2 })
})
export type TheForkCredentials = typeof TheForkCredentials.Type
