import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { ChangeEntry } from "../../domain/changes.js"
import { EntityType, RestaurantId } from "../../domain/ids.js"
import { AppWebhookDelivery, DeliveryCounts, DeliveryStatus } from "../../ports/change-deliveries.js"
import { NotFound, TooManyRequests, ValidationError } from "../errors.js"
import { everyIssue } from "./every-issue.js"
import { Authentication, OperatorAuthentication } from "./middleware/authentication.js"

const Filters = {
  /** The cursor a previous page or event gave; none: from the start of the log. */
  after: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  restaurantId: Schema.optional(RestaurantId),
  entityType: Schema.optional(EntityType)
}

/**
 * Streams one key (or operator session) holds open at once on an instance. Each polls the log four
 * times a second and holds a buffer: a client that opens a stream per page view and never closes
 * them would otherwise take the database's time from every restaurant's sync.
 */
export const streamsPerKey = 16

export const ChangesPage = Schema.Struct({
  entries: Schema.Array(ChangeEntry),
  /** Give it back as `after` for the next page; it moves only past entries served. */
  cursor: Schema.String
})

/** Issue 21: the change feed, by page, as Server-Sent Events, and the webhook deliveries' dead letters. */
export const ChangesApi = HttpApiGroup.make("changes")
  .add(
    HttpApiEndpoint.get("page", "/").middleware(Authentication)
      .setUrlParams(everyIssue(Schema.Struct({
        ...Filters,
        limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000)), {
          default: () => 100
        })
      })))
      .addSuccess(ChangesPage)
      .addError(ValidationError)
  )
  .add(
    HttpApiEndpoint.get("stream", "/stream").middleware(Authentication)
      .setUrlParams(everyIssue(Schema.Struct(Filters)))
      .setHeaders(Schema.Struct({ "last-event-id": Schema.optional(Schema.String.pipe(Schema.maxLength(200))) }))
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .addError(ValidationError)
      .addError(TooManyRequests)
      .annotate(
        OpenApi.Description,
        `Server-Sent Events: \`event: change\` with an entry, its cursor as \`id\`; \`event: resume\` ends a stream that fell behind. A key holds at most ${streamsPerKey} streams open at once on an instance (429 past them).`
      )
  )
  .add(
    HttpApiEndpoint.get("deliveries", "/deliveries").middleware(OperatorAuthentication)
      .setUrlParams(everyIssue(Schema.Struct({
        status: Schema.optionalWith(DeliveryStatus, { default: () => "dead" as const }),
        limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)), {
          default: () => 50
        })
      })))
      .addSuccess(Schema.Struct({ items: Schema.Array(AppWebhookDelivery), counts: DeliveryCounts }))
  )
  .add(
    HttpApiEndpoint.post("replay", "/deliveries/:sequence/replay").middleware(OperatorAuthentication)
      .setPath(Schema.Struct({ sequence: Schema.NumberFromString.pipe(Schema.int(), Schema.positive()) }))
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound)
  )
  .prefix("/api/changes")
