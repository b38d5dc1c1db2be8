import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck, Option, Schema } from "effect"
import { SyncApi } from "../../src/app/http/api.js"
import { WebhookEvent } from "../../src/domain/dtos.js"
import { Reservation } from "../../src/domain/entities.js"
import { encodesWithoutSchema, trustedEncoder, trustedEncoderSync } from "../../src/domain/trusted-encode.js"

const encodeBoth = <A, I>(schema: Schema.Schema<A, I>, value: A) => ({
  trusted: Effect.runSync(trustedEncoder(schema)(value)),
  full: Effect.runSync(Schema.encode(schema)(value))
})

/** Every create and update answer of the API's resource groups: what the write ingress encodes. */
const writeAnswers = Object.entries(SyncApi.groups).flatMap(([group, { endpoints }]) =>
  Object.values(endpoints as Record<string, { name: string; successSchema: Schema.Schema<unknown, unknown> }>)
    .filter((endpoint) => endpoint.name === "create" || endpoint.name === "update")
    .map((endpoint) => ({ name: `${group}.${endpoint.name}`, schema: endpoint.successSchema }))
)

const sameJsonAsSchema = <A, I>(name: string, schema: Schema.Schema<A, I>, numRuns: number) =>
  FastCheck.assert(
    FastCheck.property(Arbitrary.make(schema), (value) => {
      const { full, trusted } = encodeBoth(schema, value)
      expect(JSON.stringify(trusted), name).toBe(JSON.stringify(full))
    }),
    { numRuns }
  )

describe("a value of known validity encoded without Schema", () => {
  it("takes a reservation's fields as they are", () => {
    expect(encodesWithoutSchema(Reservation.ast)).toBe(true)
  })

  it("gives what the full encoder gives, for every write answer of the API", () => {
    expect(writeAnswers.length).toBeGreaterThan(10)
    const picked = writeAnswers.filter(({ schema }) => encodesWithoutSchema(schema.ast))
    // Most entities are plain records; the check below must meet them, not only the full encoder.
    expect(picked.length).toBeGreaterThan(writeAnswers.length / 2)
    for (const { name, schema } of writeAnswers) sameJsonAsSchema(name, schema, 30)
  })

  it("gives what the full encoder gives for a stored webhook event, nested records and arrays included", () => {
    expect(encodesWithoutSchema(WebhookEvent.ast)).toBe(true)
    sameJsonAsSchema("WebhookEvent", WebhookEvent, 200)
  })

  it("leaves out keys the Schema does not define, at every depth, as the encoder does", () => {
    const value = FastCheck.sample(Arbitrary.make(Reservation), 1)[0]!
    const { full, trusted } = encodeBoth(Reservation, { ...value, secretColumn: "x" } as Reservation)
    expect(trusted).toEqual(full)
    expect(trusted).not.toHaveProperty("secretColumn")

    const order = Schema.Struct({
      items: Schema.Array(Schema.Struct({ name: Schema.String })),
      address: Schema.optional(Schema.Struct({ city: Schema.String }))
    })
    const extra = { items: [{ name: "a", cost: 1 }], address: { city: "Lyon", code: "x" }, note: "y" }
    const both = encodeBoth(order, extra as typeof order.Type)
    expect(both.trusted).toEqual({ items: [{ name: "a" }], address: { city: "Lyon" } })
    expect(both.trusted).toEqual(both.full)
    expect(trustedEncoderSync(order)(extra as typeof order.Type)).toEqual(both.full)
  })

  it("moves renamed fields and keeps defaulted ones as Schema does, leaving the value as it was", () => {
    const renamed = Schema.Struct({
      name: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("full_name")),
      tags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
    })
    expect(encodesWithoutSchema(renamed.ast)).toBe(true)
    const value = { name: "Ana", tags: ["vip"] }
    const { full, trusted } = encodeBoth(renamed, value)
    expect(trusted).toEqual({ full_name: "Ana", tags: ["vip"] })
    expect(trusted).toEqual(full)
    expect(value).toEqual({ name: "Ana", tags: ["vip"] })
  })

  it("gives what the full encoder gives for records keyed by any string, alone or in a union", () => {
    // A platform's title: one string, or one per language (Zenchef's LocalizedText).
    const localized = Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.String }))
    const schema = Schema.Struct({
      title: Schema.optional(Schema.NullOr(localized)),
      counts: Schema.Record({ key: Schema.String, value: Schema.Number }),
      tickets: Schema.Array(Schema.Struct({ title: localized }))
    })
    expect(encodesWithoutSchema(schema.ast)).toBe(true)
    sameJsonAsSchema("localized", schema, 200)
  })

  it("encodes in full whatever does not encode as its own fields", () => {
    const schemas = [
      Schema.Struct({ at: Schema.Date }),
      Schema.Struct({ n: Schema.NumberFromString }),
      Schema.Struct({ nested: Schema.Struct({ at: Schema.Date }) }),
      Schema.Struct({ maybe: Schema.OptionFromNullOr(Schema.String) }),
      Schema.Struct({ declared: Schema.OptionFromSelf(Schema.NumberFromString) }),
      Schema.Record({ key: Schema.String, value: Schema.NumberFromString }),
      Schema.Record({ key: Schema.TemplateLiteral("a", Schema.String), value: Schema.String }),
      Schema.Struct({ a: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.String })),
      // Which member a record is would have to be decided, as Schema decides it.
      Schema.Union(Schema.Struct({ a: Schema.String }), Schema.Struct({ b: Schema.String })),
      Schema.Tuple(Schema.String, Schema.Number)
    ] as const
    for (const schema of schemas) expect(encodesWithoutSchema(schema.ast), String(schema.ast)).toBe(false)
    const { full, trusted } = encodeBoth(schemas[0], { at: new Date(0) })
    expect(trusted).toEqual({ at: "1970-01-01T00:00:00.000Z" })
    expect(trusted).toEqual(full)
    expect(encodeBoth(schemas[3], { maybe: Option.some("x") }).trusted).toEqual({ maybe: "x" })
    expect(trustedEncoderSync(schemas[1])({ n: 2 })).toEqual({ n: "2" })
  })
})
