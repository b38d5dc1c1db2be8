import { HttpClient, HttpClientRequest, type HttpClientError, type HttpClientResponse } from "@effect/platform"
import { Context, Duration, Effect, Option, ParseResult, Schedule, Schema } from "effect"
import type { Platform } from "../../domain/ids.js"
import {
  type ConnectorError,
  isRetryable,
  PlatformPermanentError,
  PlatformRateLimiter,
  PlatformRetryableError
} from "../../ports/platform-connector.js"
import { jsonText } from "./json-body.js"

/** How a connector treats the network. Tests shorten it; production keeps the defaults. */
export interface HttpPolicy {
  readonly timeout: Duration.DurationInput
  /** Extra attempts for idempotent calls after a network, timeout or 5xx failure. */
  readonly transientRetries: number
  readonly retryBaseDelay: Duration.DurationInput
  /** How many 429s are waited out (Retry-After) before the call fails as rate limited. */
  readonly maxRateLimitWaits: number
  /** A Retry-After longer than this is cut to it, so one call never blocks a worker for long. */
  readonly maxRetryAfter: Duration.DurationInput
}

export class ConnectorHttpPolicy extends Context.Reference<ConnectorHttpPolicy>()("ConnectorHttpPolicy", {
  defaultValue: (): HttpPolicy => ({
    timeout: "10 seconds",
    transientRetries: 2,
    retryBaseDelay: "200 millis",
    maxRateLimitWaits: 3,
    maxRetryAfter: "1 minute"
  })
}) {}

/** `Retry-After` is either delay seconds or an HTTP date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (value: string | undefined, nowMs: number): Option.Option<Duration.Duration> => {
  if (value === undefined || value.trim() === "") return Option.none()
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Option.some(Duration.seconds(Number(trimmed)))
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? Option.none() : Option.some(Duration.millis(Math.max(0, at - nowMs)))
}

/** the status decides retryable versus permanent. */
export const classifyStatus = (
  platform: Platform,
  status: number,
  what: string,
  retryAfter: Option.Option<Duration.Duration> = Option.none()
): ConnectorError => {
  const message = `${platform} ${what}: HTTP ${status}`
  if (status === 429) {
    return new PlatformRetryableError({ platform, reason: "rate_limited", status, retryAfter: Option.getOrUndefined(retryAfter), message })
  }
  if (status >= 500) return new PlatformRetryableError({ platform, reason: "server", status, message })
  if (status === 408) return new PlatformRetryableError({ platform, reason: "timeout", status, message })
  const reason = status === 401 || status === 403
    ? "auth"
    : status === 404
    ? "not_found"
    : status === 409
    ? "conflict"
    : "validation"
  return new PlatformPermanentError({ platform, reason, status, message })
}

export const isRateLimited = (e: ConnectorError): e is PlatformRetryableError =>
  e._tag === "PlatformRetryableError" && e.reason === "rate_limited"

export const isNotFound = (e: ConnectorError): boolean => e._tag === "PlatformPermanentError" && e.reason === "not_found"

/** Transient failures worth another immediate attempt (a 429 has already waited for its Retry-After). */
export const retryTransient = (policy: HttpPolicy) =>
  <A, R>(effect: Effect.Effect<A, ConnectorError, R>): Effect.Effect<A, ConnectorError, R> =>
    Effect.retry(effect, {
      schedule: Schedule.exponential(policy.retryBaseDelay),
      times: policy.transientRetries,
      while: (e) => isRetryable(e) && !isRateLimited(e)
    })

/** Only where a value was wrong, never the value itself: responses may echo personal data. */
const describeParseError = (error: ParseResult.ParseError) => {
  const paths = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
  return [...new Set(paths)].slice(0, 5).join(", ")
}

export interface PlatformRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly path: string
  readonly body?: unknown
  /** Safe to repeat after a failure whose outcome is unknown. */
  readonly idempotent: boolean
}

export interface PlatformHttpOptions {
  readonly platform: Platform
  readonly baseUrl: string
  readonly headers: Readonly<Record<string, string>>
  /** Requests sharing this key share one client-side rate limit (one per API key). */
  readonly rateLimitKey: string
}

/** The one way a connector talks HTTP: rate limit, timeout, 429 waits, classification, decoding. */
export const makePlatformHttp = (options: PlatformHttpOptions) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const limiter = yield* PlatformRateLimiter
    const policy = yield* ConnectorHttpPolicy
    const { platform } = options
    const base = options.baseUrl.replace(/\/+$/, "")
    const limited = limiter.limit(options.rateLimitKey)

    const transportError = (what: string) => (e: HttpClientError.HttpClientError): ConnectorError =>
      e._tag === "RequestError" && e.reason !== "Transport"
        ? new PlatformPermanentError({ platform, reason: "validation", message: `${platform} ${what}: request could not be built (${e.reason})` })
        : new PlatformRetryableError({ platform, reason: "network", message: `${platform} ${what}: connection failed` })

    const receive = (what: string, response: HttpClientResponse.HttpClientResponse) =>
      response.text.pipe(
        Effect.mapError(transportError(what)),
        Effect.flatMap((text) =>
          response.status >= 200 && response.status < 300
            ? Effect.succeed(text)
            : Effect.clockWith((clock) =>
              Effect.fail(classifyStatus(platform, response.status, what, parseRetryAfter(response.headers["retry-after"], clock.unsafeCurrentTimeMillis())))
            )
        )
      )

    const attempt = (what: string, request: HttpClientRequest.HttpClientRequest) =>
      limited(
        client.execute(request).pipe(
          Effect.mapError(transportError(what)),
          Effect.flatMap((response) => receive(what, response)),
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

    const decode = <A, I>(what: string, schema: Schema.Schema<A, I>, text: string) =>
      Schema.decodeUnknown(jsonText(schema))(text === "" ? "null" : text).pipe(
        Effect.mapError((error) =>
          new PlatformPermanentError({ platform, reason: "validation", message: `${platform} ${what}: unexpected response at ${describeParseError(error)}` })
        )
      )

    /** The response body as text, after rate limiting, 429 waits and (for idempotent calls) retries. */
    const send = (r: PlatformRequest): Effect.Effect<string, ConnectorError> => {
      const what = `${r.method} ${r.path}`
      let request = HttpClientRequest.make(r.method)(`${base}${r.path}`).pipe(
        HttpClientRequest.setHeaders(options.headers),
        HttpClientRequest.acceptJson
      )
      if (r.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, r.body)
      const sent = waitOutRateLimits(attempt(what, request))
      return (r.idempotent ? retryTransient(policy)(sent) : sent).pipe(
        Effect.withSpan(`${platform}.${r.method}`, { attributes: { path: r.path } })
      )
    }

    const call = <A, I>(r: PlatformRequest, response: Schema.Schema<A, I>): Effect.Effect<A, ConnectorError> =>
      Effect.flatMap(send(r), (text) => decode(`${r.method} ${r.path}`, response, text))

    return { call, send, policy }
  })

export type PlatformHttp = Effect.Effect.Success<ReturnType<typeof makePlatformHttp>>
