import { Context, type Effect, type Option } from "effect"
import type { Platform } from "../domain/ids.js"
import type { PlatformConnector } from "./connector-capabilities.js"
import type { PlatformPermanentError } from "./connector-errors.js"
import type { ConnectorConfig, PlatformModule } from "./platform-module.js"

/** the connector of (platform, restaurant), built from its decrypted credentials. */
export class ConnectorRegistry extends Context.Tag("ConnectorRegistry")<ConnectorRegistry, {
  /** Cached per (platform, restaurant); rebuilt when `config.version` changes. */
  readonly connectorFor: (config: ConnectorConfig) => Effect.Effect<PlatformConnector, PlatformPermanentError>
  readonly moduleFor: (platform: Platform) => Option.Option<PlatformModule>
  /**
   * Issue 18, egress policy: the credentials' URL fields that point anywhere but the platform's
   * production URLs or a host the server's allowlist names, each with why. Empty when all is well.
   */
  readonly refusedUrls: (
    platform: Platform,
    credentials: Readonly<Record<string, unknown>>
  ) => ReadonlyArray<{ readonly field: string; readonly message: string }>
}>() {}
