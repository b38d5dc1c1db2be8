import { Effect, Option, Redacted, Schema } from "effect"
import type { RestaurantId } from "../../domain/ids.js"
import { DEFAULT_TIMEZONE } from "../../domain/local-time.js"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import { type PlatformConfigWithSecrets, SecretColumn } from "../../ports/platform-config-repository.js"
import type { ConnectorConfig } from "../../ports/platform-module.js"
import { RestaurantSettingsRepository } from "../../ports/restaurant-settings.js"

const CredentialsJson = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * A restaurant's time zone is set once, in its settings (Europe/Paris until set). Credentials that
 * name no `timezone` of their own (Zenchef's and SevenRooms' take one) get it, so a booking reaches
 * the platform at the hour it was taken here, whatever the restaurant's zone.
 */
const withRestaurantTimeZone = (restaurantId: RestaurantId, credentials: Readonly<Record<string, unknown>>) =>
  credentials.timezone !== undefined
    ? Effect.succeed(credentials)
    : Effect.map(
      Effect.flatMap(RestaurantSettingsRepository, (settings) => settings.get(restaurantId)),
      (found) => ({
        ...credentials,
        timezone: Option.match(found, { onNone: () => DEFAULT_TIMEZONE, onSome: (s) => s.timezone })
      })
    )

/** Decrypts a stored config into what a connector is built from; secrets stay Redacted. */
export const decryptConfig = (config: PlatformConfigWithSecrets) =>
  Effect.gen(function*() {
    const cipher = yield* CredentialCipher
    const credentialsText = yield* cipher.decrypt(config.credentialsCiphertext, {
      row: config.id,
      column: SecretColumn.credentials
    })
    const stored = yield* Schema.decodeUnknown(CredentialsJson)(Redacted.value(credentialsText)).pipe(
      Effect.mapError(() => new Error("stored credentials are not a JSON object"))
    )
    const credentials = yield* withRestaurantTimeZone(config.restaurantId, stored)
    const webhookSecret = config.webhookSecretCiphertext === null
      ? Option.none()
      : Option.some(
        yield* cipher.decrypt(config.webhookSecretCiphertext, { row: config.id, column: SecretColumn.webhookSecret })
      )
    return {
      restaurantId: config.restaurantId,
      platform: config.platform,
      externalRestaurantId: config.externalRestaurantId,
      credentials,
      webhookSecret,
      // A change of the restaurant's zone rebuilds its connectors as a change of the config does.
      version: `${config.updatedAt} ${String(credentials.timezone)}`
    } satisfies ConnectorConfig
  })

/** A webhook secret replaced by a rotation, accepted until `until` (epoch milliseconds). */
export interface PreviousWebhookSecret {
  readonly secret: Redacted.Redacted<string>
  readonly until: number
}

export const decryptPreviousWebhookSecret = (config: PlatformConfigWithSecrets) =>
  Effect.gen(function*() {
    if (config.previousWebhookSecretCiphertext === null || config.previousWebhookSecretUntil === null) {
      return Option.none<PreviousWebhookSecret>()
    }
    const cipher = yield* CredentialCipher
    const secret = yield* cipher.decrypt(config.previousWebhookSecretCiphertext, {
      row: config.id,
      column: SecretColumn.previousWebhookSecret
    })
    return Option.some<PreviousWebhookSecret>({ secret, until: Date.parse(config.previousWebhookSecretUntil) })
  })
