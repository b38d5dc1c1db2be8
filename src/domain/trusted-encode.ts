import { Effect, Schema, SchemaAST } from "effect"
import { EncodesAsItself, isScalar, moveFields } from "./schema-parts.js"

/**
 * Schema's string transformations whose encoding is `identity`: a value they decoded (trimmed,
 * lower-cased) encodes as it is. Known by their transformation, which every use of them shares.
 */
const encodedAsThey: ReadonlySet<unknown> = new Set(
  [Schema.Trim, Schema.Lowercase, Schema.Uppercase].map((schema) =>
    (schema.ast as SchemaAST.Transformation).transformation
  )
)

/** How a valid value is encoded without Schema: given back, or rebuilt from its parts. */
type Encode = (value: unknown) => unknown

const asItself: Encode = (value) => value

/** A scalar, or a string transformation whose encoding gives it back (`Trim`). */
const encodesAsScalar = (ast: SchemaAST.AST): boolean =>
  isScalar(
    ast,
    (part) =>
      part._tag === "Transformation" && encodedAsThey.has(part.transformation) && encodesAsScalar(part.from) &&
      encodesAsScalar(part.to)
  )

/**
 * How to encode a valid value of `ast` as Schema would, without Schema: strings, numbers, booleans,
 * literals and unknown values, their refinements and the transformations above are given back;
 * arrays and records are rebuilt from their elements and known fields, other keys left out as the
 * encoder leaves them, and `Record({ key: String, value })` from every key; a union holds scalars and at most one array or
 * record; a record with defaults as below. Anything else (a Date, a number from a string, an
 * Option) has none: Schema encodes it.
 */
const encoderOf = (ast: SchemaAST.AST): Encode | undefined => {
  if (encodesAsScalar(ast)) return asItself
  switch (ast._tag) {
    case "UnknownKeyword":
    case "AnyKeyword":
      return asItself
    case "Refinement":
      return encoderOf(ast.from)
    case "Transformation":
      return ast.annotations[EncodesAsItself] === true ? encoderOf(ast.from) : recordTransformationEncoder(ast)
    case "Union": {
      const members = ast.types.map(encoderOf)
      if (members.every((member) => member === asItself)) return asItself
      const others = ast.types.filter((member) => !encodesAsScalar(member))
      if (others.length > 1 || members.includes(undefined)) return undefined
      const encode = encoderOf(others[0]!)!
      return (value) => (typeof value === "object" && value !== null ? encode(value) : value)
    }
    case "TupleType": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const element = encoderOf(ast.rest[0]!.type)
      if (element === undefined || element === asItself) return element
      return (value) => (value as ReadonlyArray<unknown>).map(element)
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) return recordOfStringsEncoder(ast)
      const fields: Array<readonly [string, Encode]> = []
      for (const field of ast.propertySignatures) {
        const encode = typeof field.name === "string" ? encoderOf(field.type) : undefined
        if (encode === undefined) return undefined
        fields.push([field.name as string, encode])
      }
      return (value) => {
        const record = value as Record<string, unknown>
        const encoded: Record<string, unknown> = {}
        for (const [name, encode] of fields) {
          const field = record[name]
          if (field !== undefined) encoded[name] = encode(field)
        }
        return encoded
      }
    }
    default:
      return undefined
  }
}

/** `Schema.Record({ key: Schema.String, value })`, and no named field: each key's value encoded. */
const recordOfStringsEncoder = (ast: SchemaAST.TypeLiteral): Encode | undefined => {
  const [signature, ...others] = ast.indexSignatures
  if (others.length > 0 || ast.propertySignatures.length > 0 || signature!.parameter._tag !== "StringKeyword") {
    return undefined
  }
  const encode = encoderOf(signature!.type)
  if (encode === undefined) return undefined
  return (value) => {
    const record = value as Record<string, unknown>
    const encoded: Record<string, unknown> = {}
    for (const key of Object.keys(record)) encoded[key] = encode(record[key])
    return encoded
  }
}

/**
 * A record whose fields have defaults, or are renamed, is a transformation between two records:
 * its fields are encoded on one side, moved and filled by Schema's own property transformations
 * (a default's encoding gives the value back), and encoded on the other side, as Schema does.
 */
const recordTransformationEncoder = (ast: SchemaAST.Transformation): Encode | undefined => {
  if (ast.transformation._tag !== "TypeLiteralTransformation") return undefined
  const [typeSide, encodedSide] = [encoderOf(ast.to), encoderOf(ast.from)]
  // The type side must make a new record: the property transformations change it in place.
  if (ast.to._tag !== "TypeLiteral" || typeSide === undefined || encodedSide === undefined) return undefined
  const moves = ast.transformation.propertySignatureTransformations
  return (value) => {
    return encodedSide(moveFields(typeSide(value) as Record<PropertyKey, unknown>, moves, "encode"))
  }
}

/** Whether `ast`'s valid values are encoded here rather than by Schema. */
export const encodesWithoutSchema = (ast: SchemaAST.AST): boolean => encoderOf(ast) !== undefined

/**
 * The encoder for values whose validity is already known: a record the service has just decoded
 * with the same Schema (a write's answer, read back from its table), or one whose stored form is
 * decoded again wherever it is read. Encoding would run every field's checks only to give the same
 * fields back (about 19 µs and 35 kB of short-lived objects per reservation): when the Schema
 * encodes a value as its own fields, they are taken as they are, and any other key left out, as
 * the encoder would. Every other Schema is encoded in full, its checks included.
 */
export const trustedEncoder = <A, I>(schema: Schema.Schema<A, I>): (value: A) => Effect.Effect<I, unknown> => {
  const encode = encoderOf(schema.ast)
  if (encode === undefined) return Schema.encode(schema)
  return (value) => Effect.sync(() => encode(value) as I)
}

/** `trustedEncoder`, run at once: Schema's own encoding throws on an invalid value as `encodeSync` does. */
export const trustedEncoderSync = <A, I>(schema: Schema.Schema<A, I>): (value: A) => I => {
  const encode = encoderOf(schema.ast)
  return encode === undefined ? Schema.encodeSync(schema) : (value) => encode(value) as I
}
