import type * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import { Cause, Context, Effect, Exit, Option, Redacted, Runtime, type Schema } from "effect"
import type { IncomingMessage } from "node:http"
import { fastDecoder } from "../../domain/fast-decode.js"
import { trustedEncoder } from "../../domain/trusted-encode.js"
import { CurrentCaller } from "../caller.js"
import { Conflict, Forbidden, NotFound, ValidationError } from "../errors.js"
import { recordRequest } from "../observability/http-requests.js"
import { OtlpExport } from "../observability/telemetry.js"
import { ApiKeys } from "../services/api-keys.js"
import { makeAdmission } from "./admission.js"
import { SyncApi } from "./api.js"
import { isJson } from "./content-type.js"
import { type ErrorReply, internalError, type JsonReply, replyForCause } from "./error-responses.js"
import { resourceHandlers } from "./handlers/resources.js"
import { withAnnouncedBody } from "./unannounced-body.js"
import { type Ingress, readWholeBody, requestIdOf, send, shuttingDown } from "./webhook-ingress.js"

type Ops = { readonly [K in keyof typeof resourceHandlers]: Effect.Effect.Success<(typeof resourceHandlers)[K]> }
type Needs<F> = F extends (...args: never) => Effect.Effect<unknown, unknown, infer R> ? R : never
type WriteNeeds<O> = O extends { readonly create: infer C; readonly update: infer U } ? Needs<C> | Needs<U> : never
/**
 * What the create and update handlers need when they run, which may only be the caller: the
 * ingress runs them in an empty context (below), so a handler that came to need a service at run
 * time would not compile here.
 */
type CallerOnly<R extends CurrentCaller> = R
type WriteRequirements = CallerOnly<{ readonly [K in keyof Ops]: WriteNeeds<Ops[K]> }[keyof Ops]>

type Write = (request: {
  readonly path: { readonly id: string }
  readonly payload: never
}) => Effect.Effect<unknown, unknown, WriteRequirements>

/** A create or update route of a resource group, as its HttpApi endpoint defines it. */
interface WriteRoute {
  readonly decode: (payload: unknown) => Effect.Effect<unknown, unknown>
  readonly encode: (entity: unknown) => Effect.Effect<unknown, unknown>
  readonly status: number
  readonly write: Write
}

const routeOf = (endpoint: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps, write: Write): WriteRoute => {
  const payload = Option.getOrThrow(endpoint.payloadSchema) as Schema.Schema<unknown, unknown>
  const success = endpoint.successSchema as Schema.Schema<unknown, unknown>
  return {
    decode: fastDecoder(payload),
    encode: trustedEncoder(success),
    status: HttpApiSchema.getStatusSuccess(success),
    write
  }
}

/** What the API answers after it has written nothing: the framework's route answers these itself. */
const isRefusal = (error: unknown) =>
  error instanceof ValidationError || error instanceof Forbidden || error instanceof NotFound ||
  error instanceof Conflict

// An id the router would take as it is: anything percent-encoded or odd goes to the router.
const PLAIN_ID = /^[A-Za-z0-9_-]{1,200}$/

type Outcome =
  | { readonly _tag: "HandOver" }
  | ({ readonly _tag: "Reply" } & JsonReply)

const handOver: Outcome = { _tag: "HandOver" }
const replyOf = (reply: ErrorReply): Outcome => ({ _tag: "Reply", ...reply })

/**
 * Issue 22: creating and patching a resource is the main app's steady traffic, and the HttpApi
 * stack's per-request cost (routing, middleware, its own fibers) is about the size of the whole
 * write. A write that the API would accept is answered here, below it, by the same handler, with
 * the payload decoded and the entity encoded by the route's own schemas, logged and counted as
 * every request is. Everything the route answers otherwise (a refused key, a payload that does
 * not decode, a refusal such as an unknown reference or a missing record, a session cookie, a
 * query string, an odd id) is handed to the HttpApi route untouched, with the body already read:
 * nothing was written, and the route owns those answers. With spans exported, every write goes
 * through the route, which opens the request's span.
 */
export const makeResourceWriteIngress = Effect.fnUntraced(function*(concurrency: number) {
  if (yield* OtlpExport) return (() => false) satisfies Ingress as Ingress
  const keys = yield* ApiKeys
  // The handlers took their services when they were built: a write needs only its caller
  // (`WriteRequirements` holds them to it). Its fiber starts from an empty context because every
  // span and scope of a request copies its context, and the application's holds about fifty
  // services (measured: 8% fewer bytes allocated per write).
  const { fiberRefs, runtimeFlags } = yield* Effect.runtime<never>()
  const run = Runtime.runCallback(Runtime.make({ context: Context.empty(), fiberRefs, runtimeFlags }))
  const admission = makeAdmission(concurrency)
  const creates = new Map<string, WriteRoute>()
  const updates = new Map<string, WriteRoute>()
  for (const [name, handlers] of Object.entries(resourceHandlers)) {
    const ops = (yield* handlers) as unknown as { readonly create: Write; readonly update: Write }
    const endpoints = SyncApi.groups[name]!.endpoints as unknown as Record<
      string,
      HttpApiEndpoint.HttpApiEndpoint.AnyWithProps
    >
    const create = endpoints["create"]!
    const update = endpoints["update"]!
    creates.set(create.path, routeOf(create, ops.create))
    updates.set(update.path.replace(/\/:id$/, ""), routeOf(update, ops.update))
  }

  const find = (method: string | undefined, url: string) => {
    if (url.includes("?")) return undefined
    if (method === "POST") {
      const route = creates.get(url)
      return route === undefined ? undefined : { route, id: "" }
    }
    if (method !== "PATCH") return undefined
    const slash = url.lastIndexOf("/")
    const route = updates.get(url.slice(0, slash))
    const id = url.slice(slash + 1)
    return route === undefined || !PLAIN_ID.test(id) ? undefined : { route, id }
  }

  const attempt = (route: WriteRoute, id: string, token: string, body: unknown) =>
    Effect.gen(function*() {
      const caller = yield* Effect.exit(keys.authenticate(Redacted.make(token), "app"))
      if (Exit.isFailure(caller)) return handOver
      const payload = yield* Effect.exit(route.decode(body))
      if (Exit.isFailure(payload)) return handOver
      const written = yield* Effect.exit(
        route.write({ path: { id }, payload: payload.value as never }).pipe(
          Effect.provideService(CurrentCaller, caller.value),
          // An answer that does not encode is the service's defect, not the request's.
          Effect.flatMap((written) => Effect.orDie(route.encode(written)))
        )
      )
      if (Exit.isSuccess(written)) {
        return { _tag: "Reply", status: route.status, body: written.value } satisfies Outcome
      }
      const cause = written.cause
      if (Option.exists(Cause.failureOption(cause), isRefusal)) return handOver
      if (Cause.isInterruptedOnly(cause)) return replyOf(shuttingDown)
      return replyOf(Option.getOrElse(yield* replyForCause(cause), () => internalError))
    })

  const ingress: Ingress = (request: IncomingMessage, response, next) => {
    const url = request.url ?? ""
    const found = find(request.method, url)
    if (found === undefined) return false
    const authorization = request.headers.authorization ?? ""
    if (!authorization.toLowerCase().startsWith("bearer ") || request.headers.cookie !== undefined) return false
    if (!isJson((request.headers["content-type"] ?? "").trim().toLowerCase())) return false
    if (!Number.isSafeInteger(Number(request.headers["content-length"]))) return false

    const startedAt = Date.now()
    const requestId = requestIdOf(request)
    readWholeBody(request, response, (body) =>
      admission.run((done) => {
        const toRoute = () => {
          done()
          next(withAnnouncedBody(request, body))
        }
        let parsed: unknown
        try {
          parsed = JSON.parse(body.toString("utf8"))
        } catch {
          return toRoute()
        }
        const method = request.method ?? ""
        const answered = Effect.tap(
          attempt(found.route, found.id, authorization.slice("bearer ".length), parsed),
          (outcome) =>
            outcome._tag === "Reply"
              ? recordRequest(method, url, outcome.status, Date.now() - startedAt)
              : Effect.void
        )
        run(Effect.annotateLogs(answered, "requestId", requestId), {
          onExit: (exit) => {
            const outcome = Exit.isSuccess(exit) ? exit.value : replyOf(internalError)
            if (outcome._tag === "HandOver") return toRoute()
            done()
            send(response, requestId, outcome)
          }
        })
      }))
    return true
  }
  return ingress
})
