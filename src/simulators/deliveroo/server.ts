import { Clock, Effect } from "effect"
import { randomBytes } from "node:crypto"
import type { RetrySettings } from "../kit/delivery-queue.js"
import type { SimRequest } from "../kit/http-server.js"
import { serveLoopback } from "../kit/http-server.js"
import { isUnder } from "../kit/router.js"
import type { RateLimitSettings } from "../kit/token-bucket.js"
import { handleApiRequest, handleTokenRequest, TOKEN_PATH } from "./api.js"
import { CONTROL_BASE, makeControlHandler } from "./control-routes.js"
import { makeCore, type SiteIdentity } from "./core.js"
import type { DeliverooSimulatorControl } from "./handle.js"
import { makeControl } from "./handle.js"

export interface DeliverooSimulatorOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number
  readonly clientId?: string
  readonly clientSecret?: string
  /** Signs webhooks; distinct from the client secret (documented). */
  readonly webhookSecret?: string
  /** One brand's sites; one random site unless told. */
  readonly sites?: ReadonlyArray<SiteIdentity>
  readonly webhookUrl?: string | null
  readonly legacyWebhooks?: boolean
  /** 300 s (documented). */
  readonly tokenLifetimeSeconds?: number
  /** Per client id; `null` for none. */
  readonly rateLimit?: RateLimitSettings | null
  /** 10 minutes (documented). */
  readonly autoRejectMs?: number
  /** 3 minutes (documented). */
  readonly syncWindowMs?: number
  /** The Menu Event webhook's URL (configured apart from order events); none unless told. */
  readonly menuWebhookUrl?: string | null
  /** How long an upload is processed before it is live; 200 ms unless told. */
  readonly menuProcessingMs?: number
  /** Exponential back-off; the notes give up to 6 min for ASAP orders. */
  readonly webhookRetry?: Partial<RetrySettings>
}

export interface DeliverooSimulatorHandle extends DeliverooSimulatorControl {
  /** API base, e.g. `http://127.0.0.1:4031` (what `https://api.developers.deliveroo.com` is in production). */
  readonly url: string
  /** `http://127.0.0.1:4031/oauth2/token`. */
  readonly tokenUrl: string
  readonly controlUrl: string
  readonly port: number
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookSecret: string
  readonly sites: ReadonlyArray<SiteIdentity>
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex")

/** Starts the Deliveroo simulator on 127.0.0.1, on the real clock; it stops with the scope. */
export const start = (options: DeliverooSimulatorOptions = {}) =>
  Effect.gen(function*() {
    const client = {
      clientId: options.clientId ?? `roo-${hex(6)}`,
      clientSecret: options.clientSecret ?? hex(24),
      scopes: []
    }
    const webhookSecret = options.webhookSecret ?? hex(24)
    const sites = options.sites ??
      [{ siteId: `site-${hex(3)}`, brandId: `brand-${hex(3)}`, locationId: `loc-${hex(3)}` }]
    const core = yield* makeCore({
      client,
      sites,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
      rateLimit: options.rateLimit === undefined ? { limit: 100, windowMs: 1_000 } : options.rateLimit,
      webhookRetry: { maxAttempts: 9, initialDelayMs: 1_000, factor: 2, timeoutMs: 5_000, ...options.webhookRetry },
      settings: {
        webhookUrl: options.webhookUrl ?? null,
        webhookSecret,
        legacyWebhooks: options.legacyWebhooks ?? false,
        autoRejectMs: options.autoRejectMs ?? 600_000,
        syncWindowMs: options.syncWindowMs ?? 180_000,
        menuWebhookUrl: options.menuWebhookUrl ?? null,
        menuProcessingMs: options.menuProcessingMs ?? 200
      }
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
    const handle: DeliverooSimulatorHandle = {
      ...control,
      url: origin,
      tokenUrl: `${origin}${TOKEN_PATH}`,
      controlUrl: `${origin}${CONTROL_BASE}`,
      port,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      webhookSecret,
      sites
    }
    return handle
  }).pipe(Effect.withClock(Clock.make()))
