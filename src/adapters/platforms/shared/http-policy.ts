import { Context, Duration, Effect, Option, Schedule } from "effect"
import type { Platform } from "../../../domain/ids.js"
import {
  type ConnectorError,
  isRetryable,
  PlatformPermanentError,
  PlatformRetryableError
} from "../../../ports/connector-errors.js"

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
  /**
   * The largest response body read. A platform's answers are kilobytes (a whole menu a few MB);
   * a body past this is not read on, so one faulty or hostile host cannot fill the heap.
   */
  readonly maxResponseBytes: number
}

export class ConnectorHttpPolicy extends Context.Reference<ConnectorHttpPolicy>()("ConnectorHttpPolicy", {
  defaultValue: (): HttpPolicy => ({
    timeout: "10 seconds",
    transientRetries: 2,
    retryBaseDelay: "200 millis",
    maxRateLimitWaits: 3,
    maxRetryAfter: "1 minute",
    maxResponseBytes: 16 * 1024 * 1024
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
    return new PlatformRetryableError({
      platform,
      reason: "rate_limited",
      status,
      retryAfter: Option.getOrUndefined(retryAfter),
      message
    })
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

const isRateLimited = (e: ConnectorError): e is PlatformRetryableError =>
  e._tag === "PlatformRetryableError" && e.reason === "rate_limited"

export const isNotFound = (e: ConnectorError): boolean =>
  e._tag === "PlatformPermanentError" && e.reason === "not_found"

/** Whether a failure is the platform's answer `status` (e.g. TheFork's 409 on a second cancel). */
export const hasStatus = (status: number) => (e: ConnectorError): boolean => e.status === status

/** Transient failures worth another immediate attempt (a 429 has already waited for its Retry-After). */
export const retryTransient =
  (policy: HttpPolicy) => <A, R>(effect: Effect.Effect<A, ConnectorError, R>): Effect.Effect<A, ConnectorError, R> =>
    Effect.retry(effect, {
      schedule: Schedule.exponential(policy.retryBaseDelay),
      times: policy.transientRetries,
      while: (e) => isRetryable(e) && !isRateLimited(e)
    })

/** Waits out up to `maxRateLimitWaits` 429s, each for its Retry-After (at most `maxRetryAfter`, 1 s when absent). */
export const waitOutRateLimits =
  (policy: HttpPolicy) => <A, R>(effect: Effect.Effect<A, ConnectorError, R>): Effect.Effect<A, ConnectorError, R> =>
    Effect.retry(
      effect,
      Schedule.recurWhile<ConnectorError>(isRateLimited).pipe(
        Schedule.addDelay((e) => {
          const asked = e._tag === "PlatformRetryableError" && e.retryAfter !== undefined
            ? e.retryAfter
            : Duration.seconds(1)
          return Duration.min(asked, Duration.decode(policy.maxRetryAfter))
        }),
        Schedule.intersect(Schedule.recurs(policy.maxRateLimitWaits))
      )
    )
