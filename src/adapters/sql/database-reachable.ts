import { Data, Duration, Effect, Redacted, Schedule } from "effect"
import pg from "pg"

/** The database cannot be reached, or refuses the service: one line, no password, no stack. */
export class DatabaseUnreachable extends Data.TaggedError("DatabaseUnreachable")<{ readonly message: string }> {}

const DUMMY_HOST = "socket.invalid"

const urlOf = (text: string) => (URL.canParse(text) ? new URL(text) : undefined)

/**
 * A PostgreSQL URL as the driver reads it: `postgres://user:password@/db?host=/run/postgresql`
 * (a Unix socket, no host) is no WHATWG URL, so it is read with a stand-in host, as pg does.
 * Undefined when it is no postgres URL at all.
 */
export const parseDatabaseUrl = (text: string): { readonly url: URL; readonly host: string } | undefined => {
  const url = urlOf(text) ?? urlOf(text.replace("@/", `@${DUMMY_HOST}/`))
  if (url === undefined || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) return undefined
  const hostname = url.hostname === DUMMY_HOST ? "" : url.hostname
  const host = hostname !== "" ? hostname : url.searchParams.get("host") ?? ""
  return host === "" ? undefined : { url, host }
}

/** The role a URL connects as, empty when it names none. */
export const roleOf = (url: Redacted.Redacted): string => {
  const parsed = parseDatabaseUrl(Redacted.value(url))
  return parsed === undefined ? "" : decodeURIComponent(parsed.url.username)
}

/** Where a URL points, without its password: `user@host:port/database`. */
export const describeDatabase = (url: Redacted.Redacted): string => {
  const parsed = parseDatabaseUrl(Redacted.value(url))
  if (parsed === undefined) return "DATABASE_URL (not a postgres URL)"
  const role = roleOf(url)
  return `${role === "" ? "" : `${role}@`}${parsed.host}:${
    parsed.url.port === "" ? "5432" : parsed.url.port
  }${parsed.url.pathname}`
}

// What may pass while the database starts (beside the service in a compose file, say): refused or
// unanswered connections, a name not resolved yet, PostgreSQL saying it is starting up (57P03).
const passing = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "57P03"])

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { readonly code?: unknown } | undefined)?.code
  if (typeof code === "string") return code
  // pg's own connection time-out carries no code.
  return e instanceof Error && /timeout/i.test(e.message) ? "ETIMEDOUT" : undefined
}

const mayPass = (e: unknown) => passing.has(codeOf(e) ?? "")

const words: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "no answer",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (yet)",
  EHOSTUNREACH: "host unreachable"
}

/** PostgreSQL's own words (`password authentication failed for user "x"`), or the network error's. */
const reasonOf = (e: unknown): string => {
  const code = codeOf(e)
  if (code !== undefined && words[code] !== undefined) return words[code]
  return e instanceof Error && e.message !== "" ? e.message : String(e)
}

/** Tries one connection (at most `attemptTimeout`), closing it in any case. */
const tryOnce = (url: Redacted.Redacted, attemptTimeout: Duration.Duration) =>
  Effect.tryPromise({
    try: async () => {
      const client = new pg.Client({
        connectionString: Redacted.value(url),
        connectionTimeoutMillis: Duration.toMillis(attemptTimeout)
      })
      // An error after connect (the server going away) must not crash the process.
      client.on("error", () => {})
      try {
        await client.connect()
        await client.query("SELECT 1")
      } finally {
        await client.end().catch(() => {})
      }
    },
    catch: (e) => e
  })

/**
 * Waits until the database accepts a connection: up to `wait` while the failure may pass (said
 * once, when the wait begins), at once when it will not (a wrong password, no such database).
 */
export const awaitDatabase = (url: Redacted.Redacted, wait: Duration.Duration) =>
  Effect.suspend(() => {
    const where = describeDatabase(url)
    let waiting = false
    return tryOnce(url, Duration.seconds(5)).pipe(
      Effect.tapError((e) => {
        if (waiting || !mayPass(e)) return Effect.void
        waiting = true
        return Effect.logWarning(`waiting up to ${Duration.format(wait)} for the database at ${where}: ${reasonOf(e)}`)
      }),
      Effect.retry({ schedule: Schedule.spaced("1 second").pipe(Schedule.upTo(wait)), while: mayPass }),
      Effect.mapError((e) =>
        new DatabaseUnreachable({
          message: `cannot connect to the database at ${where}: ${reasonOf(e)}${
            mayPass(e) ? ` (waited ${Duration.format(wait)})` : ""
          }`
        })
      )
    )
  })
