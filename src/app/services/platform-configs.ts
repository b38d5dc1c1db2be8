import { Effect, Option, ParseResult, Redacted, Schema } from "effect"
import { EachOnce } from "../../domain/fields.js"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import { defaultSyncEntities } from "../../ports/connector-capabilities.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { CredentialCipher } from "../../ports/credential-cipher.js"
import type { ListQuery } from "../../ports/entity-repository.js"
import {
  PlatformConfig,
  type PlatformConfigPatch,
  PlatformConfigRepository,
  SecretColumn
} from "../../ports/platform-config-repository.js"
import { Conflict, invalidField, notFound, ValidationError } from "../errors.js"
import { ConfigCache } from "../sync/config-cache.js"
import { issuesOf } from "../validation-issues.js"
import { mustBeVisible, requireRestaurant, scopeOfList } from "./access.js"
import { AdminAuditLog } from "./admin-audit.js"
import { CredentialCheck, tryCredentials } from "./credential-check.js"
import { checkWebhookSecret } from "./webhook-secrets.js"

const Entities = EachOnce(Schema.Array(EntityType).pipe(Schema.maxItems(8)))
const Url = Schema.String.pipe(
  Schema.maxLength(500),
  Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" })
)
/** Write-only: accepted here, encrypted at rest, never returned or logged (R-3.1). */
const Credentials = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Secret = Schema.String.pipe(Schema.minLength(8), Schema.maxLength(500))

const mutable = {
  externalRestaurantId: Schema.optional(Schema.String.pipe(Schema.nonEmptyString(), Schema.maxLength(255))),
  masterFor: Schema.optionalWith(Entities, { default: () => [] }),
  /** What the platform carries when left out (`defaultSyncEntities`). */
  syncEntities: Schema.optional(Entities),
  supportsWebhook: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  webhookUrl: Schema.optionalWith(Schema.NullOr(Url), { default: () => null }),
  webhookSecret: Schema.optionalWith(Schema.NullOr(Secret), { default: () => null }),
  pollIntervalSec: Schema.optionalWith(Schema.Int.pipe(Schema.between(30, 86_400)), { default: () => 300 }),
  isActive: Schema.optionalWith(Schema.Boolean, { default: () => true })
}

export const PlatformConfigCreate = Schema.Struct({
  restaurantId: RestaurantId,
  platform: Platform,
  credentials: Credentials,
  ...mutable
})
export type PlatformConfigCreate = typeof PlatformConfigCreate.Type

export const PlatformConfigUpdate = Schema.Struct({
  credentials: Schema.optional(Credentials),
  externalRestaurantId: Schema.optional(Schema.String.pipe(Schema.nonEmptyString(), Schema.maxLength(255))),
  masterFor: Schema.optional(Entities),
  syncEntities: Schema.optional(Entities),
  supportsWebhook: Schema.optional(Schema.Boolean),
  webhookUrl: Schema.optional(Schema.NullOr(Url)),
  webhookSecret: Schema.optional(Schema.NullOr(Secret)),
  pollIntervalSec: Schema.optional(Schema.Int.pipe(Schema.between(30, 86_400))),
  isActive: Schema.optional(Schema.Boolean)
})
export type PlatformConfigUpdate = typeof PlatformConfigUpdate.Type

/** A saved config and what its credentials were found to do: saved even when the check fails. */
export const PlatformConfigSaved = Schema.Struct({ ...PlatformConfig.fields, credentialCheck: CredentialCheck })

/** Query parameters that carry a secret in a webhook URL (the platform's `?token=`). */
const secretParameter = /^(token|secret|key|api[-_]?key|access[-_]?token|signature|sig)$/i

/**
 * Issue 17: a config is shown with its webhook URL but not the secret in its query, which only the
 * platform needs: an answer, a log or a browser's history must not hold it.
 */
export const withoutUrlSecret = <C extends { readonly webhookUrl: string | null }>(config: C): C => {
  if (config.webhookUrl === null || !config.webhookUrl.includes("?")) return config
  const at = config.webhookUrl.indexOf("?")
  const base = config.webhookUrl.slice(0, at)
  const kept = new URLSearchParams(config.webhookUrl.slice(at + 1))
  for (const name of [...kept.keys()]) if (secretParameter.test(name)) kept.delete(name)
  const rest = kept.toString()
  return { ...config, webhookUrl: rest === "" ? base : `${base}?${rest}` }
}

/**
 * Platform configs as operators manage them: credentials are checked against the platform's
 * schema, encrypted before they are stored, and never handed back (R-3.1).
 */
export class PlatformConfigs extends Effect.Service<PlatformConfigs>()("PlatformConfigs", {
  effect: Effect.gen(function*() {
    const repository = yield* PlatformConfigRepository
    const cipher = yield* CredentialCipher
    const registry = yield* ConnectorRegistry
    const cache = yield* ConfigCache
    const audit = yield* AdminAuditLog
    // This instance sees its own config changes at once (others within the cache's lifetime).
    const fresh = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.tap(effect, () => cache.invalidateAll)

    const checkCredentials = (platform: Platform, credentials: Readonly<Record<string, unknown>>) =>
      Effect.gen(function*() {
        const module = registry.moduleFor(platform)
        if (Option.isNone(module)) return yield* invalidField("platform", `${platform} has no connector yet`)
        // Issues name the field and its rule, never the value: the rejected values may be secrets. A
        // field the platform does not take is refused: a misspelt `timeZone` would be dropped unseen.
        yield* Schema.decodeUnknown(module.value.credentialsSchema, { errors: "all", onExcessProperty: "error" })(
          credentials
        ).pipe(
          Effect.mapError((error) => {
            const issues = issuesOf(ParseResult.ArrayFormatter.formatErrorSync(error)).map((issue) => ({
              path: issue.path === "" ? "credentials" : `credentials.${issue.path}`,
              message: issue.message
            }))
            return new ValidationError({ message: `invalid ${platform} credentials`, issues })
          })
        )
        // Issue 18, egress policy: credentials are sent only to the platform or an allowed host.
        const refused = registry.refusedUrls(platform, credentials)
        if (refused.length > 0) {
          return yield* new ValidationError({
            message: `credentials name a destination the egress policy refuses: ${
              refused.map((r) => `credentials.${r.field}`).join(", ")
            }`,
            issues: refused.map((r) => ({ path: `credentials.${r.field}`, message: r.message }))
          })
        }
        return module.value.externalRestaurantIdOf?.(credentials)
      })

    // Issue 18: a webhook secret follows its platform's rule, given the credentials it goes with.
    const checkSecret = (
      platform: Platform,
      credentials: Readonly<Record<string, unknown>>,
      secret: string | null | undefined
    ) =>
      secret === null || secret === undefined
        ? Effect.void
        : checkWebhookSecret(platform, credentials, secret).pipe(Effect.provideService(ConnectorRegistry, registry))

    // Each ciphertext is bound to its config and column (issue 18).
    const encrypt = (value: unknown, id: string) =>
      cipher.encrypt(Redacted.make(JSON.stringify(value)), { row: id, column: SecretColumn.credentials })
    const encryptSecret = (secret: string | null, id: string) =>
      secret === null
        ? Effect.succeed(null)
        : cipher.encrypt(Redacted.make(secret), { row: id, column: SecretColumn.webhookSecret })
    const taken = Effect.mapError(() =>
      new Conflict({
        message:
          "this restaurant already has a config for this platform, or another restaurant uses the same platform account"
      })
    )

    /** Issue 20, item 8: the stored credentials tried against the platform, read-only. */
    const check = (config: PlatformConfig) =>
      Effect.gen(function*() {
        const loaded = yield* cache.byRestaurant(config.restaurantId, config.platform)
        return yield* Option.match(loaded, {
          onNone: () => Effect.fail({ message: "the config was removed meanwhile" }),
          onSome: (found) => registry.connectorFor(found.connector)
        }).pipe(
          Effect.flatMap(tryCredentials),
          Effect.catchAll((error) =>
            Effect.succeed({
              platform: config.platform,
              authenticated: false,
              probes: [{ name: "connector", ok: false, message: error.message }],
              checkedAt: new Date().toISOString()
            })
          ),
          Effect.tap((result) =>
            result.authenticated
              ? Effect.void
              : Effect.logWarning(`${config.platform} credentials of config ${config.id} were refused`)
          )
        )
      })
    // Saving reports the check without refusing: an operator may store credentials before the
    // platform has enabled them.
    const checked = (config: PlatformConfig) =>
      Effect.map(check(config), (credentialCheck) => withoutUrlSecret({ ...config, credentialCheck }))

    /** Issue 17: a config of another restaurant than the caller's is not found. */
    const visible = (id: string) =>
      repository.get(id).pipe(
        Effect.mapError(() => notFound("platform config", id)),
        Effect.tap((config) => mustBeVisible(config.restaurantId, () => notFound("platform config", id)))
      )

    return {
      visible,
      /** A config as callers see it. */
      get: (id: string) => Effect.map(visible(id), withoutUrlSecret),
      list: (query: Omit<ListQuery, "restaurantIds"> & { readonly platform?: Platform | undefined }) =>
        Effect.flatMap(
          scopeOfList(query.restaurantId),
          (restaurantIds) => repository.list({ ...query, restaurantIds })
        ).pipe(Effect.map((page) => ({ ...page, items: page.items.map(withoutUrlSecret) }))),
      check: (id: string) => Effect.flatMap(visible(id), check),
      remove: (id: string) =>
        Effect.flatMap(
          visible(id),
          (config) =>
            repository.remove(id).pipe(
              fresh,
              Effect.mapError(() => notFound("platform config", id)),
              Effect.tap(() =>
                audit.record("platform_config.deleted", {
                  target: id,
                  restaurantId: config.restaurantId,
                  detail: config.platform
                })
              )
            )
        ),
      create: (input: PlatformConfigCreate) =>
        Effect.gen(function*() {
          yield* requireRestaurant(input.restaurantId)
          const derived = yield* checkCredentials(input.platform, input.credentials)
          const externalRestaurantId = input.externalRestaurantId ?? derived
          if (externalRestaurantId === undefined) {
            return yield* invalidField("externalRestaurantId", "is required for this platform")
          }
          yield* checkSecret(input.platform, input.credentials, input.webhookSecret)
          const id = crypto.randomUUID()
          return yield* repository.create({
            id,
            restaurantId: input.restaurantId,
            platform: input.platform,
            externalRestaurantId,
            credentialsCiphertext: yield* encrypt(input.credentials, id),
            webhookSecretCiphertext: yield* encryptSecret(input.webhookSecret, id),
            masterFor: input.masterFor,
            syncEntities: input.syncEntities ??
              Option.match(registry.moduleFor(input.platform), {
                onNone: () => ["reservation" as const],
                onSome: (module) => defaultSyncEntities(module.capabilities)
              }),
            supportsWebhook: input.supportsWebhook,
            webhookUrl: input.webhookUrl,
            pollIntervalSec: input.pollIntervalSec,
            isActive: input.isActive
          }).pipe(
            taken,
            fresh,
            Effect.tap(() =>
              audit.record("platform_config.created", {
                target: id,
                restaurantId: input.restaurantId,
                detail: input.platform
              })
            ),
            Effect.flatMap(checked)
          )
        }),
      update: (id: string, input: PlatformConfigUpdate) =>
        Effect.gen(function*() {
          const current = yield* visible(id)
          const patch: { -readonly [K in keyof PlatformConfigPatch]: PlatformConfigPatch[K] } = {
            masterFor: input.masterFor,
            syncEntities: input.syncEntities,
            supportsWebhook: input.supportsWebhook,
            webhookUrl: input.webhookUrl,
            pollIntervalSec: input.pollIntervalSec,
            isActive: input.isActive,
            externalRestaurantId: input.externalRestaurantId
          }
          if (input.credentials !== undefined) {
            const derived = yield* checkCredentials(current.platform, input.credentials)
            patch.credentialsCiphertext = yield* encrypt(input.credentials, id)
            patch.externalRestaurantId = input.externalRestaurantId ?? derived ?? current.externalRestaurantId
          }
          if (input.webhookSecret !== undefined) {
            if (input.webhookSecret !== null) {
              const credentials = input.credentials ??
                Option.match(yield* cache.byRestaurant(current.restaurantId, current.platform), {
                  onNone: () => ({}),
                  onSome: (loaded) => loaded.connector.credentials
                })
              yield* checkSecret(current.platform, credentials, input.webhookSecret)
            }
            patch.webhookSecretCiphertext = yield* encryptSecret(input.webhookSecret, id)
            // A secret set by hand replaces the old one at once; a rotation keeps an overlap.
            patch.previousWebhookSecretCiphertext = null
            patch.previousWebhookSecretUntil = null
          }
          const defined = Object.fromEntries(
            Object.entries(patch).filter(([, v]) => v !== undefined)
          ) as PlatformConfigPatch
          return yield* repository.update(id, defined).pipe(
            fresh,
            Effect.catchTags({
              PlatformConfigNotFound: () => Effect.fail(notFound("platform config", id)),
              PlatformConfigTaken: () =>
                Effect.fail(new Conflict({ message: "another restaurant uses the same platform account" }))
            }),
            // The fields changed, never their values (credentials and secrets among them).
            Effect.tap(() =>
              audit.record("platform_config.updated", {
                target: id,
                restaurantId: current.restaurantId,
                detail: Object.keys(input).sort().join(", ")
              })
            ),
            Effect.flatMap(checked)
          )
        })
    }
  })
}) {}
