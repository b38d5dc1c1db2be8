import { Clock, Effect } from "effect"
import { defaultRetrySettings, type RetrySettings } from "../kit/delivery-queue.js"
import type { SimRequest } from "../kit/http-server.js"
import { serveLoopback } from "../kit/http-server.js"
import { isUnder } from "../kit/router.js"
import { tunedCoreOptions } from "../kit/tenant-core.js"
import type { RateLimitSettings } from "../kit/token-bucket.js"
import { API_BASE, handleApiRequest } from "./api.js"
import { CONTROL_BASE, makeControlHandler } from "./control-routes.js"
import { makeSimulatorCore, type SimulatorMode } from "./core.js"
import { errorReply } from "./errors.js"
import { makeControl, type TheForkSimulatorControl } from "./handle.js"
import type { RestaurantSeedInput } from "./seed.js"
import { handleTokenRequest, TOKEN_PATH } from "./tokens.js"

export interface TheForkSimulatorOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number
  readonly restaurants?: ReadonlyArray<RestaurantSeedInput>
  /** Per API client. ASSUMPTION: 300 per minute (TheFork's limits are "per contract"); `null` for none. */
  readonly rateLimit?: RateLimitSettings | null
  readonly mode?: Partial<SimulatorMode>
  /** ASSUMPTION (thefork.md): 5 attempts, exponential, ~5 s timeout. */
  readonly webhookRetry?: Partial<RetrySettings>
}

export interface TheForkSimulatorHandle extends TheForkSimulatorControl {
  /** The B2B API base, e.g. `http://127.0.0.1:4020/manager` (connector `baseUrl`). */
  readonly url: string
  /** The token endpoint, e.g. `http://127.0.0.1:4020/oauth/token` (connector `authUrl`). */
  readonly authUrl: string
  readonly controlUrl: string
  readonly port: number
}

/**
 * Starts the TheFork B2B simulator on 127.0.0.1; it stops when the scope closes. It runs on the
 * real clock even inside a TestClock test: it is a real server.
 */
export const start = (options: TheForkSimulatorOptions = {}) =>
  Effect.gen(function*() {
    const core = yield* makeSimulatorCore(tunedCoreOptions(options, {
      rateLimit: { limit: 300, windowMs: 60_000 },
      mode: { apiChangesEmitWebhooks: true, tokenLifetimeSeconds: 8600 },
      webhookRetry: defaultRetrySettings
    }))
    const control = makeControl(core)
    for (const seed of options.restaurants ?? []) yield* control.seedRestaurant(seed)
    const handleControl = makeControlHandler(core, control)
    const route = (request: SimRequest) =>
      request.path === TOKEN_PATH
        ? handleTokenRequest(core, request)
        : isUnder(request.path, API_BASE)
        ? handleApiRequest(core, request)
        : isUnder(request.path, CONTROL_BASE)
        ? handleControl(request)
        : Effect.succeed(errorReply(404, "NOT_FOUND"))
    const { port, origin } = yield* serveLoopback(route, { port: options.port ?? 0 })
    const handle: TheForkSimulatorHandle = {
      ...control,
      url: `${origin}${API_BASE}`,
      authUrl: `${origin}${TOKEN_PATH}`,
      controlUrl: `${origin}${CONTROL_BASE}`,
      port
    }
    return handle
  }).pipe(Effect.withClock(Clock.make()))
