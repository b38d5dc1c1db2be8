import { Effect } from "effect"
import type { DeliveryAttempt, DeliveryQueue, RetrySettings } from "./delivery-queue.js"
import type { FaultSettings, FaultSwitch } from "./faults.js"
import type { RateLimitSettings, TokenBucketLimiter } from "./token-bucket.js"

/** A simulator handle's hold on its webhook queue, the same on every platform. */
export interface QueueControl {
  /** `reorder` holds new deliveries until `release`/`flush`; `duplicate` sends each twice (same event id). */
  readonly configure: (
    options: { readonly duplicate?: boolean; readonly reorder?: boolean; readonly retry?: RetrySettings }
  ) => Effect.Effect<void>
  readonly release: (order: "in-order" | "reverse") => Effect.Effect<void>
  /** Releases held deliveries newest first, then waits until each succeeded or gave up. */
  readonly flush: Effect.Effect<void>
  readonly awaitIdle: Effect.Effect<void>
  readonly attempts: Effect.Effect<ReadonlyArray<DeliveryAttempt>>
}

export const queueControl = (queue: DeliveryQueue): QueueControl => ({
  configure: ({ duplicate, reorder, retry }) => queue.configure({ duplicate, hold: reorder, retry }),
  release: queue.release,
  flush: queue.release("reverse").pipe(Effect.zipRight(queue.awaitIdle)),
  awaitIdle: queue.awaitIdle,
  attempts: queue.attempts
})

/** Fault injection and the per-client rate limit, as every simulator handle offers them. */
export interface FaultControl {
  readonly setFaults: (faults: FaultSettings) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** Per client; `null` lifts it. */
  readonly setRateLimit: (settings: RateLimitSettings | null) => Effect.Effect<void>
}

export const faultControl = (
  core: { readonly faults: FaultSwitch; readonly limiter: TokenBucketLimiter }
): FaultControl => ({
  setFaults: core.faults.set,
  clearFaults: core.faults.clear,
  setRateLimit: core.limiter.configure
})
