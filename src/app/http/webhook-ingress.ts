import { Cause, Effect, Exit, Option, Runtime, Schema } from "effect"
import { type IncomingMessage, Server, type ServerResponse } from "node:http"
import { Platform } from "../../domain/ids.js"
import type { InboundRequest } from "../../ports/webhook-authenticator.js"
import { recordRequest, REQUEST_ID_HEADER, requestIdFrom, withRequestSpan } from "../observability/http-requests.js"
import { receiveWebhook } from "../sync/webhook-intake.js"
import { type ErrorReply, internalError, type JsonReply, replyForCause } from "./error-responses.js"
import { hasUnannouncedBody, readUnannouncedBody, withAnnouncedBody } from "./unannounced-body.js"
import { HttpRejection, inboundRequest, toHttpError } from "./webhook-delivery.js"

/**
 * Takes a request and answers it (true), or leaves it to the framework (false); `next` hands the
 * framework a request the ingress has read first.
 */
export type Ingress = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (request: IncomingMessage) => void
) => boolean

const WEBHOOK_ROUTE = /^\/api\/webhooks\/([^/?#]+)(?:\?|$)/
const isPlatform = Schema.is(Platform)
const encodeRejection = Schema.encodeSync(HttpRejection)

export const shuttingDown: ErrorReply = {
  status: 503,
  body: { _tag: "Unavailable", message: "shutting down, deliver again shortly" },
  headers: { "retry-after": "1" }
}

/** The caller's `x-request-id` when it is acceptable, a new id otherwise. */
export const requestIdOf = (request: IncomingMessage) => {
  const given = request.headers[REQUEST_ID_HEADER]
  return requestIdFrom(typeof given === "string" ? given : undefined)
}

/** Reads a request's body whole, then calls back; a caller that goes away mid-body gets nothing. */
export const readWholeBody = (request: IncomingMessage, response: ServerResponse, onBody: (body: Buffer) => void) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("error", () => response.destroy())
  request.on("end", () => onBody(Buffer.concat(chunks)))
}

/** A JSON answer, with the request's id. */
export const send = (
  response: ServerResponse,
  requestId: string,
  reply: JsonReply
) => {
  const body = JSON.stringify(reply.body)
  response.writeHead(reply.status, {
    ...reply.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    [REQUEST_ID_HEADER]: requestId
  })
  response.end(body)
}

/**
 * Webhook deliveries are the traffic of a rush, and need nothing of the router: a delivery with a
 * known platform and an announced length within the limit is answered here, below the HttpApi
 * stack. That stack costs about 0.2 ms of CPU per request on 2 cores (a bare route answered 4,400
 * requests/s through HttpApi against 40,000 through node:http), more than authenticating, parsing
 * and storing a delivery together. This runs the same `receiveWebhook`, answers the statuses and
 * bodies the API definition declares for the route, and is logged and counted as every request
 * is. A chunked body is read here first, up to the limit, and then taken as if announced. Anything
 * else (other platforms, multipart) goes on to the HttpApi route, which handles the same delivery
 * the same way. `others` are offered each request first, past the body limits checked here.
 */
export const makeWebhookIngress = (maxBodyBytes: number, others: ReadonlyArray<Ingress> = []) =>
  Effect.map(Effect.runtime<Effect.Effect.Context<ReturnType<typeof receiveWebhook>>>(), (runtime): Ingress => {
    const run = Runtime.runCallback(runtime)

    const answer = (
      platform: Platform,
      request: IncomingMessage,
      inbound: InboundRequest,
      startedAt: number,
      requestId: string
    ) =>
      withRequestSpan("POST", request.url ?? "", inbound.headers["traceparent"], requestId)((recordStatus) =>
        receiveWebhook(platform, inbound).pipe(
          Effect.map((result) => ({ status: 200, body: result })),
          Effect.catchTag(
            "DeliveryRejected",
            (e) => Effect.succeed({ status: e.status, body: encodeRejection(toHttpError(e, platform)) })
          ),
          Effect.catchAllCause((cause) =>
            Cause.isInterruptedOnly(cause)
              ? Effect.succeed(shuttingDown)
              : Effect.map(replyForCause(cause), Option.getOrElse(() => internalError))
          ),
          Effect.tap((reply) => recordStatus(reply.status)),
          Effect.tap((reply) => recordRequest("POST", request.url ?? "", reply.status, Date.now() - startedAt))
        )
      ).pipe(Effect.annotateLogs("requestId", requestId))

    // Issue 18: a body announced larger than the limit gets its 413 even when the client keeps
    // sending. Closing at once would reset a socket that still has unread data, and the client
    // would see EPIPE instead of the answer: the reply goes out, the socket is half-closed, and
    // what the client still sends is read and discarded, up to a bound in bytes and time.
    const refuseOversized = (
      request: IncomingMessage,
      response: ServerResponse,
      requestId: string,
      startedAt: number
    ) => {
      const body = JSON.stringify({
        _tag: "PayloadTooLarge",
        message: `the request body is larger than ${maxBodyBytes} bytes`
      })
      const socket = request.socket
      socket.write(
        `HTTP/1.1 413 Payload Too Large\r\ncontent-type: application/json\r\ncontent-length: ${
          Buffer.byteLength(body)
        }\r\n` +
          `${REQUEST_ID_HEADER}: ${requestId}\r\nconnection: close\r\n\r\n${body}`
      )
      socket.end()
      let discarded = 0
      const close = () => socket.destroy()
      const timer = setTimeout(close, OVERSIZED_DRAIN_MS)
      timer.unref()
      socket.once("close", () => clearTimeout(timer))
      request.on("data", (chunk: Buffer) => {
        discarded += chunk.length
        if (discarded > OVERSIZED_DRAIN_BYTES) close()
      })
      request.on("error", close)
      // The framework never sees this request, so no one else would answer it.
      response.on("error", () => {})
      run(
        recordRequest(request.method ?? "POST", request.url ?? "", 413, Date.now() - startedAt).pipe(
          Effect.annotateLogs("requestId", requestId)
        )
      )
    }

    const ingress: Ingress = (request, response, next) => {
      if (hasUnannouncedBody(request)) {
        const startedAt = Date.now()
        readUnannouncedBody(request, maxBodyBytes, (body) => {
          if (body === undefined) return refuseOversized(request, response, requestIdOf(request), startedAt)
          const known = withAnnouncedBody(request, body)
          if (!ingress(known, response, next)) next(known)
        })
        return true
      }
      const announcedLength = Number(request.headers["content-length"])
      if (Number.isFinite(announcedLength) && announcedLength > maxBodyBytes) {
        refuseOversized(request, response, requestIdOf(request), Date.now())
        return true
      }
      if (others.some((take) => take(request, response, next))) return true
      if (request.method !== "POST") return false
      const platform = WEBHOOK_ROUTE.exec(request.url ?? "")?.[1]
      if (platform === undefined || !isPlatform(platform)) return false
      const announced = Number(request.headers["content-length"])
      const multipart = (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/")
      if (!Number.isSafeInteger(announced) || announced > maxBodyBytes || multipart) return false

      const startedAt = Date.now()
      const requestId = requestIdOf(request)
      // A caller that goes away mid-body has sent nothing to store; the platform delivers again.
      readWholeBody(request, response, (body) => {
        // The raw text is what the platform signed: it is read before any JSON parsing.
        const inbound = inboundRequest(request.headers, request.url ?? "", body.toString("utf8"))
        run(answer(platform, request, inbound, startedAt, requestId), {
          onExit: (exit) => send(response, requestId, Exit.isSuccess(exit) ? exit.value : internalError)
        })
      })
      return true
    }
    return ingress
  })

/** What discarding an oversized body may cost before its socket is closed anyway. */
const OVERSIZED_DRAIN_BYTES = 64 * 1024 * 1024
const OVERSIZED_DRAIN_MS = 30_000

/** Issue 18, server limits (seconds, as the HTTP_* settings give them). */
export interface ServerLimits {
  /** Time to receive a request's headers. */
  readonly headersTimeoutSec: number
  /** Time to receive a whole request, body included: a slow client is cut off after it. */
  readonly requestTimeoutSec: number
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutSec: number
  /** Connections open at once; more are closed on arrival. */
  readonly maxConnections: number
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutSec: 10,
  requestTimeoutSec: 30,
  keepAliveTimeoutSec: 5,
  maxConnections: 1000
}

/** A node server that offers each request to `ingress` before the framework's handler sees it. */
export class IngressServer extends Server {
  constructor(private readonly ingress: Ingress, limits: ServerLimits = defaultServerLimits) {
    const requestTimeout = limits.requestTimeoutSec * 1000
    super({
      requestTimeout,
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(limits.headersTimeoutSec * 1000, requestTimeout),
      keepAliveTimeout: limits.keepAliveTimeoutSec * 1000,
      // How often the timeouts are checked (Node's default, 30 s, would let a slow client stay that much longer).
      connectionsCheckingInterval: Math.min(1000, requestTimeout)
    })
    this.maxConnections = limits.maxConnections
  }

  override emit(event: string, ...args: Array<any>): boolean {
    if (event === "request") {
      const response = args[1] as ServerResponse
      const next = (request: IncomingMessage) => super.emit(event, request, response)
      if (this.ingress(args[0] as IncomingMessage, response, next)) return true
    }
    return super.emit(event, ...args)
  }
}
