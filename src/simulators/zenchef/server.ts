import { Clock, Effect } from "effect"
import type { RetrySettings } from "../kit/delivery-queue.js"
import type { SimRequest } from "../kit/http-server.js"
import { serveLoopback } from "../kit/http-server.js"
import { isUnder } from "../kit/router.js"
import { tunedCoreOptions } from "../kit/tenant-core.js"
import type { RateLimitSettings } from "../kit/token-bucket.js"
import { API_BASE, handleApiRequest } from "./api.js"
import { CONTROL_BASE, makeControlHandler } from "./control-routes.js"
import { defaultCoreOptions, makeSimulatorCore } from "./core.js"
import type { SimulatorControl } from "./handle.js"
import { makeControl } from "./handle.js"
import { notFound, problemReply } from "./problems.js"
import type { RestaurantSeedInput } from "./seed.js"
import type { SimulatorMode } from "./state.js"

export interface ZenchefSimulatorOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number
  readonly restaurants?: ReadonlyArray<RestaurantSeedInput>
  /** Per API key; 100 per minute unless told, `null` for no limit. */
  readonly rateLimit?: RateLimitSettings | null
  readonly mode?: Partial<SimulatorMode>
  readonly webhookRetry?: Partial<RetrySettings>
}

export interface ZenchefSimulatorHandle extends SimulatorControl {
  /** Base of the Formitable API, e.g. `http://127.0.0.1:4010/api/v1.2`. */
  readonly url: string
  /** Base of the JSON control routes, e.g. `http://127.0.0.1:4010/_sim`. */
  readonly controlUrl: string
  readonly port: number
}

/**
 * Starts the Zenchef (Formitable v1.2) simulator on 127.0.0.1; it stops when the scope closes.
 * It always runs on the real clock, even inside a TestClock test: it is a real server.
 */
export const start = (options: ZenchefSimulatorOptions = {}) =>
  Effect.gen(function*() {
    const core = yield* makeSimulatorCore(tunedCoreOptions(options, defaultCoreOptions))
    const control = makeControl(core)
    for (const seed of options.restaurants ?? []) yield* control.seedRestaurant(seed)
    const handleControl = makeControlHandler(core, control)
    const route = (request: SimRequest) =>
      isUnder(request.path, API_BASE)
        ? handleApiRequest(core, request)
        : isUnder(request.path, CONTROL_BASE)
        ? handleControl(request)
        : Effect.succeed(problemReply(notFound(`Try ${API_BASE}/... or ${CONTROL_BASE}/...`)))
    const { port, origin } = yield* serveLoopback(route, { port: options.port ?? 0 })
    const handle: ZenchefSimulatorHandle = {
      ...control,
      url: `${origin}${API_BASE}`,
      controlUrl: `${origin}${CONTROL_BASE}`,
      port
    }
    return handle
  }).pipe(Effect.withClock(Clock.make()))
