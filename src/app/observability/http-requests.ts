import * as Headers from "@effect/platform/Headers"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { Clock, Effect, Exit, LogLevel, Option } from "effect"
import { recordWebhookRejection } from "./metrics.js"
import { OtlpExport } from "./telemetry.js"

export const REQUEST_ID_HEADER = "x-request-id"

// A caller's id is kept only when it is short and plain, so it cannot forge or break log lines.
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/

/** The caller's `x-request-id` when it is acceptable, a new id otherwise. */
export const requestIdFrom = (given: string | undefined) =>
  given !== undefined && acceptable.test(given) ? given : crypto.randomUUID()

const SENSITIVE_PARAM = /token|secret|key|sig|pass|auth|code|credential/i

/**
 * The path and query of a request as logged: values of parameters that may carry a secret are
 * replaced. Platforms without signing send their webhook secret as `?token=`.
 */
const loggableUrl = (url: string) => {
  const queryAt = url.indexOf("?")
  if (queryAt < 0) return url
  const params = new URLSearchParams(url.slice(queryAt + 1))
  const shown = [...params].map(([key, value]) =>
    `${encodeURIComponent(key)}=${SENSITIVE_PARAM.test(key) ? "<redacted>" : encodeURIComponent(value)}`
  )
  return `${url.slice(0, queryAt)}?${shown.join("&")}`
}

const WEBHOOK_PATH = /^\/api\/webhooks\/([^/]+)$/

// Scrapes and health probes come every few seconds: logged below the default level.
const quietPaths = new Set(["/metrics", "/health"])

/**
 * One access line per request, without bodies (they may hold credentials or untrusted webhook
 * payloads). A webhook delivery answered 4xx counts as rejected: watching the response covers
 * every rejection path.
 */
export const recordRequest = (method: string, rawUrl: string, status: number, durationMs: number) =>
  Effect.suspend(() => {
    const url = loggableUrl(rawUrl)
    const path = url.split("?")[0] ?? ""
    const webhook = WEBHOOK_PATH.exec(path)
    // Accepted webhook deliveries are machine traffic counted by metrics and stored in the inbox.
    const routine = quietPaths.has(path) || (webhook !== null && status < 400)
    const level = routine ? LogLevel.Debug : status >= 500 ? LogLevel.Error : LogLevel.Info
    // Routine lines are built only when debug logging is on: most of the traffic is routine.
    const logged = Effect.whenLogLevel(
      Effect.logWithLevel(level, "http request").pipe(Effect.annotateLogs({ method, url, status, durationMs })),
      level
    )
    return method === "POST" && webhook !== null && status >= 400 && status < 500
      ? Effect.zipRight(recordWebhookRejection(webhook[1] ?? "", status), logged)
      : logged
  })

/**
 * The span of one request, when spans are exported: a child of the caller's `traceparent`, with
 * the path but never the query (URL-token webhooks carry their secret there, R-6.1), the request
 * id and the status given to `recordStatus`.
 */
export const withRequestSpan =
  (method: string, rawUrl: string, traceparent: string | undefined, requestId: string) =>
  <A, E, R>(handle: (recordStatus: (status: number) => Effect.Effect<void>) => Effect.Effect<A, E, R>) =>
    Effect.flatMap(OtlpExport, (on) => {
      if (!on) return handle(() => Effect.void)
      const path = rawUrl.split("?")[0] ?? ""
      const parent = traceparent === undefined
        ? Option.none()
        : HttpTraceContext.w3c(Headers.fromInput({ traceparent }))
      const webhook = WEBHOOK_PATH.exec(path)
      return Effect.useSpan(`http.server ${method}`, {
        kind: "server",
        parent: Option.getOrUndefined(parent),
        captureStackTrace: false,
        attributes: {
          "http.request.method": method,
          "url.path": path,
          requestId,
          ...(webhook === null ? {} : { platform: webhook[1] ?? "" })
        }
      }, (span) =>
        Effect.withParentSpan(
          handle((status) => Effect.sync(() => span.attribute("http.response.status_code", status))),
          span
        ))
    })

/**
 * Every request gets a correlation id (the caller's `x-request-id`, or a new one), annotated on all
 * the logs written while it is handled and echoed in the response, and is recorded once answered.
 */
export const observeRequests = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER])
    return withRequestSpan(request.method, request.url, request.headers["traceparent"], requestId)((recordStatus) =>
      Effect.gen(function*() {
        const startedAt = yield* Clock.currentTimeMillis
        // The server sends the response inside `app`: the header is added just before that.
        yield* HttpApp.appendPreResponseHandler((_, response) =>
          Effect.succeed(HttpServerResponse.setHeader(response, REQUEST_ID_HEADER, requestId))
        )
        const exit = yield* Effect.exit(app)
        const status = Exit.isSuccess(exit)
          ? exit.value.status
          : HttpServerError.causeResponseStripped(exit.cause)[0].status
        yield* recordStatus(status)
        yield* recordRequest(request.method, request.url, status, (yield* Clock.currentTimeMillis) - startedAt)
        return yield* exit
      })
    ).pipe(Effect.annotateLogs("requestId", requestId))
  })
