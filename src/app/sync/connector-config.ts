import { Effect, Option, Redacted, Schema } from "effect"
import type { ConnectorConfig } from "../../ports/platform-module.js"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import type { PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"

const CredentialsJson = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/** Decrypts a stored config into what a connector is built from; secrets stay Redacted. */
export const decryptConfig = (config: PlatformConfigWithSecrets) =>
  Effect.gen(function* () {
    const cipher = yield* CredentialCipher
    const credentialsText = yield* cipher.decrypt(config.credentialsCiphertext)
    const credentials = yield* Schema.decodeUnknown(CredentialsJson)(Redacted.value(credentialsText)).pipe(
      Effect.mapError(() => new Error("stored credentials are not a JSON object"))
    )
    const webhookSecret = config.webhookSecretCiphertext === null
      ? Option.none()
      : Option.some(yield* cipher.decrypt(config.webhookSecretCiphertext))
    return {
      restaurantId: config.restaurantId,
      platform: config.platform,
      externalRestaurantId: config.externalRestaurantId,
      credentials,
      webhookSecret,
      version: config.updatedAt
    } satisfies ConnectorConfig
  })
