import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Duration, Effect, Either, Option, ParseResult, Schema } from "effect"
import type { Platform } from "../../../domain/ids.js"
import { type ConnectorError, PlatformPermanentError, PlatformRetryableError } from "../../../ports/connector-errors.js"
import { PlatformRateLimiter } from "../../../ports/platform-rate-limiter.js"
import { traced } from "../../../ports/traced.js"
import { inOwnContext } from "../../own-context.js"
import type { AuthStrategy } from "./auth.js"
import { boundedText, notRead } from "./bounded-body.js"
import { sha256 } from "./connector-kit.js"
import { withinDeadline } from "./deadline.js"
import { EGRESS_REFUSED, isEgressRefusal } from "./egress.js"
import {
  classifyStatus,
  ConnectorHttpPolicy,
  hasStatus,
  parseRetryAfter,
  retryTransient,
  waitOutRateLimits
} from "./http-policy.js"
import { jsonText, jsonTextDecoder } from "./json-body.js"

/**
 * The one way every connector talks HTTP: authorization (a static key or an expiring token, one
 * strategy each), client-side rate limit, timeout, 429 waits, classification of the answer
 * (R-4.3), retries of idempotent calls, and decoding. It speaks PATCH (TheFork) and form bodies
 * (SevenRooms' book endpoints), and lets a platform name its error code from the body.
 */

export type RequestBody =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Form"; readonly fields: Readonly<Record<string, string>> }

export const jsonBody = (value: unknown): RequestBody => ({ _tag: "Json", value })
export const formBody = (fields: Readonly<Record<string, string | number | undefined>>): RequestBody => ({
  _tag: "Form",
  fields: Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])))
})

export interface PlatformRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | undefined>>
  readonly body?: RequestBody
  /** Safe to repeat after a failure whose outcome is unknown. */
  readonly idempotent: boolean
}

export interface PlatformHttpOptions {
  readonly platform: Platform
  readonly baseUrl: string
  readonly auth: AuthStrategy
  /** The API key or client id whose quota the calls spend: calls naming the same one share a rate limit. Only its hash is kept. */
  readonly rateLimitBy: string
  /** A short, non-personal detail of an error body (a platform error code) for the message. */
  readonly errorDetail?: (body: string) => string | undefined
}

/** An `errorDetail` reading one field of a JSON error body; anything else in the body is never quoted. */
export const errorDetailOf = <A, I>(schema: Schema.Schema<A, I>, detail: (body: A) => string | undefined) => {
  const decode = Schema.decodeUnknownEither(jsonText(schema))
  return (body: string): string | undefined => Either.getOrUndefined(Either.map(decode(body), detail))
}

interface Answer {
  readonly status: number
  /** None when the body is larger than the policy's `maxResponseBytes`: it was not read on. */
  readonly text: Option.Option<string>
  readonly retryAfter: string | undefined
}

/** Only where a value was wrong, never the value itself: responses may echo personal data. */
const describeParseError = (error: ParseResult.ParseError) => {
  const paths = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
  return [...new Set(paths)].slice(0, 5).join(", ")
}

const withDetail = (error: ConnectorError, detail: string | undefined): ConnectorError => {
  if (detail === undefined || detail === "") return error
  const message = `${error.message} (${detail})`
  return error._tag === "PlatformRetryableError"
    ? new PlatformRetryableError({
      platform: error.platform,
      reason: error.reason,
      status: error.status,
      retryAfter: error.retryAfter,
      message
    })
    : new PlatformPermanentError({ platform: error.platform, reason: error.reason, status: error.status, message })
}

const ownContext = inOwnContext()

export const makePlatformHttp = (options: PlatformHttpOptions) =>
  Effect.gen(function*() {
    // Scoped requests: the deadline aborts one by closing its scope (deadline.ts).
    const client = HttpClient.withScope(yield* HttpClient.HttpClient)
    const limiter = yield* PlatformRateLimiter
    const policy = yield* ConnectorHttpPolicy
    const { platform, auth } = options
    const base = options.baseUrl.replace(/\/+$/, "")
    const limited = limiter.limit(`${platform}:${sha256(options.rateLimitBy).slice(0, 16)}`)

    // Issue 18: a connection the egress policy refused is decided before any packet is sent, so
    // its message tells nothing of the host's ports; every other transport failure reads the same.
    const transportError = (what: string) => (e: HttpClientError.HttpClientError): ConnectorError =>
      isEgressRefusal(e.cause)
        ? new PlatformPermanentError({
          platform,
          reason: "validation",
          message: `${platform} ${what}: ${EGRESS_REFUSED}`
        })
        : e._tag === "RequestError" && e.reason !== "Transport"
        ? new PlatformPermanentError({
          platform,
          reason: "validation",
          message: `${platform} ${what}: request could not be built (${e.reason})`
        })
        : new PlatformRetryableError({ platform, reason: "network", message: `${platform} ${what}: connection failed` })

    const build = (r: PlatformRequest, headers: Readonly<Record<string, string>>) => {
      const query = Object.entries(r.query ?? {}).flatMap((
        [k, v]
      ): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]))
      const request = HttpClientRequest.make(r.method)(`${base}${r.path}`).pipe(
        HttpClientRequest.appendUrlParams(query),
        HttpClientRequest.setHeaders(headers),
        HttpClientRequest.acceptJson
      )
      if (r.body === undefined) return request
      return r.body._tag === "Json"
        ? HttpClientRequest.bodyUnsafeJson(request, r.body.value)
        : HttpClientRequest.bodyUrlParams(request, r.body.fields)
    }

    const timeout = Duration.decode(policy.timeout)
    const noAnswer = (what: string) => () =>
      new PlatformRetryableError({
        platform,
        reason: "timeout",
        message: `${platform} ${what}: no answer within ${Duration.format(timeout)}`
      })

    // The answer's status, headers and whole body within the policy's timeout, or no answer.
    const exchange = (what: string, r: PlatformRequest, headers: Readonly<Record<string, string>>) =>
      withinDeadline(
        client.execute(build(r, headers)).pipe(
          Effect.flatMap((response) =>
            Effect.map(
              boundedText(response, policy.maxResponseBytes),
              (text): Answer => ({ status: response.status, text, retryAfter: response.headers["retry-after"] })
            )
          ),
          Effect.mapError(transportError(what))
        ),
        timeout,
        noAnswer(what)
      )

    // A 401 to credentials we believed valid (a revoked token, clock skew): renewed once, shared with concurrent callers.
    const authorized = (what: string, r: PlatformRequest) =>
      Effect.gen(function*() {
        const first = yield* auth
        const answer = yield* exchange(what, r, first.headers)
        if (answer.status !== 401 || first.renew === undefined) return answer
        yield* first.renew
        return yield* exchange(what, r, (yield* auth).headers)
      })

    const attempt = (what: string, r: PlatformRequest) =>
      limited(
        authorized(what, r).pipe(
          Effect.flatMap((answer) =>
            answer.status >= 200 && answer.status < 300
              ? Option.match(answer.text, {
                onSome: Effect.succeed,
                onNone: () =>
                  Effect.fail(
                    new PlatformPermanentError({
                      platform,
                      reason: "validation",
                      message: `${platform} ${what}: ${notRead(policy.maxResponseBytes)}`
                    })
                  )
              })
              : Effect.clockWith((clock) =>
                Effect.fail(withDetail(
                  classifyStatus(
                    platform,
                    answer.status,
                    what,
                    parseRetryAfter(answer.retryAfter, clock.unsafeCurrentTimeMillis())
                  ),
                  Option.isSome(answer.text) ? options.errorDetail?.(answer.text.value) : undefined
                ))
              )
          )
        )
      )

    /** The response body as text, after authorization, rate limiting, 429 waits and (for idempotent calls) retries. */
    const send = (r: PlatformRequest): Effect.Effect<string, ConnectorError> => {
      const sent = waitOutRateLimits(policy)(attempt(`${r.method} ${r.path}`, r))
      return (r.idempotent ? retryTransient(policy)(sent) : sent).pipe(
        traced(`${platform}.${r.method}`, { attributes: { path: r.path }, captureStackTrace: false }),
        ownContext
      )
    }

    const decode = <A, I>(what: string, schema: Schema.Schema<A, I>, text: string) =>
      jsonTextDecoder(schema)(text === "" ? "null" : text).pipe(
        Effect.mapError((error) =>
          new PlatformPermanentError({
            platform,
            reason: "validation",
            message: `${platform} ${what}: unexpected response at ${describeParseError(error)}`
          })
        )
      )

    const call = <A, I>(r: PlatformRequest, response: Schema.Schema<A, I>): Effect.Effect<A, ConnectorError> =>
      Effect.flatMap(send(r), (text) => decode(`${r.method} ${r.path}`, response, text))

    const retry = <A>(effect: Effect.Effect<A, ConnectorError>) => ownContext(retryTransient(policy)(effect))

    /**
     * Creating twice makes two, but "look for our reference, then create" does not. A 409
     * may be our own create whose answer was lost: the lookup runs once more before it counts as a
     * conflict. A transient failure repeats both steps.
     */
    const createOnce = <A>(
      lookup: Effect.Effect<Option.Option<A>, ConnectorError>,
      create: Effect.Effect<A, ConnectorError>
    ): Effect.Effect<A, ConnectorError> => {
      const found = (otherwise: () => Effect.Effect<A, ConnectorError>) =>
        Effect.flatMap(lookup, Option.match({ onSome: Effect.succeed, onNone: otherwise }))
      return retry(
        found(() => Effect.catchIf(create, hasStatus(409), (conflict) => found(() => Effect.fail(conflict))))
      )
    }

    return { call, send, decode, policy, retry, createOnce }
  })

export type PlatformHttp = Effect.Effect.Success<ReturnType<typeof makePlatformHttp>>
