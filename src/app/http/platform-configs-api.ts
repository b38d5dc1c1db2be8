import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { Timestamps } from "../../domain/fields.js"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import { IdPath } from "./crud.js"
import { Conflict, NotFound, Unavailable, ValidationError } from "./errors.js"
import { PageOf, PageParams } from "./pagination.js"

const Entities = Schema.Array(EntityType).pipe(Schema.maxItems(8))
const Url = Schema.String.pipe(Schema.maxLength(500), Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }))
/** Write-only: accepted here, encrypted at rest, never returned or logged. */
const Credentials = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Secret = Schema.String.pipe(Schema.minLength(8), Schema.maxLength(500))

const mutable = {
  externalRestaurantId: Schema.optional(Schema.String.pipe(Schema.nonEmptyString(), Schema.maxLength(255))),
  masterFor: Schema.optionalWith(Entities, { default: () => [] }),
  syncEntities: Schema.optionalWith(Entities, { default: () => ["reservation" as const] }),
  supportsWebhook: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  webhookUrl: Schema.optionalWith(Schema.NullOr(Url), { default: () => null }),
  webhookSecret: Schema.optionalWith(Schema.NullOr(Secret), { default: () => null }),
  pollIntervalSec: Schema.optionalWith(Schema.Int.pipe(Schema.between(30, 86_400)), { default: () => 300 }),
  isActive: Schema.optionalWith(Schema.Boolean, { default: () => true })
}

export const PlatformConfigCreate = Schema.Struct({ restaurantId: RestaurantId, platform: Platform, credentials: Credentials, ...mutable })
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

export const PlatformConfigView = Schema.Struct({
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

/** Marketplace store status (Uber Eats, Deliveroo): open, or paused until a time. */
export const StoreStatusView = Schema.Struct({ status: Schema.Literal("open", "paused") })
export const StoreStatusChange = Schema.Struct({
  status: Schema.Literal("open", "paused"),
  until: Schema.optional(Schema.String.pipe(Schema.filter((s) => !Number.isNaN(Date.parse(s)), { message: () => "must be an ISO 8601 date-time" })))
})

export const PlatformConfigsApi = HttpApiGroup.make("platformConfigs")
  .add(
    HttpApiEndpoint.get("list", "/")
      .setUrlParams(Schema.Struct({ ...PageParams, platform: Schema.optional(Platform) }))
      .addSuccess(PageOf(PlatformConfigView))
  )
  .add(HttpApiEndpoint.get("get", "/:id").setPath(IdPath).addSuccess(PlatformConfigView).addError(NotFound))
  .add(
    HttpApiEndpoint.post("create", "/")
      .setPayload(PlatformConfigCreate)
      .addSuccess(PlatformConfigView, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.patch("update", "/:id")
      .setPath(IdPath)
      .setPayload(PlatformConfigUpdate)
      .addSuccess(PlatformConfigView)
      .addError(NotFound)
      .addError(ValidationError)
      .addError(Conflict)
  )
  .add(HttpApiEndpoint.del("remove", "/:id").setPath(IdPath).addSuccess(Schema.Void, { status: 204 }).addError(NotFound))
  .add(
    HttpApiEndpoint.get("storeStatus", "/:id/store-status")
      .setPath(IdPath)
      .addSuccess(StoreStatusView)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unavailable)
  )
  .add(
    HttpApiEndpoint.put("setStoreStatus", "/:id/store-status")
      .setPath(IdPath)
      .setPayload(StoreStatusChange)
      .addSuccess(StoreStatusView)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unavailable)
  )
  .prefix("/api/platform-configs")
