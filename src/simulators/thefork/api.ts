import { Effect, Option } from "effect"
import { countRoute, limitFaultAndHandle } from "../kit/api-guard.js"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { makeRouter } from "../kit/router.js"
import type { SimulatorCore } from "./core.js"
import { errorReply } from "./errors.js"
import { apiRoutes } from "./routes.js"
import { clientOfBearer } from "./tokens.js"

/** `https://api.thefork.io/manager/v1/...`. */
export const API_BASE = "/manager"

const router = makeRouter(apiRoutes)
const guardReplies = {
  limited: (retryAfter: number) => errorReply(429, "", { "retry-after": String(retryAfter) }),
  failed: (status: number) => errorReply(status)
}

/**
 * One API request: route, count, check the Bearer token (401 `code: ""` when missing or expired),
 * rate-limit per client (429 + Retry-After, ASSUMPTION: TheFork's limits are per contract),
 * inject faults, handle. A drop is applied after handling, so the change is kept.
 */
export const handleApiRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    const lookup = router(request.method, request.path.slice(API_BASE.length))
    if (lookup._tag === "NotFound") return errorReply(404, "NOT_FOUND")
    if (lookup._tag === "MethodNotAllowed") return errorReply(405)
    const { route, params } = lookup.match
    yield* countRoute(core, `${route.method} ${route.template}`)

    const client = yield* clientOfBearer(core, request)
    if (Option.isNone(client)) {
      yield* core.count((c) => ({ ...c, unauthorized: c.unauthorized + 1 }))
      return errorReply(401, "")
    }
    return yield* limitFaultAndHandle(
      core,
      client.value,
      guardReplies,
      () =>
        route.handler({ core, clientId: client.value, params, query: request.query, body: request.body }).pipe(
          Effect.catchTag("TheForkRejected", (e) => Effect.succeed(errorReply(e.status, e.code)))
        )
    )
  })
