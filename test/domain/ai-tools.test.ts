import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { CheckAvailabilityArgs, ConfirmReservationArgs, voiceAiTools } from "../../src/domain/ai-tools.js"

const tool = (name: string, language?: "fr" | "en") => voiceAiTools(language).find((t) => t.name === name)!
const requiredOf = (schema: { readonly fields: Schema.Struct.Fields }) =>
  Object.entries(schema.fields).filter(([, field]) => !Schema.isPropertySignature(field)).map(([key]) => key)

const call = {
  customer_name: "  Marie Dupont ",
  customer_phone: "+33 6 12 34 56 78",
  party_size: 4,
  date: "2025-06-10",
  time: "19:30"
}

describe("voice-AI tool definitions (R-11.2)", () => {
  it("declares check_availability and confirm_reservation as functions, in French by default", () => {
    expect(voiceAiTools().map((t) => [t.type, t.name])).toEqual([["function", "check_availability"], [
      "function",
      "confirm_reservation"
    ]])
    expect(tool("check_availability").description).toContain("serviceId")
    expect(tool("check_availability").description).toMatch(/créneaux/)
    expect(tool("check_availability", "en").description).toMatch(/slots/)
    expect(tool("confirm_reservation").description).toMatch(/offres/)
    expect(tool("confirm_reservation", "en").description).toMatch(/offers/)
  })

  it("asks for the documented parameters, optional where the spec says so", () => {
    const check = tool("check_availability").parameters
    expect(Object.keys(check.properties)).toEqual(["date", "time", "party_size", "service_id"])
    expect(check.required).toEqual(["date", "party_size"])
    const confirm = tool("confirm_reservation").parameters
    expect(Object.keys(confirm.properties)).toEqual([
      "customer_name",
      "customer_phone",
      "customer_email",
      "party_size",
      "date",
      "time",
      "service_id",
      "offer_id",
      "notes",
      "allergies",
      "occasion"
    ])
    expect(confirm.required).toEqual(["customer_name", "customer_phone", "party_size", "date", "time"])
    expect(confirm.properties["party_size"]).toMatchObject({ type: "integer", minimum: 1 })
    expect(confirm.properties["allergies"]).toMatchObject({ type: "array", items: { type: "string" } })
    expect(confirm.additionalProperties).toBe(false)
  })

  it("derives the JSON Schema from the decoding schemas, so their required fields agree", () => {
    expect(tool("check_availability").parameters.required).toEqual(requiredOf(CheckAvailabilityArgs))
    expect(tool("confirm_reservation").parameters.required).toEqual(requiredOf(ConfirmReservationArgs))
    expect(Object.keys(tool("confirm_reservation").parameters.properties)).toEqual(
      Object.keys(ConfirmReservationArgs.fields)
    )
  })

  it("describes every parameter in the restaurant's language, without Effect's generated text", () => {
    for (const language of ["fr", "en"] as const) {
      for (const t of voiceAiTools(language)) {
        const json = JSON.stringify(t.parameters)
        expect(json).not.toMatch(/"title"|\$ref|\$schema|a string matching/)
        for (const property of Object.values(t.parameters.properties)) expect(property.description).toMatch(/\w{3}/)
      }
    }
    expect(tool("check_availability", "fr").parameters.properties["date"]!.description).not.toBe(
      tool("check_availability", "en").parameters.properties["date"]!.description
    )
  })

  it("decodes a confirm_reservation call, trimming names and refusing what breaks the schema", () => {
    const decode = Schema.decodeUnknownEither(ConfirmReservationArgs)
    expect(decode(call)).toEqual(Either.right({ ...call, customer_name: "Marie Dupont" }))
    const withOptions = {
      ...call,
      service_id: "00000000-0000-4000-8000-000000000001",
      offer_id: "00000000-0000-4000-8000-000000000002",
      notes: "Fenêtre",
      allergies: ["gluten"],
      occasion: "Anniversaire",
      customer_email: " marie@example.com "
    }
    expect(decode(withOptions)).toEqual(
      Either.right({ ...withOptions, customer_name: "Marie Dupont", customer_email: "marie@example.com" })
    )
    for (const key of requiredOf(ConfirmReservationArgs)) {
      const { [key as keyof typeof call]: _, ...missing } = call
      expect(Either.isLeft(decode(missing))).toBe(true)
    }
    const bad = [
      { party_size: 0 },
      { party_size: 2.5 },
      { time: "7pm" },
      { date: "10/06/2025" },
      {
        customer_phone: "  "
      },
      { offer_id: "vip" },
      { customer_email: "marie at example" }
    ]
    for (const change of bad) expect(Either.isLeft(decode({ ...call, ...change }))).toBe(true)
  })

  it("takes a phone number as people say it, and refuses a transcript that holds none", () => {
    const decode = Schema.decodeUnknownEither(ConfirmReservationArgs)
    for (const phone of ["+33 6 12 34 56 78", "06.12.34.56.78", "(212) 555-1234", "+1-212-555-1234", "0612345678"]) {
      expect([phone, Either.isRight(decode({ ...call, customer_phone: phone }))]).toEqual([phone, true])
    }
    for (const phone of ["call me back", "12345", "06 12 34 56 7x", "+", "06 12 + 34 56 78"]) {
      const refused = decode({ ...call, customer_phone: phone })
      expect([phone, Either.isLeft(refused) && refused.left.message.includes("must be a phone number")]).toEqual([
        phone,
        true
      ])
    }
    // The model is told the shape too.
    expect(tool("confirm_reservation", "en").parameters.properties.customer_phone).toHaveProperty("pattern")
  })

  it("decodes a check_availability call with only a date and a party size", () => {
    const decode = Schema.decodeUnknownEither(CheckAvailabilityArgs)
    expect(decode({ date: "2025-06-10", party_size: 2 })).toEqual(Either.right({ date: "2025-06-10", party_size: 2 }))
    expect(Either.isLeft(decode({ date: "2025-06-10" }))).toBe(true)
    expect(Either.isLeft(decode({ date: "2025-06-10", party_size: 2, service_id: "dinner" }))).toBe(true)
  })

  it.prop(
    "every valid call uses only declared parameters and all required ones",
    [ConfirmReservationArgs],
    ([args]) => {
      const { properties, required } = tool("confirm_reservation").parameters
      const keys = Object.keys(Schema.encodeSync(ConfirmReservationArgs)(args))
      expect(keys.filter((k) => !(k in properties))).toEqual([])
      expect(required.filter((k) => !keys.includes(k))).toEqual([])
    }
  )
})
