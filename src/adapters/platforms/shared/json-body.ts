import { Effect, Either, ParseResult, Schema } from "effect"
import { fastDecoder, fastDecoderEither } from "../../../domain/fast-decode.js"
import { oncePerSchema } from "../../../domain/schema-parts.js"
import { type InboundRequest, WebhookRejected } from "../../../ports/webhook-authenticator.js"

// Schema.parseJson builds a new schema on every call, and a new schema has its parser compiled
// again on first use: per webhook, that showed up as a hot spot. One per schema, kept here.
const jsonSchemaOf = oncePerSchema((schema) => Schema.parseJson(schema))

/** `Schema.parseJson(schema)`, built once per schema (decoders are then compiled once too). */
export const jsonText = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, string> =>
  jsonSchemaOf(schema) as Schema.Schema<A, string>

// An answer's decoders are compiled and kept per schema: a list schema made on every call (a
// create's look-up, a poll) compiled them every time.
const arrayOfSchema = oncePerSchema((schema) => Schema.Array(schema))

/** `Schema.Array(schema)`, built once per schema. */
export const arrayOf = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>> =>
  arrayOfSchema(schema) as Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>>

const textDecoderOf = oncePerSchema((schema): (text: string) => Effect.Effect<unknown, ParseResult.ParseError> => {
  const fast = fastDecoderEither(schema)
  const full = Schema.decodeUnknown(jsonText(schema))
  return (text) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return full(text)
    }
    const decoded = fast(parsed)
    return Either.isRight(decoded) ? Effect.succeed(decoded.right) : full(text)
  }
})

/**
 * `Schema.decodeUnknown(jsonText(schema))`, with a valid text parsed and decoded in plain code
 * (fast-decode.ts). Any other is decoded by Schema from the text, so its error is the one it was.
 */
export const jsonTextDecoder = <A, I>(
  schema: Schema.Schema<A, I>
): (text: string) => Effect.Effect<A, ParseResult.ParseError> =>
  textDecoderOf(schema) as (text: string) => Effect.Effect<A, ParseResult.ParseError>

const parsedBodies = new WeakMap<InboundRequest, Either.Either<unknown, string>>()

/**
 * A delivery's body as JSON, parsed once however many steps read it (its restaurant, its events,
 * the raw payload kept with them). Left with the reason when it is not JSON.
 */
export const bodyJson = (req: InboundRequest): Either.Either<unknown, string> => {
  let parsed = parsedBodies.get(req)
  if (parsed === undefined) {
    try {
      parsed = Either.right(JSON.parse(req.rawBody) as unknown)
    } catch (error) {
      // SyntaxError, or RangeError for nesting deeper than the parser goes: not JSON to us.
      parsed = Either.left(error instanceof Error ? error.message : "not JSON")
    }
    parsedBodies.set(req, parsed)
  }
  return parsed
}

/** A delivery's body decoded with `schema`, from the JSON parsed once by `bodyJson`. */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = fastDecoder(schema)
  return (req: InboundRequest): Effect.Effect<A, ParseResult.ParseError> =>
    Either.match(bodyJson(req), {
      onLeft: (reason) =>
        Effect.fail(new ParseResult.ParseError({ issue: new ParseResult.Type(schema.ast, req.rawBody, reason) })),
      onRight: decode
    })
}

export const malformed = (message: string) => new WebhookRejected({ reason: "malformed", message })

/** `decodeBody`, rejected as malformed with `message`: never the body itself, which may carry personal data. */
export const decodeBodyOr = <A, I>(schema: Schema.Schema<A, I>, message: string) => {
  const decode = decodeBody(schema)
  return (req: InboundRequest): Effect.Effect<A, WebhookRejected> =>
    Effect.mapError(decode(req), () => malformed(message))
}
