import { String } from "effect"

/**
 * A conversion remembered per key, forgotten all at once past `bound` keys (which only guards
 * against keys made from data, `SELECT … AS` a caller would build). Names are its first use: field
 * and column names come from our own Schemas and tables, a few hundred in all, yet every row read
 * converts each of its column names and every statement its identifiers; converted afresh, a
 * 24-column row cost about 4.6 µs and two dozen short-lived strings, against 1.3 µs looked up.
 */
export const remembered = <A>(convert: (name: string) => A, bound = 10_000) => {
  const known = new Map<string, A>()
  return (name: string): A => {
    let converted = known.get(name)
    if (converted === undefined) {
      converted = convert(name)
      if (known.size >= bound) known.clear()
      known.set(name, converted)
    }
    return converted
  }
}

/** A TypeScript field's column name: `partySize` → `party_size`. */
export const columnName = remembered(String.camelToSnake)

/** A column's TypeScript field name: `party_size` → `partySize`. */
export const fieldName = remembered(String.snakeToCamel)
