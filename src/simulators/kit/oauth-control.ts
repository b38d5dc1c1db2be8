import { Effect, Ref } from "effect"
import type { GuardCounters } from "./api-guard.js"
import { headerOf } from "./api-guard.js"
import type { FaultControl, QueueControl } from "./control.js"
import { faultControl, queueControl } from "./control.js"
import type { DeliveryQueue, DeliveryStats } from "./delivery-queue.js"
import type { FaultSwitch } from "./faults.js"
import type { SimReply, SimRequest } from "./http-server.js"
import { json } from "./http-server.js"
import type { TokenIssuer } from "./oauth.js"
import type { TokenBucketLimiter } from "./token-bucket.js"

export interface OAuthRequestCounters extends GuardCounters {
  /** 401s: no token, an unknown one or an expired one. */
  readonly unauthorized: number
  readonly expiredTokens: number
}

export const noOAuthRequests: OAuthRequestCounters = {
  requestsByRoute: {},
  rateLimited: 0,
  failuresInjected: 0,
  responsesDropped: 0,
  unauthorized: 0,
  expiredTokens: 0
}

/** The handle's side of a simulator whose tokens come from an OAuth issuer (Uber Eats, Deliveroo). */
export interface OAuthSimulatorControl<C> extends FaultControl {
  readonly setTokenLifetime: (seconds: number) => Effect.Effect<void>
  readonly revokeTokens: Effect.Effect<void>
  readonly webhooks: QueueControl
  /** The request counters, token requests received (granted or refused) and webhook deliveries. */
  readonly counters: Effect.Effect<C & { readonly tokenRequests: number; readonly webhooks: DeliveryStats }>
  readonly resetCounters: Effect.Effect<void>
}

export interface OAuthSimulatorCore<C> {
  readonly issuer: TokenIssuer
  readonly webhooks: DeliveryQueue
  readonly limiter: TokenBucketLimiter
  readonly faults: FaultSwitch
  readonly counters: Ref.Ref<C>
}

export const oauthSimulatorControl = <C>(core: OAuthSimulatorCore<C>, noCounters: C): OAuthSimulatorControl<C> => ({
  ...faultControl(core),
  setTokenLifetime: core.issuer.setLifetime,
  revokeTokens: core.issuer.revokeAll,
  webhooks: queueControl(core.webhooks),
  counters: Effect.map(
    Effect.all({
      counters: Ref.get(core.counters),
      tokenRequests: core.issuer.requests,
      webhooks: core.webhooks.stats
    }),
    ({ counters, tokenRequests, webhooks }) => ({ ...counters, tokenRequests, webhooks })
  ),
  resetCounters: Effect.all([Ref.set(core.counters, noCounters), core.issuer.resetRequests, core.webhooks.resetStats], {
    discard: true
  })
})

/** The token route: the issuer answers a POST (and counts it); anything else gets `methodNotAllowed`. */
export const handleIssuerTokenRequest = (
  issuer: TokenIssuer,
  request: SimRequest,
  methodNotAllowed: SimReply
): Effect.Effect<SimReply> =>
  request.method !== "POST"
    ? Effect.succeed(methodNotAllowed)
    : Effect.map(issuer.grant(new URLSearchParams(request.body), headerOf(request, "authorization")), (result) =>
      result._tag === "Granted" ? json(200, result.body) : json(result.status, { error: result.error }))
