import { Clock, Effect, Ref } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import type { RetrySettings } from "../kit/delivery-queue.js"
import type { SimRequest } from "../kit/http-server.js"
import { serveLoopback } from "../kit/http-server.js"
import { isUnder } from "../kit/router.js"
import type { RateLimitSettings } from "../kit/token-bucket.js"
import { handleApiRequest, handleTokenRequest, TOKEN_PATH } from "./api.js"
import { CONTROL_BASE, makeControlHandler } from "./control-routes.js"
import { makeCore } from "./core.js"
import type { UberEatsSimulatorControl } from "./handle.js"
import { makeControl } from "./handle.js"

/** ubereats.md scope table and corrections (Uber's authentication guide). */
export const ALL_SCOPES = [
  "eats.store",
  "eats.store.status.write",
  "eats.order",
  "eats.store.orders.read",
  "eats.store.orders.restaurantdelivery.status",
  "eats.report"
]

export interface UberEatsSimulatorOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number
  readonly clientId?: string
  readonly clientSecret?: string
  /** Scopes the app was granted; all of them unless told (a missing one makes its endpoints 403). */
  readonly scopes?: ReadonlyArray<string>
  /** Store UUIDs the app is provisioned for; one random store unless told. */
  readonly stores?: ReadonlyArray<{ readonly id: string; readonly name?: string }>
  readonly webhookUrl?: string | null
  /** ASSUMPTION (ubereats.md): 30 days. Tests shorten it. */
  readonly tokenLifetimeSeconds?: number
  /** Per client id; `null` for none. */
  readonly rateLimit?: RateLimitSettings | null
  /** 11.5 minutes (documented). */
  readonly acceptDeadlineMs?: number
  /** Documented: 1, 2, 4 … s, 7 attempts in total. */
  readonly webhookRetry?: Partial<RetrySettings>
}

export interface UberEatsSimulatorHandle extends UberEatsSimulatorControl {
  /** API base, e.g. `http://127.0.0.1:4030` (what `https://api.uber.com` is in production). */
  readonly url: string
  /** `http://127.0.0.1:4030/oauth/v2/token`. */
  readonly tokenUrl: string
  readonly controlUrl: string
  readonly port: number
  readonly clientId: string
  readonly clientSecret: string
  readonly storeIds: ReadonlyArray<string>
}

/** Starts the Uber Eats simulator on 127.0.0.1, on the real clock; it stops with the scope. */
export const start = (options: UberEatsSimulatorOptions = {}) =>
  Effect.gen(function*() {
    const app = {
      clientId: options.clientId ?? `uber-client-${randomBytes(6).toString("hex")}`,
      clientSecret: options.clientSecret ?? randomBytes(24).toString("base64url"),
      scopes: options.scopes ?? ALL_SCOPES
    }
    const stores = (options.stores ?? [{ id: randomUUID() }]).map((s) => ({ id: s.id, name: s.name ?? "Demo kitchen" }))
    const core = yield* makeCore({
      app,
      stores,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 2_592_000,
      rateLimit: options.rateLimit === undefined ? { limit: 100, windowMs: 1_000 } : options.rateLimit,
      webhookRetry: { maxAttempts: 7, initialDelayMs: 1_000, factor: 2, timeoutMs: 5_000, ...options.webhookRetry },
      settings: { webhookUrl: options.webhookUrl ?? null, acceptDeadlineMs: options.acceptDeadlineMs ?? 690_000 }
    })
    const control = makeControl(core)
    const handleControl = makeControlHandler(control)
    const route = (request: SimRequest) =>
      request.path === TOKEN_PATH
        ? handleTokenRequest(core, request)
        : isUnder(request.path, CONTROL_BASE)
        ? handleControl(request)
        : handleApiRequest(core, request)
    // A menu of a few hundred items with their options runs to megabytes.
    const { port, origin } = yield* serveLoopback(route, { port: options.port ?? 0, maxBodyBytes: 20_000_000 })
    yield* Ref.set(core.origin, origin)
    const handle: UberEatsSimulatorHandle = {
      ...control,
      url: origin,
      tokenUrl: `${origin}${TOKEN_PATH}`,
      controlUrl: `${origin}${CONTROL_BASE}`,
      port,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      storeIds: stores.map((s) => s.id)
    }
    return handle
  }).pipe(Effect.withClock(Clock.make()))
