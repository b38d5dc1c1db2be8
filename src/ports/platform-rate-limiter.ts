import { Context, type Effect } from "effect"

/** Client-side throttling shared by every connector using the same API key. Over the limit, callers wait. */
export class PlatformRateLimiter extends Context.Tag("PlatformRateLimiter")<PlatformRateLimiter, {
  readonly limit: (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}>() {}
