/** One field of a refused request and the rule it breaks. */
export interface Issue {
  readonly path: string
  readonly message: string
}

/**
 * Schema names an object by its AST ("Struct (Encoded side)", "{ readonly [x: string]: unknown }"),
 * which tells a client of a JSON API nothing: an empty body or an array where an object belongs
 * reads "Expected a JSON object".
 */
const plainType = (type: string) =>
  /^Struct \((Encoded|Type) side\)$/.test(type) || /^\{[\s\S]*\}$/.test(type) ? "a JSON object" : type

/**
 * Issue 17: a rule's message without the value it refused, which may be a secret (a webhook secret
 * in a field of the wrong type, a whole text/plain body). Effect's messages put the value after
 * "actual" or inside "Unable to decode ... into"; our own messages name the rule only.
 */
export const withoutValue = (message: string): string => {
  const expected = /^Expected ([\s\S]*?), actual [\s\S]*$/.exec(message)
  if (expected !== null) return `Expected ${plainType(expected[1]!)}`
  const decoded = /^Unable to decode [\s\S]* into (an? [\w.]+)/.exec(message)
  if (decoded !== null) return `Expected ${decoded[1]}`
  if (message === "is missing" || message.startsWith("is unexpected")) return message
  // An unknown message that quotes something may quote the value.
  return message.includes("\"") ? "is invalid" : message
}

const expected = "Expected "

/**
 * A union that refuses a value reports each of its members: one field of five platforms read as
 * five issues, and an optional field as its rule plus "Expected undefined". A field is one issue:
 * leaving an optional field out is never the fix asked for, and alternatives read as one rule.
 */
const oneIssuePerField = (issues: ReadonlyArray<Issue>): ReadonlyArray<Issue> => {
  const byPath = new Map<string, Array<string>>()
  for (const issue of issues) {
    const messages = byPath.get(issue.path) ?? []
    if (!messages.includes(issue.message)) messages.push(issue.message)
    byPath.set(issue.path, messages)
  }
  const elsewhereBelow = (path: string) =>
    issues.some((issue) => issue.path !== path && (path === "" || issue.path.startsWith(`${path}.`)))
  return [...byPath].flatMap(([path, messages]) => {
    const others = messages.filter((message) => message !== `${expected}undefined`)
    const kept = others.length > 0 || elsewhereBelow(path) ? others : messages
    if (kept.length === 0) return []
    const message = kept.length > 1 && kept.every((m) => m.startsWith(expected))
      ? `${expected}${kept.map((m) => m.slice(expected.length)).join(" or ")}`
      : kept.join("; ")
    return [{ path, message }]
  })
}

/** Schema's issues as the API names them: a dotted path and a rule, one per field, no value. */
export const issuesOf = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
): ReadonlyArray<Issue> =>
  oneIssuePerField(
    issues.map((issue) => ({ path: issue.path.map(String).join("."), message: withoutValue(issue.message) }))
  )
