import { Effect, Option, Redacted, Schema } from "effect"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import { type PlatformConfigWithSecrets, SecretColumn } from "../../ports/platform-config-repository.js"
import type { ConnectorConfig } from "../../ports/platform-module.js"

const CredentialsJson = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/** Decrypts a stored config into what a connector is built from; secrets stay Redacted. */
export const decryptConfig = (config: PlatformConfigWithSecrets) =>
  Effect.gen(function*() {
    const cipher = yield* CredentialCipher
    const credentialsText = yield* cipher.decrypt(config.credentialsCiphertext, {
      row: config.id,
      column: SecretColumn.credentials
    })
    const credentials = yield* Schema.decodeUnknown(CredentialsJson)(Redacted.value(credentialsText)).pipe(
      Effect.mapError(() => new Error("stored credentials are not a JSON object"))
    )
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
      version: config.updatedAt
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
