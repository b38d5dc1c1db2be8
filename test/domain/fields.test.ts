import { describe, expect, it } from "@effect/vitest"
import { Either, JSONSchema, Option, ParseResult, Schema } from "effect"
import { fastDecoderEither } from "../../src/domain/fast-decode.js"
import { Instant, LocalDate, Money } from "../../src/domain/fields.js"
import { addDays, isCalendarDate, isoWeekday, localToInstant } from "../../src/domain/local-time.js"

const refusal = <A>(schema: Schema.Schema<A, string>, text: string) =>
  Either.match(Schema.decodeUnknownEither(schema)(text), {
    onLeft: (error) => error.message.split("\n").at(-1)?.trim(),
    onRight: () => undefined
  })

describe("calendar dates", () => {
  it("knows the days of each month, leap years included", () => {
    expect(["2024-02-29", "2000-02-29", "2026-04-30", "2026-12-31", "0001-01-01"].filter(isCalendarDate)).toHaveLength(
      5
    )
    expect(["2026-02-29", "1900-02-29", "2026-02-30", "2026-04-31", "2026-06-31", "0000-01-01", "2026-13-01"]
      .filter(isCalendarDate)).toEqual([])
  })

  it("refuses an instant on a day that does not exist, which Date.parse moves to the next month", () => {
    expect(Date.parse("2026-02-30T20:00Z")).toBe(Date.parse("2026-03-02T20:00Z"))
    expect(refusal(Instant, "2026-02-30T20:00Z")).toBe("must be a valid date-time")
    expect(refusal(Instant, "2026-04-31T20:00:00+02:00")).toBe("must be a valid date-time")
    expect(refusal(Instant, "2024-02-29T20:00:00+01:00")).toBeUndefined()
    expect(refusal(Instant, "2026-12-24T25:00+01:00")).toBe("must be a valid date-time")
  })

  it("keeps instants whose UTC date has four digits, as PostgreSQL and an ISO string write them back", () => {
    expect(refusal(Instant, "9999-12-31T23:00:00-05:00")).toBe("must fall within the years 0001 to 9999 in UTC")
    expect(refusal(Instant, "0001-01-01T00:30:00+01:00")).toBe("must fall within the years 0001 to 9999 in UTC")
    expect(refusal(Instant, "9999-12-31T23:59:59.999Z")).toBeUndefined()
    expect(refusal(Instant, "0001-01-01T00:00:00Z")).toBeUndefined()
  })

  it("refuses a local date that does not exist, on Schema's path and on the fast decoder's", () => {
    expect(refusal(LocalDate, "2026-02-31")).toBe("must be a day of the calendar")
    expect(refusal(LocalDate, "2026-02-28")).toBeUndefined()
    const fast = fastDecoderEither(Schema.Struct({ date: LocalDate, at: Instant }))
    expect(Either.isLeft(fast({ date: "2026-02-31", at: "2026-03-01T20:00Z" }))).toBe(true)
    expect(Either.isLeft(fast({ date: "2026-03-01", at: "2026-02-29T20:00Z" }))).toBe(true)
    expect(Either.isRight(fast({ date: "2026-03-01", at: "2026-03-01T20:00Z" }))).toBe(true)
  })
})

describe("the first century", () => {
  it("counts its days and weekdays as the calendar does, not as 1900 to 1999", () => {
    expect(addDays("0001-01-02", -1)).toBe("0001-01-01")
    expect(addDays("0004-02-28", 1)).toBe("0004-02-29")
    expect(addDays("0099-12-31", 1)).toBe("0100-01-01")
    // The 1st of January of year 1 was a Monday in the proleptic Gregorian calendar.
    expect(isoWeekday("0001-01-01")).toBe(1)
    expect(Option.map(localToInstant("0050-06-01", "12:00", "UTC"), (at) => at.toISOString())).toEqual(
      Option.some("0050-06-01T12:00:00.000Z")
    )
  })
})

describe("amounts", () => {
  const decode = Schema.decodeUnknownEither(Money)
  const fast = fastDecoderEither(Money)

  it("takes any amount written with at most four decimals, as JSON parses it", () => {
    for (const written of ["0", "9.5", "12.34", "4.125", "0.0001", "19.9999", "7.0035", "999999.9999", "1000000"]) {
      const amount = JSON.parse(written)
      expect([written, Either.isRight(decode(amount)), Either.isRight(fast(amount))]).toEqual([written, true, true])
    }
  })

  it("reads a sum's floating-point noise as the amount it stands for", () => {
    for (const [sum, amount] of [[9.99 + 9.99 + 0.01, 19.99], [0.1 + 0.2, 0.3], [1.1 * 3, 3.3]] as const) {
      expect(sum).not.toBe(amount)
      expect([Either.getOrNull(decode(sum)), Either.getOrNull(fast(sum))]).toEqual([amount, amount])
    }
  })

  it("shows its rules in the OpenAPI document, though its JSON is a bare number", () => {
    expect(JSONSchema.make(Money)).toMatchObject({ type: "number", minimum: 0, maximum: 1_000_000 })
  })

  it("refuses a finer amount on Schema's path and on the fast decoder's, instead of the database rounding it", () => {
    for (const amount of [0.00001, 12.34567, 4.12345, 999_999.99999]) {
      const refused = decode(amount)
      expect(Either.isLeft(refused) && ParseResult.ArrayFormatter.formatErrorSync(refused.left)).toEqual([
        { _tag: "Refinement", path: [], message: "must have at most 4 decimal places" }
      ])
      expect(Either.isLeft(fast(amount))).toBe(true)
    }
  })
})
