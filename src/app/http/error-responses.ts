import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { SqlError } from "@effect/sql/SqlError"
import { Cause, Effect, Option, ParseResult } from "effect"
import { type Issue, issuesOf } from "../validation-issues.js"
import { allowedMethods, maxPathParameterLength, overlongParameters } from "./allowed-methods.js"

const sqlStateOf = (error: SqlError) =>
  typeof error.cause === "object" && error.cause !== null && "code" in error.cause ? String(error.cause.code) : ""

/**
 * PostgreSQL's class 22: the data itself was refused (SQLSTATE 22xxx), not the database down.
 * The answer says which kind of value it was, as far as the code tells.
 */
export const dataExceptionMessage = (error: SqlError): string | undefined => {
  const code = sqlStateOf(error)
  if (!code.startsWith("22")) return undefined
  switch (code) {
    case "22021": // character_not_in_repertoire: a NUL byte
    case "22P05": // untranslatable_character: a lone surrogate in jsonb
      return "a value contains characters that cannot be stored"
    case "22007": // invalid_datetime_format
    case "22008": // datetime_field_overflow
      return "a date or time is outside what can be stored"
    case "22003": // numeric_value_out_of_range
      return "a number is outside what can be stored"
    default:
      return "a value cannot be stored as given"
  }
}

const json = (status: number, body: Record<string, unknown>, headers?: Readonly<Record<string, string>>) =>
  HttpServerResponse.json(body, { status, ...(headers === undefined ? {} : { headers }) }).pipe(Effect.orDie)

/** A JSON answer written below the HttpApi router (the ingresses): status, body, extra headers. */
export interface JsonReply {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** A status and JSON body, for failures answered outside the API's typed errors. */
export interface ErrorReply extends JsonReply {
  readonly body: Readonly<Record<string, unknown>>
}

/** What a defect answers: nothing of its cause reaches the caller. */
export const internalError: ErrorReply = { status: 500, body: { _tag: "InternalError", message: "internal error" } }

/** Worth trying again: the database is out of reach (a restart, a failover). `Retry-After` tells a client when. */
export const storageUnavailable: ErrorReply = {
  status: 503,
  body: { _tag: "Unavailable", message: "storage unavailable, try again shortly" },
  headers: { "retry-after": "5" }
}

const reply = (status: number, body: Readonly<Record<string, unknown>>): Option.Option<ErrorReply> =>
  Option.some({ status, body })

/** A validation failure naming fields and rules, never values (issue 17). */
const validationReply = (issues: ReadonlyArray<Issue>) =>
  reply(400, {
    _tag: "ValidationError",
    message: issues.length === 0
      ? "the request does not match the API"
      : `the request does not match the API: ${
        issues.slice(0, 5).map((issue) => `${issue.path === "" ? "body" : issue.path}: ${issue.message}`).join("; ")
      }`,
    issues
  })

/**
 * R-9.3 for what the API definition does not cover: malformed bodies, unknown routes and defects
 * answer JSON in the same `{ _tag, message }` shape, and never a stack trace. None for typed
 * failures and interruptions, which the caller answers itself.
 */
export const replyForCause = (cause: Cause.Cause<unknown>): Effect.Effect<Option.Option<ErrorReply>> => {
  const error = Cause.squash(cause)
  if (error instanceof HttpApiError.HttpApiDecodeError) {
    return Effect.succeed(validationReply(issuesOf(error.issues)))
  }
  // A request that does not decode is the caller's error. A stored row or an answer that does not
  // is the service's (a defect): a 500, logged, never a 400 blaming a request that was valid.
  if (ParseResult.isParseError(error) && Option.isNone(Cause.dieOption(cause))) {
    return Effect.succeed(validationReply(issuesOf(ParseResult.ArrayFormatter.formatErrorSync(error))))
  }
  if (error instanceof HttpServerError.RouteNotFound) {
    // The path only: a query string may hold a token (a webhook URL's `?token=`).
    const path = error.request.url.split("?", 1)[0] ?? ""
    const overlong = overlongParameters(error.request.method, path)
    if (overlong.length > 0) {
      return Effect.succeed(validationReply(overlong.map((name) => ({
        path: name,
        message: `must be at most ${maxPathParameterLength} characters`
      }))))
    }
    const allowed = allowedMethods(path)
    if (allowed.length > 0) {
      return Effect.succeed(Option.some({
        status: 405,
        body: {
          _tag: "MethodNotAllowed",
          message: `${error.request.method} is not allowed here, only ${allowed.join(", ")}`,
          allowed
        },
        headers: { allow: allowed.join(", ") }
      }))
    }
    return Effect.succeed(reply(404, { _tag: "NotFound", message: "no such route", resource: "route", id: path }))
  }
  if (error instanceof HttpServerError.RequestError) {
    return Effect.succeed(
      reply(400, { _tag: "ValidationError", message: "the request body could not be read as JSON", issues: [] })
    )
  }
  // Typed failures of the API (NotFound, ValidationError, ...) are encoded by HttpApi itself.
  if (Option.isSome(Cause.failureOption(cause)) || Cause.isInterruptedOnly(cause)) return Effect.succeed(Option.none())
  // A value PostgreSQL cannot store (a NUL byte, a lone surrogate in jsonb) is the caller's
  // error, and nothing was written: retrying it can never succeed.
  const refusedData = error instanceof SqlError ? dataExceptionMessage(error) : undefined
  if (refusedData !== undefined) {
    return Effect.succeed(reply(400, { _tag: "ValidationError", message: refusedData, issues: [] }))
  }
  // Hostile input that the decoders cannot even describe (10,000 levels of nesting).
  if (error instanceof RangeError) {
    return Effect.succeed(
      reply(400, { _tag: "ValidationError", message: "the request body is nested too deeply", issues: [] })
    )
  }
  if (error instanceof SqlError) {
    return Effect.as(Effect.logError("storage unavailable", cause), Option.some(storageUnavailable))
  }
  return Effect.as(Effect.logError("unhandled request failure", cause), Option.some(internalError))
}

export const ErrorResponsesLive = HttpApiBuilder.middleware((app) =>
  Effect.catchAllCause(app, (cause) =>
    Effect.flatMap(
      replyForCause(cause),
      Option.match({
        onNone: () => Effect.failCause(cause),
        onSome: ({ body, headers, status }) => json(status, body, headers)
      })
    ))
)
