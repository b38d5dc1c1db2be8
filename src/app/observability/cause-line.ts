import { Cause } from "effect"

/**
 * A failure as one log line: its error's tag or name and message, without the stack trace (which
 * names files of the install and repeats at every occurrence). Issue 19: an operator reads one
 * line per failed job or restart.
 */
export const causeLine = (cause: Cause.Cause<unknown>): string => {
  if (Cause.isInterruptedOnly(cause)) return "interrupted"
  const error = Cause.squash(cause)
  if (error instanceof Error) {
    const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : error.name
    return firstLine(`${error.message === "" ? tag : `${tag}: ${error.message}`}${reasonOf(error.cause)}`)
  }
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const message = "message" in error && typeof error.message === "string" ? `: ${error.message}` : ""
    return firstLine(`${String(error._tag)}${message}`)
  }
  return firstLine(String(error))
}

// A wrapper's own message says little ("Failed to execute statement"): the database's reason,
// such as the constraint a row broke, is what an operator acts on. Its detail (the row's values)
// is left out.
const reasonOf = (cause: unknown): string => cause instanceof Error && cause.message !== "" ? ` (${cause.message})` : ""

const firstLine = (text: string) => text.split("\n", 1)[0]!.slice(0, 500)
