import { Data, Effect, Either, ParseResult, Schema } from "effect"
import { fastDecoderEither } from "../../domain/fast-decode.js"
import { oncePerSchema } from "../../domain/schema-parts.js"
import { issuesLine } from "../validation-issues.js"

/** The platform sent something we cannot store: retrying will not help, an operator must look. */
export class InvalidInboundData extends Data.TaggedError("InvalidInboundData")<{ readonly message: string }> {}

// A valid record is decoded in plain code; a refused one again by Schema, for every field it breaks.
const checkerOf = oncePerSchema((schema) => {
  const decode = fastDecoderEither(schema)
  const everyIssue = Schema.decodeUnknownEither(schema, { errors: "all" })
  return (input: unknown): Either.Either<unknown, string> =>
    Either.orElse(
      decode(input),
      () => Either.mapLeft(everyIssue(input), (error: ParseResult.ParseError) => issuesLine(error))
    )
})

/**
 * A platform's record as the local entity it becomes, decoded as the API's writes are, or the
 * fields and rules it breaks (`field: rule; …`, values left out).
 */
export const checkInbound = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Either.Either<A, string> =>
  checkerOf(schema)(input) as Either.Either<A, string>

/** `checkInbound`, a refusal failing with `InvalidInboundData`. */
export const decodeInbound = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown
): Effect.Effect<A, InvalidInboundData> =>
  Either.match(checkInbound(schema, input), {
    onLeft: (issues) => Effect.fail(new InvalidInboundData({ message: `platform data rejected: ${issues}` })),
    onRight: Effect.succeed
  })

/**
 * A platform's change to a record here, checked as the record it would make (a party of none, an
 * empty name or an allergy of 300 characters would make one no read could decode): the changed
 * fields as that record holds them (names trimmed), or the event refused with the rule it breaks.
 */
export const decodeInboundChange = <A extends object, I, P extends Partial<A>>(
  schema: Schema.Schema<A, I>,
  record: A,
  change: P
): Effect.Effect<P, InvalidInboundData> =>
  Effect.map(
    decodeInbound(schema, { ...record, ...change }),
    (checked) =>
      Object.fromEntries(Object.keys(change).map((field) => [field, checked[field as keyof A]])) as unknown as P
  )
