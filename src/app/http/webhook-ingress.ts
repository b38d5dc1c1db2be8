import { Cause, Effect, Exit, Option, Runtime, Schema } from "effect"
import { type IncomingMessage, Server, type ServerResponse } from "node:http"
import { Platform } from "../../domain/ids.js"
import type { InboundRequest } from "../../ports/webhook-authenticator.js"
import { recordRequest, REQUEST_ID_HEADER, requestIdFrom } from "../observability/http-requests.js"
import { receiveWebhook } from "../sync/webhook-intake.js"
import { type ErrorReply, internalError, replyForCause } from "./error-responses.js"
import { HttpRejection, inboundRequest, toHttpError } from "./webhook-delivery.js"

/** Takes a request and answers it (true), or leaves it to the framework (false). */
type Ingress = (request: IncomingMessage, response: ServerResponse) => boolean

const WEBHOOK_ROUTE = /^\/api\/webhooks\/([^/?#]+)(?:\?|$)/
const isPlatform = Schema.is(Platform)
const encodeRejection = Schema.encodeSync(HttpRejection)

const shuttingDown: ErrorReply = { status: 503, body: { _tag: "Unavailable", message: "shutting down, deliver again shortly" } }

const send = (response: ServerResponse, requestId: string, reply: { readonly status: number; readonly body: unknown }) => {
  const body = JSON.stringify(reply.body)
  response.writeHead(reply.status, {
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
 * is. Anything else (other platforms, chunked or oversized bodies, multipart) goes on to the
 * HttpApi route, which handles the same delivery the same way.
 */
export const makeWebhookIngress = (maxBodyBytes: number) =>
  Effect.map(Effect.runtime<Effect.Effect.Context<ReturnType<typeof receiveWebhook>>>(), (runtime): Ingress => {
    const run = Runtime.runCallback(runtime)

    const answer = (platform: Platform, request: IncomingMessage, inbound: InboundRequest, startedAt: number, requestId: string) =>
      receiveWebhook(platform, inbound).pipe(
        Effect.map((result) => ({ status: 200, body: result })),
        Effect.catchTag("DeliveryRejected", (e) =>
          Effect.succeed({ status: e.status, body: encodeRejection(toHttpError(e, platform)) })),
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.succeed(shuttingDown) : Effect.map(replyForCause(cause), Option.getOrElse(() => internalError))),
        Effect.tap((reply) => recordRequest("POST", request.url ?? "", reply.status, Date.now() - startedAt)),
        Effect.annotateLogs("requestId", requestId)
      )

    return (request, response) => {
      if (request.method !== "POST") return false
      const platform = WEBHOOK_ROUTE.exec(request.url ?? "")?.[1]
      if (platform === undefined || !isPlatform(platform)) return false
      const announced = Number(request.headers["content-length"])
      const multipart = (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/")
      if (!Number.isSafeInteger(announced) || announced > maxBodyBytes || multipart) return false

      const startedAt = Date.now()
      const givenId = request.headers[REQUEST_ID_HEADER]
      const requestId = requestIdFrom(typeof givenId === "string" ? givenId : undefined)
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      // A caller that goes away mid-body has sent nothing to store; the platform delivers again.
      request.on("error", () => response.destroy())
      request.on("end", () => {
        // The raw text is what the platform signed: it is read before any JSON parsing.
        const inbound = inboundRequest(request.headers, request.url ?? "", Buffer.concat(chunks).toString("utf8"))
        run(answer(platform, request, inbound, startedAt, requestId), {
          onExit: (exit) => send(response, requestId, Exit.isSuccess(exit) ? exit.value : internalError)
        })
      })
      return true
    }
  })

/** A node server that offers each request to `ingress` before the framework's handler sees it. */
export class IngressServer extends Server {
  constructor(private readonly ingress: Ingress) {
    super()
  }

  override emit(event: string, ...args: Array<any>): boolean {
    if (event === "request" && this.ingress(args[0] as IncomingMessage, args[1] as ServerResponse)) return true
    return super.emit(event, ...args)
  }
}
