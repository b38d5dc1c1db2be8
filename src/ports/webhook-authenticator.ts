import { Data, type Effect, type Redacted } from "effect"
import type { WebhookEvent } from "../domain/dtos.js"

/** A webhook delivery as the HTTP edge received it. */
export interface InboundRequest {
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, string>>
  readonly rawBody: string
}

export class WebhookRejected extends Data.TaggedError("WebhookRejected")<{
  readonly reason: "unauthenticated" | "malformed"
  readonly message: string
}> {}

/**
 * Per platform, not per restaurant: the restaurant is found in the delivery first, then its
 * config's secret authenticates it. `credentials` (the config's decrypted credentials) carries
 * per-restaurant settings such as the timezone or the signing mode; without it, defaults apply.
 */
export interface WebhookAuthenticator {
  readonly restaurantOf: (req: InboundRequest) => Effect.Effect<string, WebhookRejected>
  readonly authenticate: (
    req: InboundRequest,
    secret: Redacted.Redacted<string>,
    now: Date,
    credentials?: Readonly<Record<string, unknown>>
  ) => Effect.Effect<void, WebhookRejected>
  readonly parse: (
    req: InboundRequest,
    now: Date,
    credentials?: Readonly<Record<string, unknown>>
  ) => Effect.Effect<ReadonlyArray<WebhookEvent>, WebhookRejected>
}
