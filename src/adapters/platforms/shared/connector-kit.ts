import { Effect, Either, ParseResult, Schema } from "effect"
import { createHash } from "node:crypto"
import type { Platform } from "../../../domain/ids.js"
import { PlatformPermanentError } from "../../../ports/connector-errors.js"

/** Pieces every connector builds the same way, bound to its platform and its credentials' Schema. */
export const connectorKit = <C, CI>(platform: Platform, credentialsSchema: Schema.Schema<C, CI>) => {
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
    decodeCredentials: (credentials: unknown) =>
      Schema.decodeUnknown(credentialsSchema)(credentials).pipe(
        Effect.mapError((error) => {
          const fields = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
          return permanent("auth", `invalid ${platform} credentials: ${[...new Set(fields)].join(", ")}`)
        })
      )
  }
}

/** The platform's id of the restaurant, read from one field of valid credentials (R-6.1 routing). */
export const credentialField =
  <K extends string, A extends { readonly [k in K]: string }, I>(schema: Schema.Schema<A, I>, field: K) =>
  (credentials: Readonly<Record<string, unknown>>): string | undefined =>
    Either.getOrUndefined(Either.map(Schema.decodeUnknownEither(schema)(credentials), (c) => c[field]))

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")
