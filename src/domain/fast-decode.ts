import { Effect, Either, Option, ParseResult, Schema, SchemaAST } from "effect"
import { isScalar, moveFields } from "./schema-parts.js"

/** What a fast path gives when it cannot say: Schema's own decoder decides, and words any error. */
const UNSURE: unique symbol = Symbol("UNSURE")
type Decode = (input: unknown) => unknown

const defaults = SchemaAST.defaultParseOption

/**
 * How a part is decoded: `strict` when excess keys are refused (`onExcessProperty: "error"`, which
 * the API's payloads ask for and which holds for every part below them), or by Schema itself when
 * its parse options change what a valid input decodes to in other ways (`errors` only changes how
 * a failure is told).
 */
type Mode = boolean | "schema"

const modeAt = (ast: SchemaAST.AST, strict: boolean): Mode => {
  const annotation = SchemaAST.getParseOptionsAnnotation(ast)
  if (Option.isNone(annotation)) return strict
  const options = annotation.value
  if (Object.keys(options).some((key) => key !== "errors" && key !== "onExcessProperty")) return "schema"
  switch (options.onExcessProperty) {
    case undefined:
      return strict
    case "error":
      return true
    case "ignore":
      return false
    default:
      return "schema"
  }
}

/** Decoders that are Schema's own, and those whose decoding involves one. */
const schemaDecoders = new WeakSet<Decode>()
const partlyBySchema = new WeakSet<Decode>()

/** Schema's own decoder for a part the fast path does not cover. */
const bySchema = (ast: SchemaAST.AST, strict: boolean): Decode => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast), { onExcessProperty: strict ? "error" : "ignore" })
  const decoder: Decode = (input) => {
    try {
      const result = decode(input)
      return Either.isRight(result) ? result.right : UNSURE
    } catch {
      // A part that needs an effect to decode.
      return UNSURE
    }
  }
  schemaDecoders.add(decoder)
  return decoder
}

const partsOf = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => {
  switch (ast._tag) {
    case "Refinement":
      return [ast.from]
    case "TupleType":
      return ast.rest.map((rest) => rest.type)
    case "TypeLiteral":
      return [...ast.propertySignatures.map((field) => field.type), ...ast.indexSignatures.map((index) => index.type)]
    case "Union":
      return ast.types
    case "Transformation":
      return [ast.from, ast.to]
    default:
      return []
  }
}

const asItself = (test: (input: unknown) => boolean): Decode => (input) => test(input) ? input : UNSURE

const isRecord = (input: unknown): input is Record<PropertyKey, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const decoders = [new WeakMap<SchemaAST.AST, Decode>(), new WeakMap<SchemaAST.AST, Decode>()] as const

/**
 * The decoding of `ast` as Schema's parser does it on valid input, in plain code: the same checks
 * (refinements are Schema's own filters), the same output (known fields only, in the Schema's
 * order), and UNSURE wherever the input fails or the part is one it does not cover, so that
 * Schema decides. Covered: keywords, literals, enums, refinements, arrays, records, records with
 * defaults or renamed fields, unions of scalars with at most one other member, and Schema's final
 * transformations whose decoding needs no effect (`Trim`).
 */
const decoderOf = (ast: SchemaAST.AST, strict: boolean): Decode => {
  const memo = decoders[strict ? 1 : 0]
  let decode = memo.get(ast)
  if (decode === undefined) {
    const mode = modeAt(ast, strict)
    decode = mode === "schema" ? bySchema(ast, strict) : build(ast, mode)
    memo.set(ast, decode)
    if (
      schemaDecoders.has(decode) ||
      (mode !== "schema" && partsOf(ast).some((part) => partlyBySchema.has(decoderOf(part, mode))))
    ) partlyBySchema.add(decode)
  }
  return decode
}

const build = (ast: SchemaAST.AST, strict: boolean): Decode => {
  switch (ast._tag) {
    case "Literal":
      return asItself((input) => input === ast.literal)
    case "UndefinedKeyword":
      return asItself((input) => input === undefined)
    case "StringKeyword":
      return asItself((input) => typeof input === "string")
    case "NumberKeyword":
      return asItself((input) => typeof input === "number")
    case "BooleanKeyword":
      return asItself((input) => typeof input === "boolean")
    case "Enums":
      return asItself((input) => ast.enums.some(([, value]) => value === input))
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "NeverKeyword":
      return () => UNSURE
    case "Refinement": {
      const from = decoderOf(ast.from, strict)
      return (input) => {
        const decoded = from(input)
        return decoded === UNSURE || Option.isSome(ast.filter(decoded, defaults, ast)) ? UNSURE : decoded
      }
    }
    case "TupleType":
      return ast.elements.length === 0 && ast.rest.length === 1
        ? arrayDecoder(decoderOf(ast.rest[0]!.type, strict))
        : bySchema(ast, strict)
    case "TypeLiteral":
      return recordDecoder(ast, strict)
    case "Union":
      return unionDecoder(ast, strict)
    case "Transformation":
      return transformationDecoder(ast, strict)
    default:
      return bySchema(ast, strict)
  }
}

const arrayDecoder = (decode: Decode): Decode => {
  return (input) => {
    if (!Array.isArray(input)) return UNSURE
    const output = new Array<unknown>(input.length)
    for (let i = 0; i < input.length; i++) {
      const decoded = decode(input[i])
      if (decoded === UNSURE) return UNSURE
      output[i] = decoded
    }
    return output
  }
}

const recordDecoder = (ast: SchemaAST.TypeLiteral, strict: boolean): Decode => {
  if (ast.indexSignatures.length > 0) return mapDecoder(ast, strict)
  // Schema takes any value but null and undefined for `{}`, and gives it back as it is.
  if (ast.propertySignatures.length === 0) return asItself((input) => input !== null && input !== undefined)
  const fields = ast.propertySignatures.map((field) => ({
    name: field.name,
    optional: field.isOptional,
    decode: decoderOf(field.type, strict)
  }))
  const known = new Set(fields.map((field) => field.name))
  return (input) => {
    if (!isRecord(input)) return UNSURE
    if (strict && Reflect.ownKeys(input).some((key) => !known.has(key))) return UNSURE
    const output: Record<PropertyKey, unknown> = {}
    for (const field of fields) {
      const present = Object.hasOwn(input, field.name)
      // A required field that is missing is decoded as undefined, as Schema does when not `exact`.
      if (!present && field.optional) continue
      const decoded = field.decode(input[field.name])
      if (decoded === UNSURE) return UNSURE
      output[field.name] = decoded
    }
    return output
  }
}

/** A record of any string keys (`Schema.Record({ key: Schema.String, ... })`), nothing else. */
const mapDecoder = (ast: SchemaAST.TypeLiteral, strict: boolean): Decode => {
  const [index, ...more] = ast.indexSignatures
  if (ast.propertySignatures.length > 0 || more.length > 0 || index!.parameter._tag !== "StringKeyword") {
    return bySchema(ast, strict)
  }
  const decode = decoderOf(index!.type, strict)
  return (input) => {
    if (!isRecord(input) || (strict && Object.getOwnPropertySymbols(input).length > 0)) return UNSURE
    const output: Record<string, unknown> = {}
    for (const key of Object.keys(input)) {
      const decoded = decode(input[key])
      if (decoded === UNSURE) return UNSURE
      output[key] = decoded
    }
    return output
  }
}

const unionDecoder = (ast: SchemaAST.Union, strict: boolean): Decode => {
  const scalars = ast.types.filter((member) => isScalar(member)).map((member) => decoderOf(member, strict))
  const others = ast.types.filter((member) => !isScalar(member))
  if (others.length > 1) return bySchema(ast, strict)
  const other = others.length === 1 ? decoderOf(others[0]!, strict) : undefined
  // A record or an array never competes with a scalar; anything else (a trimmed string) might, and
  // then which member wins is Schema's to say.
  const mayOverlap = others.length === 1 && !["TypeLiteral", "TupleType"].includes(SchemaAST.typeAST(others[0]!)._tag)
  return (input) => {
    const scalar = scalars.some((decode) => decode(input) !== UNSURE)
    if (other === undefined) return scalar ? input : UNSURE
    if (scalar) return mayOverlap && other(input) !== UNSURE ? UNSURE : input
    return other(input)
  }
}

const transformationDecoder = (ast: SchemaAST.Transformation, strict: boolean): Decode => {
  const from = decoderOf(ast.from, strict)
  const to = decoderOf(ast.to, strict)
  const transformation = ast.transformation
  switch (transformation._tag) {
    case "ComposeTransformation":
      return (input) => {
        const decoded = from(input)
        return decoded === UNSURE ? UNSURE : to(decoded)
      }
    case "FinalTransformation":
      return (input) => {
        const decoded = from(input)
        if (decoded === UNSURE) return UNSURE
        const transformed = transformation.decode(decoded, defaults, ast, input)
        return Either.isEither(transformed) && Either.isRight(transformed) ? to(transformed.right) : UNSURE
      }
    case "TypeLiteralTransformation": {
      const moves = transformation.propertySignatureTransformations
      // The moves change the record in place: it must be the one decoded here, not the caller's.
      const fresh = ast.from._tag === "TypeLiteral" && ast.from.propertySignatures.length > 0
      return (input) => {
        const decoded = from(input)
        if (decoded === UNSURE || !isRecord(decoded)) return UNSURE
        return to(moveFields(fresh ? decoded : { ...decoded }, moves, "decode"))
      }
    }
  }
}

/**
 * Schema's decoder, with the common case in plain code: Schema's parser builds an Either, an
 * issue list and candidates for every field and union it passes (about a third of what the inbound
 * path allocated). A valid input is decoded here to what Schema gives; any other, or a part this
 * does not cover, is decoded by Schema itself, so failures and their messages are Schema's.
 */
export const fastDecoderEither = <A, I>(
  schema: Schema.Schema<A, I>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const fast = decoderOf(schema.ast, false)
  const full = Schema.decodeUnknownEither(schema)
  return (input) => {
    const decoded = fast(input)
    return decoded === UNSURE ? full(input) : Either.right(decoded as A)
  }
}

/** `fastDecoderEither` as an Effect; Schema's fallback may need the services its Schema names. */
export const fastDecoder = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): (input: unknown) => Effect.Effect<A, ParseResult.ParseError, R> => {
  const fast = decoderOf(schema.ast, false)
  const full = Schema.decodeUnknown(schema)
  return (input) => {
    const decoded = fast(input)
    return decoded === UNSURE ? full(input) : Effect.succeed(decoded as A)
  }
}

/** Whether a valid value of `schema` is decoded in plain code throughout, no part left to Schema. */
export const decodedWholeInPlainCode = (schema: Schema.Schema.Any): boolean => {
  return !partlyBySchema.has(decoderOf(schema.ast, false))
}
