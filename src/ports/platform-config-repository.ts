import { Context, Data, type Effect, type Option, Schema } from "effect"
import { Timestamps } from "../domain/fields.js"
import { EntityType, Platform, RestaurantId } from "../domain/ids.js"
import type { ListQuery, Page } from "./entity-repository.js"

export class PlatformConfigNotFound extends Data.TaggedError("PlatformConfigNotFound")<{ readonly id: string }> {}
export class PlatformConfigTaken extends Data.TaggedError("PlatformConfigTaken")<{ readonly message: string }> {}

/** What may be shown: secrets appear only as "is set" flags. */
export const PlatformConfig = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  platform: Platform,
  externalRestaurantId: Schema.String,
  masterFor: Schema.Array(EntityType),
  syncEntities: Schema.Array(EntityType),
  supportsWebhook: Schema.Boolean,
  webhookUrl: Schema.NullOr(Schema.String),
  hasWebhookSecret: Schema.Boolean,
  pollIntervalSec: Schema.Int,
  isActive: Schema.Boolean,
  lastSyncAt: Schema.NullOr(Schema.String),
  lastError: Schema.NullOr(Schema.String),
  ...Timestamps
})
export type PlatformConfig = typeof PlatformConfig.Type

/** A config with its secrets still encrypted: only the sync engine asks for these. */
export const PlatformConfigWithSecrets = Schema.Struct({
  ...PlatformConfig.fields,
  credentialsCiphertext: Schema.String,
  webhookSecretCiphertext: Schema.NullOr(Schema.String),
  /** After a rotation: the secret replaced, still accepted until `previousWebhookSecretUntil`. */
  previousWebhookSecretCiphertext: Schema.NullOr(Schema.String),
  previousWebhookSecretUntil: Schema.NullOr(Schema.String)
})
export type PlatformConfigWithSecrets = typeof PlatformConfigWithSecrets.Type

export const withoutSecrets = (
  {
    credentialsCiphertext: _c,
    previousWebhookSecretCiphertext: _p,
    previousWebhookSecretUntil: _u,
    webhookSecretCiphertext: _w,
    ...config
  }: PlatformConfigWithSecrets
): PlatformConfig => config

/**
 * What a config is written from: the repository sets its secret flag, outcome and times, and its
 * id unless given (the ciphertexts are bound to the id, so the caller chooses it first).
 */
export type PlatformConfigWrite =
  & Omit<
    PlatformConfigWithSecrets,
    | "id"
    | "hasWebhookSecret"
    | "lastSyncAt"
    | "lastError"
    | "createdAt"
    | "updatedAt"
    | "previousWebhookSecretCiphertext"
    | "previousWebhookSecretUntil"
  >
  & { readonly id?: string | undefined }

export type PlatformConfigPatch = Partial<
  & Omit<PlatformConfigWrite, "restaurantId" | "platform" | "id">
  & Pick<PlatformConfigWithSecrets, "previousWebhookSecretCiphertext" | "previousWebhookSecretUntil">
>

export class PlatformConfigRepository extends Context.Tag("PlatformConfigRepository")<PlatformConfigRepository, {
  readonly create: (input: PlatformConfigWrite) => Effect.Effect<PlatformConfig, PlatformConfigTaken>
  readonly get: (id: string) => Effect.Effect<PlatformConfig, PlatformConfigNotFound>
  readonly list: (
    query: ListQuery & { readonly platform?: Platform | undefined }
  ) => Effect.Effect<Page<PlatformConfig>>
  readonly update: (
    id: string,
    patch: PlatformConfigPatch
  ) => Effect.Effect<PlatformConfig, PlatformConfigNotFound | PlatformConfigTaken>
  readonly remove: (id: string) => Effect.Effect<void, PlatformConfigNotFound>
  /** Webhook routing: the config a platform's restaurant id belongs to. */
  readonly findByExternal: (
    platform: Platform,
    externalRestaurantId: string
  ) => Effect.Effect<Option.Option<PlatformConfigWithSecrets>>
  readonly findWithSecrets: (
    restaurantId: RestaurantId,
    platform: Platform
  ) => Effect.Effect<Option.Option<PlatformConfigWithSecrets>>
  /** Active configs, for polling and the operator view. */
  readonly listActive: () => Effect.Effect<ReadonlyArray<PlatformConfigWithSecrets>>
  readonly recordOutcome: (
    restaurantId: RestaurantId,
    platform: Platform,
    outcome: { readonly ok: true; readonly at: string } | { readonly ok: false; readonly error: string }
  ) => Effect.Effect<void>
}>() {}

/** The columns holding ciphertexts: each ciphertext is bound to its config's id and its column. */
export const SecretColumn = {
  credentials: "credentials",
  webhookSecret: "webhook_secret",
  previousWebhookSecret: "webhook_secret_previous"
} as const
