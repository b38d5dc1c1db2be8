import type * as HttpClient from "@effect/platform/HttpClient"
import type { Effect, Option, Redacted, Schema } from "effect"
import type { InstantPrecision } from "../domain/echo.js"
import type { Platform, RestaurantId } from "../domain/ids.js"
import type { WebhookSecretScheme } from "../domain/webhook-secrets.js"
import type { CapabilityRow, PlatformConnector } from "./connector-capabilities.js"
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
  /** What the platform's API offers of the design's connector methods (issue 20, item 3). */
  readonly capabilities: CapabilityRow
  /** How finely the platform keeps a booking's time: our own push read back is compared at this precision. */
  readonly reservationTimePrecision: InstantPrecision
  /** Which rule the config's webhook secret follows, given its credentials (issue 18). */
  readonly webhookSecretScheme: (credentials: Readonly<Record<string, unknown>>) => WebhookSecretScheme
  /**
   * The platform's production URL for each URL field of the credentials. A credential may name
   * another URL only on a host the egress policy allows (simulators, tests).
   */
  readonly productionUrls: Readonly<Record<string, string>>
  readonly makeConnector: (
    config: ConnectorConfig
  ) => Effect.Effect<PlatformConnector, PlatformPermanentError, HttpClient.HttpClient | PlatformRateLimiter>
}
