import { Data, Effect, Either, ParseResult, Schema } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"
import { issuesLine } from "../kit/parse-issues.js"

/** TheFork's documented error envelope: `{statusCode, error, data: {code}}`; `code` is "" on 401. */
const phrases: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests"
}

export const errorReply = (
  status: number,
  code = "",
  headers: Readonly<Record<string, string>> = {},
  extra: Readonly<Record<string, string>> = {}
): SimReply =>
  json(status, {
    statusCode: status,
    error: phrases[status] ?? (status >= 500 ? "Internal Server Error" : "Error"),
    data: { code },
    ...extra
  }, headers)

/**
 * A refused operation and the envelope it is answered with. `detail` names what was wrong with a
 * body: the API's envelope has no place for it, a control route's answer adds it as `message`.
 */
export class TheForkRejected extends Data.TaggedError("TheForkRejected")<{
  readonly status: number
  readonly code: string
  readonly detail?: string
}> {}

/** A control route's refusal: TheFork's envelope, and what a test's driver needs to mend its call. */
export const controlErrorReply = (e: TheForkRejected): SimReply =>
  errorReply(e.status, e.code, {}, e.detail === undefined ? {} : { message: e.detail })

export const rejection = (status: number, code: string) => new TheForkRejected({ status, code })
export const reject = (status: number, code: string) => Effect.fail(rejection(status, code))

/** ASSUMPTION: the spec publishes no code for a malformed request; this one names it. */
export const BAD_REQUEST = "BAD_REQUEST"

export const fromEither = <A>(e: Either.Either<A, TheForkRejected>): Effect.Effect<A, TheForkRejected> =>
  Either.match(e, { onLeft: Effect.fail, onRight: Effect.succeed })

/** Strict, as the spec's `additionalProperties: false`: an unknown field is a 400 too. */
export const decodeStrict = <A, I>(schema: Schema.Schema<A, I>, value: unknown): Effect.Effect<A, TheForkRejected> =>
  Schema.decodeUnknown(schema, { onExcessProperty: "error", errors: "all" })(value).pipe(
    Effect.mapError((error: ParseResult.ParseError) =>
      new TheForkRejected({ status: 400, code: BAD_REQUEST, detail: issuesLine(error) })
    )
  )

export const parseJsonBody = (body: string): Effect.Effect<unknown, TheForkRejected> =>
  Effect.try({
    try: () => (body.trim() === "" ? undefined : (JSON.parse(body) as unknown)),
    catch: () => new TheForkRejected({ status: 400, code: BAD_REQUEST, detail: "body is not JSON" })
  })
