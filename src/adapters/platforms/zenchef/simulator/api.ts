import { Duration, Effect, Option, Ref } from "effect"
import type { SimReply, SimRequest } from "../../simulator-kit/http-server.js"
import { drop } from "../../simulator-kit/http-server.js"
import { makeRouter } from "../../simulator-kit/router.js"
import type { ApiHandler } from "./api-route.js"
import { bookingRoutes } from "./booking-routes.js"
import type { RequestCounters, SimulatorCore } from "./core.js"
import type { Problem } from "./problems.js"
import { notFound, problemReply } from "./problems.js"
import { queryRoutes } from "./query-routes.js"
import { restaurantRoutes } from "./restaurant-routes.js"

export const API_BASE = "/api/v1.2"

const router = makeRouter<ApiHandler>([...restaurantRoutes, ...bookingRoutes, ...queryRoutes])

const unauthorized = (detail: string): Problem => ({ status: 401, title: "Unauthorized", detail })

const count = (core: SimulatorCore, f: (counters: RequestCounters) => RequestCounters) => Ref.update(core.counters, f)

const apiKeyOf = (request: SimRequest) => {
  const header = request.headers["apikey"]
  const value = Array.isArray(header) ? header[0] : header
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

const runHandler = (core: SimulatorCore, handler: ApiHandler, apiKey: string, params: Readonly<Record<string, string>>, request: SimRequest) =>
  Effect.gen(function* () {
    if (handler._tag === "Key") return yield* handler.run({ core, apiKey, params })
    const restaurantUid = params["restaurantUid"] ?? ""
    const restaurant = yield* core.store.find(restaurantUid)
    if (Option.isNone(restaurant)) return problemReply(notFound(`Restaurant ${restaurantUid} not found`))
    if (!restaurant.value.config.apiKeys.includes(apiKey)) {
      return problemReply({ status: 403, title: "Forbidden", detail: `This API key has no access to restaurant ${restaurantUid}` })
    }
    return yield* handler.run({ core, restaurant: restaurant.value, params, query: request.query, body: request.body })
  }).pipe(Effect.catchTag("ZenchefRejected", (rejected) => Effect.succeed(problemReply(rejected.problem))))

/**
 * One API request: route, count, authenticate, rate-limit, inject faults, handle. A dropped
 * response is decided before handling but applied after, so the change is kept (a retried
 * create must find its booking by external reference).
 */
export const handleApiRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function* () {
    const lookup = router(request.method, request.path.slice(API_BASE.length))
    if (lookup._tag === "NotFound") return problemReply(notFound(`No route for ${request.method} ${request.path}`))
    if (lookup._tag === "MethodNotAllowed") return problemReply({ status: 405, title: "Method Not Allowed" })
    const { route, params } = lookup.match
    const name = `${route.method} ${route.template}`
    yield* count(core, (c) => ({ ...c, requestsByRoute: { ...c.requestsByRoute, [name]: (c.requestsByRoute[name] ?? 0) + 1 } }))

    const apiKey = apiKeyOf(request)
    if (apiKey === undefined) return problemReply(unauthorized("The ApiKey header is required"))
    const known = (yield* core.store.all).some((r) => r.config.apiKeys.includes(apiKey))
    if (!known) return problemReply(unauthorized("Unknown API key"))

    const taken = yield* core.limiter.take(apiKey)
    if (taken._tag === "Limited") {
      yield* count(core, (c) => ({ ...c, rateLimited: c.rateLimited + 1 }))
      return problemReply(
        { status: 429, title: "Too Many Requests", detail: `Retry after ${taken.retryAfterSeconds} s` },
        { "retry-after": String(taken.retryAfterSeconds) }
      )
    }

    const fault = yield* core.faults.next
    if (fault.latencyMs > 0) yield* Effect.sleep(Duration.millis(fault.latencyMs))
    if (fault.action._tag === "Fail") {
      yield* count(core, (c) => ({ ...c, failuresInjected: c.failuresInjected + 1 }))
      return problemReply({ status: fault.action.status, title: "Injected failure" })
    }
    const reply = yield* runHandler(core, route.handler, apiKey, params, request)
    if (fault.action._tag === "Drop") {
      yield* count(core, (c) => ({ ...c, responsesDropped: c.responsesDropped + 1 }))
      return drop
    }
    return reply
  })
