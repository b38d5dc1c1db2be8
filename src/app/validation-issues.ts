import { ParseResult } from "effect"

/** One field of a refused request and the rule it breaks. */
export interface Issue {
  readonly path: string
  readonly message: string
}

const jsonNames: Readonly<Record<string, string>> = { string: "a string", number: "a number", boolean: "a boolean" }

/**
 * Schema names a type by its AST ("Struct (Encoded side)", "{ readonly [x: string]: unknown }",
 * "ReadonlyArray<nonEmptyString & maxLength(100)>"), which tells a client of a JSON API nothing: an
 * empty body or an array where an object belongs reads "Expected a JSON object", a string where a
 * list belongs "Expected an array" (what its items must be is said when one of them is wrong).
 */
const plainType = (type: string) => {
  if (/^Struct \((Encoded|Type) side\)$/.test(type) || /^\{[\s\S]*\}$/.test(type)) return "a JSON object"
  if (/^readonly \[[\s\S]*, \.\.\.[\s\S]*\[\]\]$/.test(type)) return "a non-empty array"
  if (/^(Readonly)?Array<[\s\S]*>$/.test(type) || /^readonly \[[\s\S]*\]$/.test(type)) return "an array"
  return jsonNames[type] ?? type
}

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
  if (message === "is missing") return message
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
    const rules = kept.filter((m) => m !== `${expected}null`)
    // A nullable field's rule ("must be an email address") and null read as one rule too.
    const message = kept.length > 1 && kept.every((m) => m.startsWith(expected))
      ? `${expected}${kept.map((m) => m.slice(expected.length)).join(" or ")}`
      : rules.length < kept.length
      ? `${rules.join("; ")}, or null`
      : kept.join("; ")
    return [{ path, message }]
  })
}

const comparable = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "")

/**
 * Schema lists every field the object has ("is unexpected, expected: "partySize" | …", twenty of them
 * for a reservation); the API names the one meant when the name differs only in case or separators
 * (`party_size`, `partysize` for `partySize`).
 */
const unexpectedField = (name: string, message: string) => {
  const meant = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1]!)
    .find((field) => comparable(field) === comparable(name))
  return meant === undefined
    ? "is not a field of this request"
    : `is not a field of this request; did you mean ${meant}?`
}

/** Schema's issues as the API names them: a dotted path and a rule, one per field, no value. */
export const issuesOf = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
): ReadonlyArray<Issue> =>
  oneIssuePerField(
    issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message.startsWith("is unexpected")
        ? unexpectedField(String(issue.path.at(-1) ?? ""), issue.message)
        : withoutValue(issue.message)
    }))
  )

/** A refused value's issues on one line, as a log line or an audit line gives them: `field: rule; …`. */
export const issuesLine = (error: ParseResult.ParseError): string =>
  issuesOf(ParseResult.ArrayFormatter.formatErrorSync(error)).map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ")
