import { Effect, Either, ParseResult, Schema } from "effect"
import { createHash } from "node:crypto"
import type { Platform } from "../../../domain/ids.js"
import { PlatformPermanentError } from "../../../ports/connector-errors.js"

/** Pieces every connector builds the same way, bound to its platform. */
export const connectorKit = (platform: Platform) => {
  const permanent = (reason: PlatformPermanentError["reason"], message: string) =>
    new PlatformPermanentError({ platform, reason, message })
  return {
    permanent,
    invalid: (message: string) => permanent("validation", message),
    /** A mapper's refusal (Left) as a permanent validation error. */
    orInvalid: <A>(what: string, e: Either.Either<A, string>): Effect.Effect<A, PlatformPermanentError> =>
      Either.match(e, {
        onLeft: (m) => Effect.fail(permanent("validation", `${what}: ${m}`)),
        onRight: Effect.succeed
      }),
    /** Field names only: the rejected values may be secrets. */
    decodeCredentials: <A, I>(schema: Schema.Schema<A, I>) => (credentials: unknown) =>
      Schema.decodeUnknown(schema)(credentials).pipe(
        Effect.mapError((error) => {
          const fields = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
          return permanent("auth", `invalid ${platform} credentials: ${[...new Set(fields)].join(", ")}`)
        })
      )
  }
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")
