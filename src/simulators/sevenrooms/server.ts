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
import { makeControl, type SevenRoomsSimulatorControl } from "./handle.js"
import type { VenueSeedInput } from "./seed.js"

export interface SevenRoomsSimulatorOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number
  readonly venues?: ReadonlyArray<VenueSeedInput>
  /** Per API client; 600 per 60 s unless told (the budget a public tap keeps), `null` for none. */
  readonly rateLimit?: RateLimitSettings | null
  readonly mode?: Partial<SimulatorMode>
  readonly webhookRetry?: Partial<RetrySettings>
}

export interface SevenRoomsSimulatorHandle extends SevenRoomsSimulatorControl {
  /** The API base, e.g. `http://127.0.0.1:4030/api-ext/2_4` (connector `baseUrl`). */
  readonly url: string
  readonly controlUrl: string
  readonly port: number
}

/** Starts the SevenRooms simulator on 127.0.0.1 (real clock, even in TestClock tests); it stops with the scope. */
export const start = (options: SevenRoomsSimulatorOptions = {}) =>
  Effect.gen(function*() {
    const core = yield* makeSimulatorCore(tunedCoreOptions(options, {
      rateLimit: { limit: 600, windowMs: 60_000 },
      mode: { apiChangesEmitWebhooks: true, tokenLifetimeSeconds: 24 * 3600 },
      webhookRetry: defaultRetrySettings
    }))
    const control = makeControl(core)
    for (const seed of options.venues ?? []) yield* control.seedVenue(seed)
    const handleControl = makeControlHandler(core, control)
    const route = (request: SimRequest) =>
      isUnder(request.path, API_BASE)
        ? handleApiRequest(core, request)
        : isUnder(request.path, CONTROL_BASE)
        ? handleControl(request)
        : Effect.succeed(errorReply(404, `Try ${API_BASE}/... or ${CONTROL_BASE}/...`))
    const { port, origin } = yield* serveLoopback(route, { port: options.port ?? 0 })
    const handle: SevenRoomsSimulatorHandle = {
      ...control,
      url: `${origin}${API_BASE}`,
      controlUrl: `${origin}${CONTROL_BASE}`,
      port
    }
    return handle
  }).pipe(Effect.withClock(Clock.make()))
