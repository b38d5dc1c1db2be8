import { Schema } from "effect"

// A decoder is compiled once per schema: Schema.parseJson builds a new schema on every call, and
// a new schema means its parser is compiled again, which showed up as a hot spot under load.
const decoders = new WeakMap<Schema.Schema.AnyNoContext, (input: unknown) => unknown>()

/** Decodes a JSON text with `schema`; the compiled decoder is kept per schema. */
export const decodeJsonText = <A, I>(schema: Schema.Schema<A, I>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknown(Schema.parseJson(schema))
    decoders.set(schema, decode)
  }
  return decode as (input: unknown) => ReturnType<ReturnType<typeof Schema.decodeUnknown<A, I, never>>>
}

/** The same for `Schema.decodeUnknownEither`. */
const eitherDecoders = new WeakMap<Schema.Schema.AnyNoContext, (input: unknown) => unknown>()
export const decodeJsonTextEither = <A, I>(schema: Schema.Schema<A, I>) => {
  let decode = eitherDecoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
    eitherDecoders.set(schema, decode)
  }
  return decode as (input: unknown) => ReturnType<ReturnType<typeof Schema.decodeUnknownEither<A, I>>>
}
