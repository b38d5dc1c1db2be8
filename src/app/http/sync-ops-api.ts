import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { Instant } from "../../domain/fields.js"
import { EntityType, Platform } from "../../domain/ids.js"
import { SyncDirection, SyncLogStatus } from "../../domain/status.js"
import { ExternalMapping } from "../../ports/mapping-repository.js"
import { JobCounts, JobDirection, SyncJob } from "../../ports/sync-job-queue.js"
import { SyncLog } from "../../ports/sync-log-repository.js"
import { NotFound } from "../errors.js"
import { everyIssue, NoQuery } from "./every-issue.js"
import { Authentication, OperatorAuthentication } from "./middleware/authentication.js"
import { PageOf, PageParams } from "./pagination.js"

// The records as the routes have always answered them: /logs without the line's job id,
// /mappings without the platform's raw record.
const SyncLogView = SyncLog.omit("jobId")
const MappingView = ExternalMapping.omit("externalRawData")

/** Issue 17: any key reads the records of its restaurants; replays and retries are for operators. */
export const SyncOpsApi = HttpApiGroup.make("sync")
  .add(
    HttpApiEndpoint.get("logs", "/logs").middleware(Authentication)
      .setUrlParams(everyIssue(
        Schema.Struct({
          ...PageParams,
          platform: Schema.optional(Platform),
          entityType: Schema.optional(EntityType),
          entityId: Schema.optional(Schema.String),
          status: Schema.optional(SyncLogStatus),
          direction: Schema.optional(SyncDirection),
          from: Schema.optional(Instant),
          to: Schema.optional(Instant)
        }).pipe(
          // A window that ends before it begins holds nothing: a request that asks for it is mistaken.
          Schema.filter(({ from, to }) =>
            from === undefined || to === undefined || Date.parse(from) <= Date.parse(to) ||
            { path: ["to"], message: "must not be before from" }
          )
        )
      ))
      .addSuccess(PageOf(SyncLogView))
  )
  .add(
    HttpApiEndpoint.get("mappings", "/mappings").middleware(Authentication)
      .setUrlParams(everyIssue(Schema.Struct({
        ...PageParams,
        platform: Schema.optional(Platform),
        entityType: Schema.optional(EntityType),
        entityId: Schema.optional(Schema.String)
      })))
      .addSuccess(PageOf(MappingView))
  )
  .add(
    HttpApiEndpoint.get("retryCount", "/retry").middleware(Authentication).setUrlParams(NoQuery).addSuccess(JobCounts)
  )
  .add(
    HttpApiEndpoint.post("runRetries", "/retry").middleware(OperatorAuthentication)
      .setUrlParams(
        everyIssue(Schema.Struct({ force: Schema.optionalWith(Schema.BooleanFromString, { default: () => false }) }))
      )
      .addSuccess(Schema.Struct({
        processed: Schema.Int,
        remaining: JobCounts,
        /** A drain still running after the answer (this call's, or another caller's): its results show up later. */
        inProgress: Schema.optional(Schema.Boolean)
      }))
  )
  .add(
    HttpApiEndpoint.get("jobs", "/jobs").middleware(Authentication)
      .setUrlParams(everyIssue(Schema.Struct({
        ...PageParams,
        status: Schema.Literal("retrying", "dead"),
        platform: Schema.optional(Platform),
        direction: Schema.optional(JobDirection)
      })))
      .addSuccess(PageOf(SyncJob))
  )
  .add(
    HttpApiEndpoint.post("replay", "/jobs/:id/replay").middleware(OperatorAuthentication)
      .setPath(Schema.Struct({ id: Schema.NumberFromString.pipe(Schema.int(), Schema.positive()) }))
      .addSuccess(SyncJob)
      .addError(NotFound)
  )
  .prefix("/api/sync")
