import { Data, Effect, Either, ParseResult, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { SimReply } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"

/** An error answer, shaped like ASP.NET Core ProblemDetails (ASSUMPTION: Formitable publishes none). */
export interface Problem {
  readonly status: number
  readonly title: string
  readonly detail?: string
  readonly errors?: Readonly<Record<string, ReadonlyArray<string>>>
}

const typeFor: Record<number, string> = {
  400: "https://tools.ietf.org/html/rfc7231#section-6.5.1",
  401: "https://tools.ietf.org/html/rfc7235#section-3.1",
  403: "https://tools.ietf.org/html/rfc7231#section-6.5.3",
  404: "https://tools.ietf.org/html/rfc7231#section-6.5.4",
  405: "https://tools.ietf.org/html/rfc7231#section-6.5.5",
  429: "https://tools.ietf.org/html/rfc6585#section-4"
}

export const problemReply = (problem: Problem, headers: Readonly<Record<string, string>> = {}): SimReply =>
  json(
    problem.status,
    {
      type: typeFor[problem.status] ?? "https://tools.ietf.org/html/rfc7231#section-6.6.1",
      title: problem.title,
      status: problem.status,
      ...(problem.detail === undefined ? {} : { detail: problem.detail }),
      ...(problem.errors === undefined ? {} : { errors: problem.errors }),
      traceId: `00-${randomUUID().replaceAll("-", "")}-01`
    },
    { "content-type": "application/problem+json; charset=utf-8", ...headers }
  )

export const validationProblem = (errors: Readonly<Record<string, ReadonlyArray<string>>>): Problem => ({
  status: 400,
  title: "One or more validation errors occurred.",
  errors
})

export const fieldProblem = (field: string, message: string): Problem => validationProblem({ [field]: [message] })

export const notFound = (detail: string): Problem => ({ status: 404, title: "Not Found", detail })

/** ASP.NET names fields in PascalCase in `errors`; `$` stands for the body itself. */
const fieldName = (path: ReadonlyArray<PropertyKey>) => {
  const head = path[0]
  if (head === undefined) return "$"
  const text = String(head)
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export const fromParseError = (error: ParseResult.ParseError): Problem => {
  const errors: Record<string, Array<string>> = {}
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const field = fieldName(issue.path)
    const message = issue._tag === "Missing" ? `The ${field} field is required.` : issue.message
    errors[field] = [...(errors[field] ?? []), message]
  }
  return validationProblem(errors)
}

/** A refused operation, carrying the ProblemDetails the HTTP API answers for it. */
export class ZenchefRejected extends Data.TaggedError("ZenchefRejected")<{ readonly problem: Problem }> {}

export const reject = (problem: Problem) => Effect.fail(new ZenchefRejected({ problem }))

export const fromEither = <A>(either: Either.Either<A, Problem>): Effect.Effect<A, ZenchefRejected> =>
  Either.match(either, { onLeft: reject, onRight: Effect.succeed })

/** Decodes a wire value; failures become a 400 ProblemDetails naming each field. */
export const decodeValue = <A, I>(
  schema: Schema.Schema<A, I>,
  value: unknown,
  closed = false
): Effect.Effect<A, ZenchefRejected> =>
  fromEither(
    Either.mapLeft(
      Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: closed ? "error" : "ignore" })(value),
      fromParseError
    )
  )
