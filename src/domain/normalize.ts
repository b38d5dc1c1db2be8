/**
 * Free-text tags (allergies, dietary restrictions) arrive spelled differently by each side:
 * "Gluten " and "gluten" are the same allergy.
 */
export const tagKey = (tag: string): string => tag.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase()

/** Trimmed, without empty entries or duplicates; the first spelling of each tag is kept. */
export const normalizeTags = (tags: Iterable<string>): ReadonlyArray<string> => {
  const seen = new Map<string, string>()
  for (const tag of tags) {
    const key = tagKey(tag)
    if (key !== "" && !seen.has(key)) seen.set(key, tag.trim())
  }
  return [...seen.values()]
}

/** Structural equality of plain data (primitives, arrays, plain objects), as stored fields are. */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]))
  }
  return false
}

const isPlainObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && Object.getPrototypeOf(u) === Object.prototype

/** The same record without its undefined fields: "not said" must never read as "cleared". */
export const definedFields = <A extends object>(fields: A): A =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as A
