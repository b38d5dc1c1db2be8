import { Context, Data, type Effect, type Option } from "effect"
import type { EntityType, Platform, RestaurantId } from "../domain/ids.js"
import type { ListQuery, Page } from "./entity-repository.js"

export class PlatformConfigNotFound extends Data.TaggedError("PlatformConfigNotFound")<{ readonly id: string }> {}
export class PlatformConfigTaken extends Data.TaggedError("PlatformConfigTaken")<{ readonly message: string }> {}

/** What may be shown: secrets appear only as "is set" flags. */
export interface PlatformConfig {
  readonly id: string
  readonly restaurantId: RestaurantId
  readonly platform: Platform
  readonly externalRestaurantId: string
  readonly masterFor: ReadonlyArray<EntityType>
  readonly syncEntities: ReadonlyArray<EntityType>
  readonly supportsWebhook: boolean
  readonly webhookUrl: string | null
  readonly hasWebhookSecret: boolean
  readonly pollIntervalSec: number
  readonly isActive: boolean
  readonly lastSyncAt: string | null
  readonly lastError: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** A config with its secrets still encrypted: only the sync engine asks for these. */
export interface PlatformConfigWithSecrets extends PlatformConfig {
  readonly credentialsCiphertext: string
  readonly webhookSecretCiphertext: string | null
}

export interface PlatformConfigWrite {
  readonly restaurantId: RestaurantId
  readonly platform: Platform
  readonly externalRestaurantId: string
  readonly credentialsCiphertext: string
  readonly webhookSecretCiphertext: string | null
  readonly masterFor: ReadonlyArray<EntityType>
  readonly syncEntities: ReadonlyArray<EntityType>
  readonly supportsWebhook: boolean
  readonly webhookUrl: string | null
  readonly pollIntervalSec: number
  readonly isActive: boolean
}

export type PlatformConfigPatch = Partial<Omit<PlatformConfigWrite, "restaurantId" | "platform">>

export class PlatformConfigRepository extends Context.Tag("PlatformConfigRepository")<PlatformConfigRepository, {
  readonly create: (input: PlatformConfigWrite) => Effect.Effect<PlatformConfig, PlatformConfigTaken>
  readonly get: (id: string) => Effect.Effect<PlatformConfig, PlatformConfigNotFound>
  readonly list: (query: ListQuery & { readonly platform?: Platform | undefined }) => Effect.Effect<Page<PlatformConfig>>
  readonly update: (id: string, patch: PlatformConfigPatch) => Effect.Effect<PlatformConfig, PlatformConfigNotFound | PlatformConfigTaken>
  readonly remove: (id: string) => Effect.Effect<void, PlatformConfigNotFound>
  /** Webhook routing: the config a platform's restaurant id belongs to. */
  readonly findByExternal: (platform: Platform, externalRestaurantId: string) => Effect.Effect<Option.Option<PlatformConfigWithSecrets>>
  readonly findWithSecrets: (restaurantId: RestaurantId, platform: Platform) => Effect.Effect<Option.Option<PlatformConfigWithSecrets>>
  /** Active configs, for polling and the operator view. */
  readonly listActive: () => Effect.Effect<ReadonlyArray<PlatformConfigWithSecrets>>
  readonly recordOutcome: (
    restaurantId: RestaurantId,
    platform: Platform,
    outcome: { readonly ok: true; readonly at: string } | { readonly ok: false; readonly error: string }
  ) => Effect.Effect<void>
}>() {}
