import { Effect, Option } from "effect"
import { countRoute, limitFaultAndHandle } from "../kit/api-guard.js"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { makeRouter } from "../kit/router.js"
import type { SimulatorCore } from "./core.js"
import { errorReply } from "./errors.js"
import { apiRoutes } from "./routes.js"
import { clientOfToken, handleAuth } from "./tokens.js"

/** Production base: `https://www.sevenrooms.com/api-ext/2_4`. */
export const API_BASE = "/api-ext/2_4"

const router = makeRouter(apiRoutes)
const guardReplies = {
  limited: (retryAfter: number) => errorReply(429, "Too many requests", { "retry-after": String(retryAfter) }),
  failed: (status: number) => errorReply(status, "Injected failure")
}

/**
 * One API request: `/auth`, or route, count, check the raw token (401 `{status, msg}`), rate-limit
 * per client (429 + Retry-After; the real numbers are gated), inject faults, handle. A drop is
 * applied after handling, so the change is kept.
 */
export const handleApiRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    const path = request.path.slice(API_BASE.length)
    if (path === "/auth") return yield* handleAuth(core, request)
    const lookup = router(request.method, path)
    if (lookup._tag === "NotFound") return errorReply(404, "Not found")
    if (lookup._tag === "MethodNotAllowed") return errorReply(405, "Method not allowed")
    const { route, params } = lookup.match
    yield* countRoute(core, `${route.method} ${route.template}`)

    const client = yield* clientOfToken(core, request)
    if (Option.isNone(client)) {
      yield* core.count((c) => ({ ...c, unauthorized: c.unauthorized + 1 }))
      return errorReply(401, "Invalid or expired token")
    }
    return yield* limitFaultAndHandle(core, client.value, guardReplies, () =>
      route.handler({
        core,
        clientId: client.value,
        params,
        query: request.query,
        body: request.body,
        contentType: String(request.headers["content-type"] ?? "")
      }).pipe(Effect.catchTag("SevenRoomsRejected", (e) => Effect.succeed(errorReply(e.status, e.msg)))))
  })
