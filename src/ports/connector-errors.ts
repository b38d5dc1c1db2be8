import { Data, type Duration } from "effect"
import type { Platform } from "../domain/ids.js"

/** worth retrying later. Messages never carry credentials. */
export class PlatformRetryableError extends Data.TaggedError("PlatformRetryableError")<{
  readonly platform: Platform
  readonly reason: "network" | "timeout" | "server" | "rate_limited"
  readonly status?: number | undefined
  readonly retryAfter?: Duration.Duration | undefined
  readonly message: string
}> {}

/** retrying the same call cannot succeed; the sync log records it as failed. */
export class PlatformPermanentError extends Data.TaggedError("PlatformPermanentError")<{
  readonly platform: Platform
  readonly reason: "validation" | "auth" | "not_found" | "conflict" | "unsupported"
  readonly status?: number | undefined
  readonly message: string
}> {}

export type ConnectorError = PlatformRetryableError | PlatformPermanentError

export const isRetryable = (e: ConnectorError): e is PlatformRetryableError => e._tag === "PlatformRetryableError"

/** A connector's own failure, whose message is the platform's words and never a credential. */
export const isConnectorError = (u: unknown): u is ConnectorError =>
  u instanceof PlatformRetryableError || u instanceof PlatformPermanentError
