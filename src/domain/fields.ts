import { identity, Schema } from "effect"
import { isCalendarDate, isKeptInstant } from "./local-time.js"
import { normalizeTags } from "./normalize.js"
import { EncodesAsItself } from "./schema-parts.js"

/** Shapes shared by the entities: one definition each, so validation messages stay uniform. */
export const Name = Schema.Trim.pipe(
  Schema.nonEmptyString({ message: () => "must not be empty" }),
  Schema.maxLength(200)
)
export const Text = Schema.String.pipe(Schema.maxLength(5000))
export const Label = Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100))
export const PositiveInt = Schema.Int.pipe(Schema.positive(), Schema.lessThanOrEqualTo(100_000))
export const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(100_000))
/** ISO 4217's finest minor unit (CLF, UYW); EUR has 2, KWD 3. */
export const moneyDecimals = 4
const moneyScale = 10 ** moneyDecimals
/**
 * A sum made in binary floating point (9.99 + 9.99 + 0.01 = 19.990000000000002) is the amount it
 * stands for: that noise, far below a ten-thousandth, is rounded off. A finer amount is left as it
 * is, for the check below to refuse.
 */
const withoutFloatNoise = (amount: number) => {
  const scaled = amount * moneyScale
  const nearest = Math.round(scaled)
  return Math.abs(scaled - nearest) <= Math.abs(scaled) * 1e-12 ? nearest / moneyScale : amount
}
const hasMoneyDecimals = (amount: number) => Math.round(amount * moneyScale) / moneyScale === amount
const MoneyValue = Schema.Number.pipe(
  Schema.finite(),
  Schema.nonNegative(),
  Schema.lessThanOrEqualTo(1_000_000),
  Schema.filter(hasMoneyDecimals, { message: () => `must have at most ${moneyDecimals} decimal places` })
)
/** An amount is stored as given, to the database's `numeric(16,4)`: a finer one is refused, never rounded. */
export const Money = Schema.transform(Schema.Number, MoneyValue, {
  strict: true,
  decode: withoutFloatNoise,
  encode: identity
}).annotations({
  [EncodesAsItself]: true,
  // A transformation's JSON Schema is its encoded side's, a bare number: the OpenAPI document shows the rules.
  // (`multipleOf: 0.0001` would be refused by validators for 12.34, whose binary value is not an exact multiple.)
  jsonSchema: {
    type: "number",
    minimum: 0,
    maximum: 1_000_000,
    description: `an amount with at most ${moneyDecimals} decimal places`
  }
})
export const Currency = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{3}$/, { message: () => "must be an ISO 4217 code such as EUR" })
)
export const Percent = Schema.Int.pipe(Schema.between(0, 100))
export const TimeOfDay = Schema.String.pipe(
  Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: () => "must be a time of day as HH:MM" })
)
export const LocalDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: () => "must be a date as YYYY-MM-DD" }),
  Schema.filter(isCalendarDate, { message: () => "must be a day of the calendar" })
)
/** An instant with its offset (ISO 8601), e.g. 2025-06-07T19:30:00Z or 2025-06-07T19:30:00+02:00. */
export const Instant = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: () => "must be an ISO 8601 date-time with an offset, e.g. 2025-06-07T19:30:00Z"
  }),
  Schema.filter((s) => isCalendarDate(s) && !Number.isNaN(Date.parse(s)), {
    message: () => "must be a valid date-time"
  }),
  Schema.filter((s) => isKeptInstant(Date.parse(s)), {
    message: () => "must fall within the years 0001 to 9999 in UTC"
  })
)
export const DayOfWeek = Schema.Int.pipe(Schema.between(1, 7, { message: () => "must be 1 (Monday) to 7 (Sunday)" }))
export const Phone = Schema.Trim.pipe(Schema.maxLength(40))
const emailAddress = /^[^\s@]+@[^\s@]+$/
/** The address shape `Email` checks, for callers that drop an invalid address rather than fail. */
export const isEmailAddress = (s: string): boolean => emailAddress.test(s)
export const Email = Schema.Trim.pipe(
  Schema.maxLength(254),
  Schema.pattern(emailAddress, { message: () => "must be an email address" })
)
const TagList = Schema.Array(Label).pipe(Schema.maxItems(50))
/**
 * Allergies, diets, allergens: one entry per tag however it is spelled or spaced, the first
 * spelling kept, as the allergy union of keeps them. `["Gluten", "gluten"]` stored as given
 * would be pushed as two allergies, then changed by the union at the platform's first echo.
 */
export const Tags = Schema.transform(TagList, Schema.typeSchema(TagList), {
  strict: true,
  decode: normalizeTags,
  encode: identity
}).annotations({ [EncodesAsItself]: true })
/** Server-set timestamps, as ISO strings. */
export const Timestamps = { createdAt: Schema.String, updatedAt: Schema.String }

const firstOfEach = <A>(values: ReadonlyArray<A>): ReadonlyArray<A> =>
  values.length < 2 || new Set(values).size === values.length ? values : [...new Set(values)]

/**
 * A list of ids or days that names each once: a reservation's `[t1, t1]` is one table, not two
 * seats' worth of the same one, and a service's `[5, 5]` one Friday. The first place is kept.
 */
export const EachOnce = <A extends string | number, I, R>(list: Schema.Schema<ReadonlyArray<A>, I, R>) =>
  Schema.transform(list, Schema.typeSchema(list), { strict: true, decode: firstOfEach, encode: identity })
    .annotations({ [EncodesAsItself]: true })
