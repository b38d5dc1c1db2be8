import { Schema } from "effect"

// Schema.parseJson builds a new schema on every call, and a new schema has its parser compiled
// again on first use: per webhook, that showed up as a hot spot. One per schema, kept here.
const jsonSchemas = new WeakMap<Schema.Schema.Any, Schema.Schema.Any>()

/** `Schema.parseJson(schema)`, built once per schema (decoders are then compiled once too). */
export const jsonText = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, string> => {
  let json = jsonSchemas.get(schema)
  if (json === undefined) {
    json = Schema.parseJson(schema)
    jsonSchemas.set(schema, json)
  }
  return json as Schema.Schema<A, string>
}
