import type { HttpClient } from "@effect/platform"
import type { Effect, Option, Redacted, Schema } from "effect"
import type { Platform, RestaurantId } from "../domain/ids.js"
import type { PlatformConnector } from "./connector-capabilities.js"
import type { PlatformPermanentError } from "./connector-errors.js"
import type { PlatformRateLimiter } from "./platform-rate-limiter.js"
import type { WebhookAuthenticator } from "./webhook-authenticator.js"

export interface ConnectorConfig {
  readonly restaurantId: RestaurantId
  readonly platform: Platform
  readonly externalRestaurantId: string
  /** Decrypted JSON, checked by the module's `credentialsSchema`. */
  readonly credentials: Readonly<Record<string, unknown>>
  readonly webhookSecret: Option.Option<Redacted.Redacted<string>>
  /** Changes whenever the config changes, so a cached connector is rebuilt. */
  readonly version: string
}

/** Everything the service knows about one platform; adding a platform is adding one of these. */
export interface PlatformModule {
  readonly platform: Platform
  /** Validates the credentials when a config is saved. */
  readonly credentialsSchema: Schema.Schema.AnyNoContext
  /** The platform's id of the restaurant inside valid credentials: webhooks are routed by it. */
  readonly externalRestaurantIdOf?: (credentials: Readonly<Record<string, unknown>>) => string | undefined
  readonly webhooks: WebhookAuthenticator
  readonly makeConnector: (
    config: ConnectorConfig
  ) => Effect.Effect<PlatformConnector, PlatformPermanentError, HttpClient.HttpClient | PlatformRateLimiter>
}
