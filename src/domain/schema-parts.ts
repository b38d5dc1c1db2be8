import { Option, type Schema, type SchemaAST } from "effect"

/**
 * Annotates a transformation whose encoding gives its decoded value back (`Tags`: a list decoded
 * without its duplicates): the trusted encoder encodes such a value as its `from` side would.
 */
export const EncodesAsItself: unique symbol = Symbol.for("alloresto-sync/EncodesAsItself")

/**
 * Whether `ast` takes only values no record or array can be (strings, numbers, booleans, literals,
 * undefined, their refinements and unions), which it decodes and encodes as they are: in a union,
 * such a member never competes with a record for a value. `alsoScalar` admits other parts the
 * caller knows to keep a scalar as it is (a string transformation whose encoding is identity).
 */
export const isScalar = (ast: SchemaAST.AST, alsoScalar: (ast: SchemaAST.AST) => boolean = () => false): boolean => {
  switch (ast._tag) {
    case "Literal":
    case "UndefinedKeyword":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "Enums":
    case "TemplateLiteral":
      return true
    case "Refinement":
      return isScalar(ast.from, alsoScalar)
    case "Union":
      return ast.types.every((member) => isScalar(member, alsoScalar))
    default:
      return alsoScalar(ast)
  }
}

/**
 * A record's fields moved and filled by Schema's own property transformations (renamed keys,
 * defaults), in place and in the direction asked, as Schema's parser applies them between the two
 * records of a `TypeLiteralTransformation`.
 */
export const moveFields = (
  record: Record<PropertyKey, unknown>,
  moves: ReadonlyArray<SchemaAST.PropertySignatureTransformation>,
  direction: "decode" | "encode"
) => {
  for (const move of moves) {
    const [from, to] = direction === "decode" ? [move.from, move.to] : [move.to, move.from]
    const moved = move[direction](Object.hasOwn(record, from) ? Option.some(record[from]) : Option.none())
    delete record[from]
    if (Option.isSome(moved)) record[to] = moved.value
  }
  return record
}

/**
 * `make(schema)`, made once per schema and kept while the schema lives. What is built from a
 * Schema (a derived schema, a compiled decoder) is compiled again for each new schema, so a
 * decoder or list schema made on every call compiled its parser on every call.
 */
export const oncePerSchema = <V>(
  make: (schema: Schema.Schema<any, any>) => V
): (schema: Schema.Schema<any, any>) => V => {
  const made = new WeakMap<Schema.Schema<any, any>, V>()
  return (schema) => {
    let value = made.get(schema)
    if (value === undefined) {
      value = make(schema)
      made.set(schema, value)
    }
    return value
  }
}
