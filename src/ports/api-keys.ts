import { Context, type Effect, type Option, Schema } from "effect"
import { Role } from "../domain/access.js"
import { RestaurantId } from "../domain/ids.js"

/**
 * An API key as it is stored and shown (issue 17): never the key itself, only the SHA-256 of it
 * (kept apart, in `ApiKeyWrite`) and a few leading characters to recognise it by.
 */
export const ApiKey = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Role,
  /** `null`: every restaurant. */
  restaurants: Schema.NullOr(Schema.Array(RestaurantId)),
  /** The key's first characters (`ars_` and a few more): enough to tell keys apart, useless to call with. */
  prefix: Schema.String,
  createdAt: Schema.String,
  lastUsedAt: Schema.NullOr(Schema.String),
  revokedAt: Schema.NullOr(Schema.String)
})
export type ApiKey = typeof ApiKey.Type

/** What a new key is stored from: the repository sets its times. */
export interface ApiKeyWrite {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly restaurants: ReadonlyArray<RestaurantId> | null
  readonly prefix: string
  /** Hex SHA-256 of the whole key. */
  readonly hash: string
}

export class ApiKeyRepository extends Context.Tag("ApiKeyRepository")<ApiKeyRepository, {
  readonly create: (key: ApiKeyWrite) => Effect.Effect<ApiKey>
  /** The key with this hash, revoked or not (the caller tells a revoked key apart). */
  readonly findByHash: (hash: string) => Effect.Effect<Option.Option<ApiKey>>
  readonly get: (id: string) => Effect.Effect<Option.Option<ApiKey>>
  /** Every key, oldest first. */
  readonly list: () => Effect.Effect<ReadonlyArray<ApiKey>>
  /** Sets the revocation time once; a revoked key keeps its first one. None for an unknown id. */
  readonly revoke: (id: string) => Effect.Effect<Option.Option<ApiKey>>
  /** Records a use now (the caller decides how often: see the ApiKeys service). */
  readonly touch: (id: string) => Effect.Effect<void>
  /** Keys not revoked: on first start, none means a key must be made. */
  readonly countActive: () => Effect.Effect<number>
}>() {}
