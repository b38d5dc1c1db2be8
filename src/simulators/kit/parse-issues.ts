import { ParseResult } from "effect"

/**
 * A refused body's issues on one line, `items.0.unit_price is missing; …`, the way a platform's 400
 * names fields: Schema's tree format spells out the whole expected type before the one field at fault.
 */
export const issuesLine = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length === 0 ? "body" : issue.path.join(".")} ${issue.message}`)
    .join("; ")
