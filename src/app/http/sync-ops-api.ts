import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WebhookEvent } from "../../domain/dtos.js"
import { EntityType, Platform, RestaurantId } from "../../domain/ids.js"
import { MappingStatus, SyncAction, SyncDirection, SyncLogStatus } from "../../domain/status.js"
import { NotFound } from "./errors.js"
import { PageOf, PageParams } from "./pagination.js"

const Instant = Schema.String.pipe(Schema.filter((s) => !Number.isNaN(Date.parse(s)), { message: () => "must be an ISO 8601 date-time" }))

export const SyncLogView = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.NullOr(Schema.String),
  platform: Platform,
  externalId: Schema.NullOr(Schema.String),
  direction: SyncDirection,
  action: SyncAction,
  status: SyncLogStatus,
  requestPayload: Schema.optional(Schema.Unknown),
  responsePayload: Schema.optional(Schema.Unknown),
  errorMessage: Schema.optional(Schema.NullOr(Schema.String)),
  conflictResolution: Schema.optional(Schema.NullOr(Schema.String)),
  retryCount: Schema.optional(Schema.Int),
  nextRetryAt: Schema.optional(Schema.NullOr(Schema.String)),
  durationMs: Schema.optional(Schema.NullOr(Schema.Number)),
  createdAt: Schema.String
})

export const MappingView = Schema.Struct({
  id: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.String,
  platform: Platform,
  externalId: Schema.String,
  externalSecondaryId: Schema.NullOr(Schema.String),
  syncStatus: MappingStatus,
  syncedAt: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

export const JobView = Schema.Struct({
  id: Schema.Number,
  direction: Schema.Literal("outbound", "inbound"),
  restaurantId: RestaurantId,
  platform: Platform,
  entityType: EntityType,
  entityId: Schema.NullOr(Schema.String),
  event: Schema.NullOr(WebhookEvent),
  status: Schema.Literal("pending", "running", "done", "dead"),
  attempts: Schema.Int,
  claims: Schema.Int,
  nextAttemptAt: Schema.String,
  lastError: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

export const RetryCounts = Schema.Struct({ pending: Schema.Int, retrying: Schema.Int, dead: Schema.Int })

export const SyncOpsApi = HttpApiGroup.make("sync")
  .add(
    HttpApiEndpoint.get("logs", "/logs")
      .setUrlParams(Schema.Struct({
        ...PageParams,
        platform: Schema.optional(Platform),
        entityType: Schema.optional(EntityType),
        entityId: Schema.optional(Schema.String),
        status: Schema.optional(SyncLogStatus),
        direction: Schema.optional(SyncDirection),
        from: Schema.optional(Instant),
        to: Schema.optional(Instant)
      }))
      .addSuccess(PageOf(SyncLogView))
  )
  .add(
    HttpApiEndpoint.get("mappings", "/mappings")
      .setUrlParams(Schema.Struct({
        ...PageParams,
        platform: Schema.optional(Platform),
        entityType: Schema.optional(EntityType),
        entityId: Schema.optional(Schema.String)
      }))
      .addSuccess(PageOf(MappingView))
  )
  .add(HttpApiEndpoint.get("retryCount", "/retry").addSuccess(RetryCounts))
  .add(
    HttpApiEndpoint.post("runRetries", "/retry")
      .setUrlParams(Schema.Struct({ force: Schema.optionalWith(Schema.BooleanFromString, { default: () => false }) }))
      .addSuccess(Schema.Struct({ processed: Schema.Int, remaining: RetryCounts }))
  )
  .add(
    HttpApiEndpoint.get("jobs", "/jobs")
      .setUrlParams(Schema.Struct({
        ...PageParams,
        status: Schema.Literal("retrying", "dead"),
        platform: Schema.optional(Platform),
        direction: Schema.optional(Schema.Literal("outbound", "inbound"))
      }))
      .addSuccess(PageOf(JobView))
  )
  .add(
    HttpApiEndpoint.post("replay", "/jobs/:id/replay")
      .setPath(Schema.Struct({ id: Schema.NumberFromString.pipe(Schema.int(), Schema.positive()) }))
      .addSuccess(JobView)
      .addError(NotFound)
  )
  .prefix("/api/sync")
