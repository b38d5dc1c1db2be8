import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck, Schema } from "effect"
import { ZenchefWebhookEnvelope } from "../../src/adapters/platforms/zenchef/types.js"
import { SyncApi } from "../../src/app/http/api.js"
import { resourceHandlers } from "../../src/app/http/handlers/resources.js"
import { WebhookEvent } from "../../src/domain/dtos.js"
import { customer, order, reservation } from "../../src/domain/entities.js"
import { decodedWholeInPlainCode, fastDecoder } from "../../src/domain/fast-decode.js"
import { SyncJob } from "../../src/ports/sync-job-queue.js"

/** Every create and update payload of the resource groups the write ingress answers. */
const writePayloads = Object.keys(resourceHandlers).flatMap((group) =>
  Object.values(
    SyncApi.groups[group as keyof typeof SyncApi.groups].endpoints as unknown as Record<string, {
      name: string
      payloadSchema: { value?: unknown }
      successSchema: Schema.Schema<unknown, unknown>
    }>
  )
    .filter((endpoint) => (endpoint.name === "create" || endpoint.name === "update"))
    .map((endpoint) => ({
      name: `${group}.${endpoint.name}`,
      schema: endpoint.payloadSchema.value as Schema.Schema<unknown, unknown>,
      // A PATCH takes a record read and sent back whole (or any part of it).
      sample: endpoint.name === "create"
        ? endpoint.payloadSchema.value as Schema.Schema<unknown, unknown>
        : endpoint.successSchema
    }))
)

/** What the inbound engine decodes a platform's record into before writing it. */
const inboundCreates = Object.entries({ customer, order, reservation }).map(([name, { Create }]) => ({
  name: `inbound ${name}`,
  schema: Create as Schema.Schema<unknown, unknown>,
  sample: Create as Schema.Schema<unknown, unknown>
}))

/** What the inbox stores and the claim reads back, what a Zenchef delivery carries, and the rows entities are read from. */
const storedRecords = [
  { name: "WebhookEvent", schema: WebhookEvent },
  { name: "SyncJob", schema: SyncJob },
  { name: "ZenchefWebhookEnvelope", schema: ZenchefWebhookEnvelope },
  { name: "reservation row", schema: reservation.Entity },
  { name: "order row", schema: order.Entity }
].map(({ name, schema }) => ({
  name,
  schema: schema as Schema.Schema<unknown, unknown>,
  sample: schema as Schema.Schema<unknown, unknown>
}))

const both = (schema: Schema.Schema<unknown, unknown>, input: unknown) => ({
  fast: Effect.runSync(Effect.either(fastDecoder(schema)(input))),
  full: Effect.runSync(Effect.either(Schema.decodeUnknown(schema)(input)))
})

/** Whether both decoders took the input (after checking they agree). */
const expectSameAnswer = (name: string, schema: Schema.Schema<unknown, unknown>, input: unknown) => {
  const { fast, full } = both(schema, input)
  expect(Either.isRight(fast), `${name}: ${JSON.stringify(input)}`).toBe(Either.isRight(full))
  if (Either.isRight(fast) && Either.isRight(full)) {
    // The same fields in the same order: a write's statement text follows its payload's keys.
    expect(JSON.stringify(fast.right), name).toBe(JSON.stringify(full.right))
    expect(fast.right, name).toEqual(full.right)
  } else if (Either.isLeft(fast) && Either.isLeft(full)) {
    expect(fast.left.message, name).toBe(full.left.message)
  }
  return Either.isRight(full)
}

/** A valid payload changed once: a field set to any JSON value, a field dropped, or one added. */
const changed = (valid: Record<string, unknown>) =>
  FastCheck.oneof(
    FastCheck.tuple(FastCheck.constantFrom(...Object.keys(valid), "unknownField"), FastCheck.jsonValue()).map((
      [key, value]
    ) => ({ ...valid, [key]: value })),
    FastCheck.constantFrom(...Object.keys(valid), "none").map((key) => {
      const { [key]: _dropped, ...rest } = valid
      return rest
    })
  )

describe("a payload or a stored record decoded by the fast path", () => {
  it("meets every create and update payload of the API", () => {
    expect(writePayloads.length).toBeGreaterThan(10)
    for (const { schema } of writePayloads) expect(schema).toBeDefined()
  })

  it("decodes each of them in plain code throughout, Schema left for what fails", () => {
    const all = [...writePayloads, ...inboundCreates, ...storedRecords]
    expect(all.filter(({ schema }) => !decodedWholeInPlainCode(schema)).map(({ name }) => name)).toEqual([])
    expect(decodedWholeInPlainCode(Schema.Struct({ at: Schema.DateFromSelf }))).toBe(false)
  })

  it("leaves the input as it was", () => {
    const input = {
      restaurantId: "7d0b2c1e-1111-4a2b-8c3d-000000000001",
      customerName: " Ada ",
      customerPhone: "+33612345678",
      partySize: 2,
      reservationTime: "2030-06-01T19:30:00Z"
    }
    const copy = structuredClone(input)
    Effect.runSync(fastDecoder(reservation.Create)(input))
    expect(input).toEqual(copy)
  })

  it("gives what Schema gives, for valid payloads and for payloads changed from them", () => {
    for (const { name, sample, schema } of [...writePayloads, ...inboundCreates, ...storedRecords]) {
      const encode = Schema.encodeSync(sample)
      const valid = Arbitrary.make(sample).map((value) => encode(value) as Record<string, unknown>)
      let taken = 0
      FastCheck.assert(
        FastCheck.property(valid.chain((input) => FastCheck.tuple(FastCheck.constant(input), changed(input))), (
          [input, changedInput]
        ) => {
          if (expectSameAnswer(name, schema, input)) taken++
          expectSameAnswer(name, schema, changedInput)
        }),
        { numRuns: 40 }
      )
      // Most samples are valid payloads: the decoders are compared on what they take, not only on refusals.
      expect(taken, name).toBeGreaterThan(10)
    }
  })

  it("fills a create's defaults in and keeps Schema's field order", () => {
    const { fast, full } = both(reservation.Create as Schema.Schema<unknown, unknown>, {
      restaurantId: "7d0b2c1e-1111-4a2b-8c3d-000000000001",
      customerName: "  Ada  ",
      customerPhone: "+33612345678",
      partySize: 2,
      reservationTime: "2030-06-01T19:30:00Z"
    })
    expect(Either.getOrThrow(fast)).toMatchObject({ customerName: "Ada", status: "confirmed", allergies: [] })
    expect(Object.keys(Either.getOrThrow(fast) as object)).toEqual(Object.keys(Either.getOrThrow(full) as object))
  })
})
