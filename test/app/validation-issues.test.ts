import { assert, describe, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { issuesOf } from "../../src/app/validation-issues.js"

const refusal = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => {
  const decoded = Schema.decodeUnknownEither(schema, { errors: "all" })(input)
  if (Either.isRight(decoded)) throw new Error("decoded")
  return issuesOf(ParseResult.ArrayFormatter.formatErrorSync(decoded.left))
}

describe("validation issues", () => {
  it("a field the object does not have names the one meant when only case or separators differ", () => {
    const Patch = Schema.Struct({
      partySize: Schema.optional(Schema.Int),
      customerName: Schema.optional(Schema.String)
    })
    const decoded = Schema.decodeUnknownEither(Patch, { errors: "all", onExcessProperty: "error" })({
      party_size: 4,
      CUSTOMERNAME: "Ada",
      loyalty: "gold",
      partySize: "four"
    })
    if (Either.isRight(decoded)) throw new Error("decoded")
    assert.deepStrictEqual(issuesOf(ParseResult.ArrayFormatter.formatErrorSync(decoded.left)), [
      { path: "party_size", message: "is not a field of this request; did you mean partySize?" },
      { path: "CUSTOMERNAME", message: "is not a field of this request; did you mean customerName?" },
      { path: "loyalty", message: "is not a field of this request" },
      { path: "partySize", message: "Expected a number" }
    ])
  })

  it("a union's members read as one issue of alternatives", () => {
    const issues = refusal(Schema.Struct({ platform: Schema.Literal("zenchef", "thefork", "deliveroo") }), {
      platform: "myspace"
    })
    assert.deepStrictEqual(issues, [{
      path: "platform",
      message: "Expected \"zenchef\" or \"thefork\" or \"deliveroo\""
    }])
  })

  it("an object is named as a JSON object, not by Schema's name for it", () => {
    const Rotation = Schema.Struct({ overlapSeconds: Schema.optionalWith(Schema.Int, { default: () => 60 }) })
    assert.deepStrictEqual(refusal(Rotation, undefined), [{ path: "", message: "Expected a JSON object" }])
    assert.deepStrictEqual(refusal(Schema.Struct({ city: Schema.String }), []), [{
      path: "",
      message: "Expected a JSON object"
    }])
    const Config = Schema.Struct({
      credentials: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
      address: Schema.NullOr(Schema.Struct({ city: Schema.String }))
    })
    assert.deepStrictEqual(refusal(Config, { credentials: "x", address: 5 }), [
      { path: "credentials", message: "Expected a JSON object" },
      { path: "address", message: "Expected a JSON object or null" }
    ])
    // Other types keep their own names.
    assert.deepStrictEqual(refusal(Schema.Struct({ id: Schema.UUID }), { id: "x" }), [{
      path: "id",
      message: "Expected a Universally Unique Identifier"
    }])
  })

  it("a list, a string, a number and a boolean are named as JSON names them", () => {
    const Item = Schema.Struct({
      allergens: Schema.Array(Schema.NonEmptyString.pipe(Schema.maxLength(100))),
      days: Schema.NonEmptyArray(Schema.Int),
      name: Schema.String,
      price: Schema.Number,
      isAvailable: Schema.Boolean
    })
    assert.deepStrictEqual(
      refusal(Item, { allergens: "gluten", days: 6, name: 5, price: "12", isAvailable: "yes" }),
      [
        { path: "allergens", message: "Expected an array" },
        { path: "days", message: "Expected a non-empty array" },
        { path: "name", message: "Expected a string" },
        { path: "price", message: "Expected a number" },
        { path: "isAvailable", message: "Expected a boolean" }
      ]
    )
  })

  it("a nullable field with a rule of its own reads as that rule, or null", () => {
    const Email = Schema.String.pipe(Schema.pattern(/^[^@]+@[^@]+$/, { message: () => "must be an email address" }))
    assert.deepStrictEqual(refusal(Schema.Struct({ email: Schema.NullOr(Email) }), { email: "nope" }), [{
      path: "email",
      message: "must be an email address, or null"
    }])
  })

  it("an optional field is named by its rule, not by undefined", () => {
    const Iso = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "must be a date" }))
    const issues = refusal(Schema.Struct({ from: Schema.optional(Iso), limit: Schema.Int }), { from: "yesterday" })
    assert.deepStrictEqual(issues, [{ path: "from", message: "must be a date" }, {
      path: "limit",
      message: "is missing"
    }])
  })

  it("an optional object is named by what is wrong inside it", () => {
    const issues = refusal(Schema.Struct({ address: Schema.optional(Schema.Struct({ city: Schema.String })) }), {
      address: { town: "Paris" }
    })
    assert.deepStrictEqual(issues, [{ path: "address.city", message: "is missing" }])
  })

  it("a nullable field keeps null among its alternatives, and no value is quoted", () => {
    const issues = refusal(Schema.Struct({ note: Schema.NullOr(Schema.String) }), { note: "secret-xyz".length })
    assert.deepStrictEqual(issues, [{ path: "note", message: "Expected a string or null" }])
    assert.notInclude(JSON.stringify(refusal(Schema.Struct({ key: Schema.Number }), { key: "sk_live_1" })), "sk_live_1")
  })

  it("fields keep their own issues, in order", () => {
    const issues = refusal(Schema.Struct({ a: Schema.Number, b: Schema.Array(Schema.String) }), { a: "x", b: ["y", 2] })
    assert.deepStrictEqual(issues, [{ path: "a", message: "Expected a number" }, {
      path: "b.1",
      message: "Expected a string"
    }])
  })
})
