import { Data, Effect } from "effect"

/**
 * Why the embedded PostgreSQL could not start or stop, in one line, and what the operator can do
 * about it: the service prints both on one line and no stack trace (issue #19).
 */
export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
  readonly remedy?: string | undefined
}> {}

export const remedyDefault = "set DATABASE_URL to use a PostgreSQL server of your own instead"

/** The last meaningful line of a tool's output (initdb and postgres print several). */
export const lastLine = (text: string): string => {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "")
  const significant = lines.filter((l) => /\b(FATAL|PANIC|ERROR|error):/.test(l))
  return (significant.at(-1) ?? lines.at(-1) ?? "").slice(0, 500)
}

const describe = (e: unknown): string => {
  if (!(e instanceof Error)) return lastLine(String(e))
  // execFile's errors carry the command line first, the tool's own words on stderr.
  const stderr = (e as { readonly stderr?: unknown }).stderr
  return typeof stderr === "string" && stderr.trim() !== "" ? lastLine(stderr) : lastLine(e.message)
}

export const tryPromise = <A>(what: string, f: () => Promise<A>, remedy?: string) =>
  Effect.tryPromise({
    try: f,
    catch: (e) => new EmbeddedPostgresError({ message: `${what}: ${describe(e)}`, remedy })
  })
