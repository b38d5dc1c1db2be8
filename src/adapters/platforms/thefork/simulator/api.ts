import { Duration, Effect, Option } from "effect"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { drop } from "../../simulator-kit/http-server.js"
import { makeRouter } from "../../simulator-kit/router.js"
import type { SimulatorCore } from "./core.js"
import { errorReply } from "./errors.js"
import { apiRoutes } from "./routes.js"
import { clientOfBearer } from "./tokens.js"

/** `https://api.thefork.io/manager/v1/...`. */
export const API_BASE = "/manager"

const router = makeRouter(apiRoutes)

/**
 * One API request: route, count, check the Bearer token (401 `code: ""` when missing or expired),
 * rate-limit per client (429 + Retry-After, ASSUMPTION: TheFork's limits are per contract),
 * inject faults, handle. A drop is applied after handling, so the change is kept.
 */
export const handleApiRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function* () {
    const lookup = router(request.method, request.path.slice(API_BASE.length))
    if (lookup._tag === "NotFound") return errorReply(404, "NOT_FOUND")
    if (lookup._tag === "MethodNotAllowed") return errorReply(405)
    const { route, params } = lookup.match
    const name = `${route.method} ${route.template}`
    yield* core.count((c) => ({ ...c, requestsByRoute: { ...c.requestsByRoute, [name]: (c.requestsByRoute[name] ?? 0) + 1 } }))

    const client = yield* clientOfBearer(core, request)
    if (Option.isNone(client)) {
      yield* core.count((c) => ({ ...c, unauthorized: c.unauthorized + 1 }))
      return errorReply(401, "")
    }
    const taken = yield* core.limiter.take(client.value)
    if (taken._tag === "Limited") {
      yield* core.count((c) => ({ ...c, rateLimited: c.rateLimited + 1 }))
      return errorReply(429, "", { "retry-after": String(taken.retryAfterSeconds) })
    }
    const fault = yield* core.faults.next
    if (fault.latencyMs > 0) yield* Effect.sleep(Duration.millis(fault.latencyMs))
    if (fault.action._tag === "Fail") {
      yield* core.count((c) => ({ ...c, failuresInjected: c.failuresInjected + 1 }))
      return errorReply(fault.action.status)
    }
    const reply = yield* route.handler({ core, clientId: client.value, params, query: request.query, body: request.body }).pipe(
      Effect.catchTag("TheForkRejected", (e) => Effect.succeed(errorReply(e.status, e.code)))
    )
    if (fault.action._tag === "Drop") {
      yield* core.count((c) => ({ ...c, responsesDropped: c.responsesDropped + 1 }))
      return drop
    }
    return reply
  })
