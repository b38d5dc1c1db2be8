import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { randomBytes } from "node:crypto"
import type { Platform } from "../../domain/ids.js"
import { STANDARD_WEBHOOKS_PREFIX, webhookSecretIssue, type WebhookSecretScheme } from "../../domain/webhook-secrets.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import { PlatformConfigRepository, SecretColumn } from "../../ports/platform-config-repository.js"
import { traced } from "../../ports/traced.js"
import { invalidField, notFound } from "../errors.js"
import { ConfigCache } from "../sync/config-cache.js"
import { mustBeVisible } from "./access.js"
import { AdminAuditLog } from "./admin-audit.js"

/** POST /api/platform-configs/{id}/webhook-secret: how long the replaced secret is still accepted. */
export const WebhookSecretRotation = Schema.Struct({
  overlapSeconds: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 7 * 86_400)), { default: () => 86_400 })
})
export type WebhookSecretRotation = typeof WebhookSecretRotation.Type

/** The new secret, shown this once: it is stored encrypted and never returned again. */
export const WebhookSecretIssued = Schema.Struct({
  webhookSecret: Schema.String,
  /** Until when deliveries signed with the previous secret are still accepted; null when there was none. */
  previousAcceptedUntil: Schema.NullOr(Schema.String)
})

const invalidSecret = (message: string) => invalidField("webhookSecret", message)

/** The rule a platform's webhook secret follows, given the config's credentials. */
export const webhookSecretScheme = (platform: Platform, credentials: Readonly<Record<string, unknown>>) =>
  Effect.map(ConnectorRegistry, (registry) =>
    Option.match(registry.moduleFor(platform), {
      onNone: (): WebhookSecretScheme => "platform-issued",
      onSome: (module) => module.webhookSecretScheme(credentials)
    }))

/** Issue 18: a secret breaking its platform's rule is a 400 naming the field, never quoting it. */
export const checkWebhookSecret = (
  platform: Platform,
  credentials: Readonly<Record<string, unknown>>,
  secret: string
) =>
  Effect.flatMap(webhookSecretScheme(platform, credentials), (scheme) => {
    const issue = webhookSecretIssue(scheme, secret)
    return issue === undefined ? Effect.void : Effect.fail(invalidSecret(issue))
  })

const generate = (scheme: "standard-webhooks" | "url-token") =>
  scheme === "standard-webhooks"
    ? `${STANDARD_WEBHOOKS_PREFIX}${randomBytes(32).toString("base64")}`
    : randomBytes(32).toString("base64url")

/**
 * Webhook secrets the service issues (issue 18): a new one generated and shown once; the one it
 * replaces stays accepted for the overlap, while the platform is given the new one.
 */
export class WebhookSecrets extends Effect.Service<WebhookSecrets>()("WebhookSecrets", {
  effect: Effect.gen(function*() {
    const repository = yield* PlatformConfigRepository
    const registry = yield* ConnectorRegistry
    const cipher = yield* CredentialCipher
    const cache = yield* ConfigCache
    const audit = yield* AdminAuditLog
    return {
      rotate: (id: string, rotation: WebhookSecretRotation) =>
        Effect.gen(function*() {
          const config = yield* repository.get(id).pipe(Effect.mapError(() => notFound("platform config", id)))
          yield* mustBeVisible(config.restaurantId, () => notFound("platform config", id))
          const loaded = yield* cache.byRestaurant(config.restaurantId, config.platform)
          if (Option.isNone(loaded)) return yield* notFound("platform config", id)
          const scheme = yield* webhookSecretScheme(config.platform, loaded.value.connector.credentials).pipe(
            Effect.provideService(ConnectorRegistry, registry)
          )
          if (scheme === "platform-issued") {
            return yield* invalidSecret(
              `${config.platform} issues this secret itself: set webhookSecret to the one it gave`
            )
          }
          const secret = generate(scheme)
          const now = yield* Clock.currentTimeMillis
          const current = loaded.value.connector.webhookSecret
          const until = Option.isSome(current) && rotation.overlapSeconds > 0
            ? new Date(now + rotation.overlapSeconds * 1000).toISOString()
            : null
          yield* repository.update(id, {
            webhookSecretCiphertext: yield* cipher.encrypt(Redacted.make(secret), {
              row: id,
              column: SecretColumn.webhookSecret
            }),
            previousWebhookSecretCiphertext: until === null || Option.isNone(current)
              ? null
              : yield* cipher.encrypt(current.value, { row: id, column: SecretColumn.previousWebhookSecret }),
            previousWebhookSecretUntil: until
          }).pipe(Effect.mapError(() => notFound("platform config", id)))
          yield* cache.invalidateAll
          yield* Effect.logInfo(`webhook secret of platform config ${id} rotated`)
          yield* audit.record("platform_config.webhook_secret_rotated", {
            target: id,
            restaurantId: config.restaurantId
          })
          return { webhookSecret: secret, previousAcceptedUntil: until }
        }).pipe(traced("WebhookSecrets.rotate"))
    }
  })
}) {}
