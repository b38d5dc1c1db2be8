import { ParseResult } from "effect"

/**
 * A refused body's issues on one line, `items.0.unit_price is missing; …`, the way a platform's 400
 * names fields: Schema's tree format spells out the whole expected type before the one field at fault.
 * A nullable or optional value also fails its `null` or `undefined` member: those issues are left
 * out when there are others, which say what is wrong with the value sent.
 */
export const issuesLine = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const telling = issues.filter((issue) => !/^Expected (null|undefined),/.test(issue.message))
  return (telling.length === 0 ? issues : telling)
    .map((issue) => `${issue.path.length === 0 ? "body" : issue.path.join(".")} ${issue.message}`)
    .join("; ")
}
