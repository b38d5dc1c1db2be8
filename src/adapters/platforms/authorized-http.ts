import { HttpClient, HttpClientRequest, type HttpClientError } from "@effect/platform"
import { Duration, Effect, ParseResult, Redacted, Schedule, Schema } from "effect"
import type { Platform } from "../../domain/ids.js"
import {
  type ConnectorError,
  PlatformPermanentError,
  PlatformRateLimiter,
  PlatformRetryableError
} from "../../ports/platform-connector.js"
import { classifyStatus, ConnectorHttpPolicy, isRateLimited, parseRetryAfter, retryTransient } from "./http-support.js"
import type { TokenCache } from "./oauth-token.js"
import { jsonText } from "./json-body.js"

/**
 * `makePlatformHttp` for platforms whose calls carry an expiring token (TheFork, SevenRooms, and
 * the delivery platforms): the token is taken per attempt from a `TokenCache`; a 401 drops it and
 * the call is tried once more with a fresh one (SevenRooms: "re-run /auth once, then retry").
 * It also speaks PATCH (TheFork) and form bodies (SevenRooms' book endpoints), and lets a
 * platform name its error code from the body in the message.
 */

export type RequestBody =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Form"; readonly fields: Readonly<Record<string, string>> }

export const jsonBody = (value: unknown): RequestBody => ({ _tag: "Json", value })
export const formBody = (fields: Readonly<Record<string, string | number | undefined>>): RequestBody => ({
  _tag: "Form",
  fields: Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])))
})

export interface AuthorizedRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | undefined>>
  readonly body?: RequestBody
  /** Safe to repeat after a failure whose outcome is unknown. */
  readonly idempotent: boolean
}

export interface AuthorizedHttpOptions {
  readonly platform: Platform
  readonly baseUrl: string
  readonly tokens: TokenCache
  /** The Authorization header for a token: `Bearer <t>` for OAuth; SevenRooms wants the bare token. */
  readonly authorization: (token: string) => string
  /** Requests sharing this key share one client-side rate limit. */
  readonly rateLimitKey: string
  /** A short, non-personal detail of an error body (a platform error code) for the message. */
  readonly errorDetail?: (body: string) => string | undefined
}

interface Answer {
  readonly status: number
  readonly text: string
  readonly retryAfter: string | undefined
}

const describeParseError = (error: ParseResult.ParseError) => {
  const paths = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
  return [...new Set(paths)].slice(0, 5).join(", ")
}

const withDetail = (error: ConnectorError, detail: string | undefined): ConnectorError => {
  if (detail === undefined || detail === "") return error
  const message = `${error.message} (${detail})`
  return error._tag === "PlatformRetryableError"
    ? new PlatformRetryableError({ platform: error.platform, reason: error.reason, status: error.status, retryAfter: error.retryAfter, message })
    : new PlatformPermanentError({ platform: error.platform, reason: error.reason, status: error.status, message })
}

export const makeAuthorizedHttp = (options: AuthorizedHttpOptions) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const limiter = yield* PlatformRateLimiter
    const policy = yield* ConnectorHttpPolicy
    const { platform, tokens } = options
    const base = options.baseUrl.replace(/\/+$/, "")
    const limited = limiter.limit(options.rateLimitKey)

    const transportError = (what: string) => (e: HttpClientError.HttpClientError): ConnectorError =>
      e._tag === "RequestError" && e.reason !== "Transport"
        ? new PlatformPermanentError({ platform, reason: "validation", message: `${platform} ${what}: request could not be built (${e.reason})` })
        : new PlatformRetryableError({ platform, reason: "network", message: `${platform} ${what}: connection failed` })

    const build = (r: AuthorizedRequest, token: Redacted.Redacted<string>) => {
      const query = Object.entries(r.query ?? {}).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]))
      const request = HttpClientRequest.make(r.method)(`${base}${r.path}`).pipe(
        HttpClientRequest.setUrlParams(query),
        HttpClientRequest.setHeader("authorization", options.authorization(Redacted.value(token))),
        HttpClientRequest.acceptJson
      )
      if (r.body === undefined) return request
      return r.body._tag === "Json" ? HttpClientRequest.bodyUnsafeJson(request, r.body.value) : HttpClientRequest.bodyUrlParams(request, r.body.fields)
    }

    const exchange = (what: string, r: AuthorizedRequest, token: Redacted.Redacted<string>) =>
      client.execute(build(r, token)).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (text): Answer => ({ status: response.status, text, retryAfter: response.headers["retry-after"] }))),
        Effect.mapError(transportError(what))
      )

    // A 401 with a token we believed valid (revoked, clock skew): renew once, shared with concurrent callers.
    const authorized = (what: string, r: AuthorizedRequest) =>
      Effect.gen(function* () {
        const token = yield* tokens.get
        const first = yield* exchange(what, r, token)
        if (first.status !== 401) return first
        yield* tokens.invalidate(token)
        return yield* exchange(what, r, yield* tokens.get)
      })

    const attempt = (what: string, r: AuthorizedRequest) =>
      limited(
        authorized(what, r).pipe(
          Effect.flatMap((answer) =>
            answer.status >= 200 && answer.status < 300
              ? Effect.succeed(answer.text)
              : Effect.clockWith((clock) =>
                Effect.fail(withDetail(
                  classifyStatus(platform, answer.status, what, parseRetryAfter(answer.retryAfter, clock.unsafeCurrentTimeMillis())),
                  options.errorDetail?.(answer.text)
                ))
              )
          ),
          Effect.timeoutFail({
            duration: policy.timeout,
            onTimeout: () => new PlatformRetryableError({ platform, reason: "timeout", message: `${platform} ${what}: no answer within ${Duration.format(policy.timeout)}` })
          })
        )
      )

    const waitOutRateLimits = <A>(effect: Effect.Effect<A, ConnectorError>) =>
      Effect.retry(
        effect,
        Schedule.recurWhile<ConnectorError>(isRateLimited).pipe(
          Schedule.addDelay((e) => {
            const asked = e._tag === "PlatformRetryableError" && e.retryAfter !== undefined ? e.retryAfter : Duration.seconds(1)
            return Duration.min(asked, Duration.decode(policy.maxRetryAfter))
          }),
          Schedule.intersect(Schedule.recurs(policy.maxRateLimitWaits))
        )
      )

    /** The response body as text, after token, rate limiting, 429 waits and (for idempotent calls) retries. */
    const send = (r: AuthorizedRequest): Effect.Effect<string, ConnectorError> => {
      const sent = waitOutRateLimits(attempt(`${r.method} ${r.path}`, r))
      return (r.idempotent ? retryTransient(policy)(sent) : sent).pipe(
        Effect.withSpan(`${platform}.${r.method}`, { attributes: { path: r.path } })
      )
    }

    const decode = <A, I>(what: string, schema: Schema.Schema<A, I>, text: string) =>
      Schema.decodeUnknown(jsonText(schema))(text === "" ? "null" : text).pipe(
        Effect.mapError((error) =>
          new PlatformPermanentError({ platform, reason: "validation", message: `${platform} ${what}: unexpected response at ${describeParseError(error)}` })
        )
      )

    const call = <A, I>(r: AuthorizedRequest, response: Schema.Schema<A, I>): Effect.Effect<A, ConnectorError> =>
      Effect.flatMap(send(r), (text) => decode(`${r.method} ${r.path}`, response, text))

    return { call, send, decode, policy }
  })

export type AuthorizedHttp = Effect.Effect.Success<ReturnType<typeof makeAuthorizedHttp>>

/** Whether a failure is the platform's answer `status` (e.g. TheFork's 409 on a second cancel). */
export const hasStatus = (status: number) => (e: ConnectorError): boolean => e.status === status
