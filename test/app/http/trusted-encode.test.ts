import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck, Option, Schema } from "effect"
import { SyncApi } from "../../../src/app/http/api.js"
import { flatRecordFields, trustedEncoder } from "../../../src/app/http/trusted-encode.js"
import { Reservation } from "../../../src/domain/entities.js"

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

describe("a write's answer encoded from a value the service decoded", () => {
  it("takes a reservation's fields as they are", () => {
    expect(flatRecordFields(Reservation.ast)).toContain("customerName")
  })

  it("gives what the full encoder gives, for every write answer of the API", () => {
    expect(writeAnswers.length).toBeGreaterThan(10)
    const picked = writeAnswers.filter(({ schema }) => flatRecordFields(schema.ast) !== undefined)
    // Most entities are flat records; the check below must meet them, not only the full encoder.
    expect(picked.length).toBeGreaterThan(writeAnswers.length / 2)
    for (const { name, schema } of writeAnswers) {
      FastCheck.assert(
        FastCheck.property(Arbitrary.make(schema), (value) => {
          const { full, trusted } = encodeBoth(schema, value)
          expect(JSON.stringify(trusted), name).toBe(JSON.stringify(full))
        }),
        { numRuns: 30 }
      )
    }
  })

  it("leaves out keys the Schema does not define, as the encoder does", () => {
    const value = FastCheck.sample(Arbitrary.make(Reservation), 1)[0]!
    const { full, trusted } = encodeBoth(Reservation, { ...value, secretColumn: "x" } as Reservation)
    expect(trusted).toEqual(full)
    expect(trusted).not.toHaveProperty("secretColumn")
  })

  it("encodes in full whatever does not encode as itself", () => {
    const schemas = [
      Schema.Struct({ at: Schema.Date }),
      Schema.Struct({ n: Schema.NumberFromString }),
      Schema.Struct({ nested: Schema.Struct({ a: Schema.String }) }),
      Schema.Struct({ maybe: Schema.OptionFromNullOr(Schema.String) }),
      Schema.Struct({ declared: Schema.OptionFromSelf(Schema.NumberFromString) }),
      Schema.Record({ key: Schema.String, value: Schema.String }),
      Schema.Array(Schema.String)
    ] as const
    for (const schema of schemas) expect(flatRecordFields(schema.ast)).toBeUndefined()
    const { full, trusted } = encodeBoth(schemas[0], { at: new Date(0) })
    expect(trusted).toEqual({ at: "1970-01-01T00:00:00.000Z" })
    expect(trusted).toEqual(full)
    expect(encodeBoth(schemas[3], { maybe: Option.some("x") }).trusted).toEqual({ maybe: "x" })
  })
})
