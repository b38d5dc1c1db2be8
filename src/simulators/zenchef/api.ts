import { Effect, Option } from "effect"
import { countRoute, limitFaultAndHandle } from "../kit/api-guard.js"
import type { SimReply, SimRequest } from "../kit/http-server.js"
import { makeRouter } from "../kit/router.js"
import type { ApiHandler } from "./api-route.js"
import { bookingRoutes } from "./booking-routes.js"
import type { SimulatorCore } from "./core.js"
import type { Problem } from "./problems.js"
import { notFound, problemReply } from "./problems.js"
import { queryRoutes } from "./query-routes.js"
import { restaurantRoutes } from "./restaurant-routes.js"

export const API_BASE = "/api/v1.2"

const router = makeRouter<ApiHandler>([...restaurantRoutes, ...bookingRoutes, ...queryRoutes])

const unauthorized = (detail: string): Problem => ({ status: 401, title: "Unauthorized", detail })

const guardReplies = {
  limited: (retryAfter: number) =>
    problemReply({ status: 429, title: "Too Many Requests", detail: `Retry after ${retryAfter} s` }, {
      "retry-after": String(retryAfter)
    }),
  failed: (status: number) => problemReply({ status, title: "Injected failure" })
}

const apiKeyOf = (request: SimRequest) => {
  const header = request.headers["apikey"]
  const value = Array.isArray(header) ? header[0] : header
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

const runHandler = (
  core: SimulatorCore,
  handler: ApiHandler,
  apiKey: string,
  params: Readonly<Record<string, string>>,
  request: SimRequest
) =>
  Effect.gen(function*() {
    if (handler._tag === "Key") return yield* handler.run({ core, apiKey, params })
    const restaurantUid = params["restaurantUid"] ?? ""
    const restaurant = yield* core.store.find(restaurantUid)
    if (Option.isNone(restaurant)) return problemReply(notFound(`Restaurant ${restaurantUid} not found`))
    if (!restaurant.value.config.apiKeys.includes(apiKey)) {
      return problemReply({
        status: 403,
        title: "Forbidden",
        detail: `This API key has no access to restaurant ${restaurantUid}`
      })
    }
    return yield* handler.run({ core, restaurant: restaurant.value, params, query: request.query, body: request.body })
  }).pipe(Effect.catchTag("ZenchefRejected", (rejected) => Effect.succeed(problemReply(rejected.problem))))

/**
 * One API request: route, count, authenticate, rate-limit, inject faults, handle. A dropped
 * response is decided before handling but applied after, so the change is kept (a retried
 * create must find its booking by external reference).
 */
export const handleApiRequest = (core: SimulatorCore, request: SimRequest): Effect.Effect<SimReply> =>
  Effect.gen(function*() {
    const lookup = router(request.method, request.path.slice(API_BASE.length))
    if (lookup._tag === "NotFound") return problemReply(notFound(`No route for ${request.method} ${request.path}`))
    if (lookup._tag === "MethodNotAllowed") return problemReply({ status: 405, title: "Method Not Allowed" })
    const { route, params } = lookup.match
    yield* countRoute(core, `${route.method} ${route.template}`)

    const apiKey = apiKeyOf(request)
    if (apiKey === undefined) return problemReply(unauthorized("The ApiKey header is required"))
    const known = (yield* core.store.all).some((r) => r.config.apiKeys.includes(apiKey))
    if (!known) return problemReply(unauthorized("Unknown API key"))

    return yield* limitFaultAndHandle(
      core,
      apiKey,
      guardReplies,
      () => runHandler(core, route.handler, apiKey, params, request)
    )
  })
