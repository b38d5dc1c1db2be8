import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { Platform, RestaurantId } from "../../domain/ids.js"
import { NotFound, Unavailable } from "./errors.js"

/** The entity types a backfill links: what a restaurant already has on both sides. */
export const BackfillEntityType = Schema.Literal("dining_service", "dining_room", "table", "offer")
export type BackfillEntityType = typeof BackfillEntityType.Type

const Local = { entityType: BackfillEntityType, localId: Schema.String, localName: Schema.String }
const Remote = { externalId: Schema.String, externalName: Schema.String }

export const BackfillReport = Schema.Struct({
  dryRun: Schema.Boolean,
  matched: Schema.Array(Schema.Struct({ ...Local, ...Remote })),
  unmatchedLocal: Schema.Array(Schema.Struct(Local)),
  unmatchedRemote: Schema.Array(Schema.Struct({ entityType: BackfillEntityType, ...Remote })),
  /** Never guessed: an operator links these by hand. */
  ambiguous: Schema.Array(Schema.Struct({ ...Local, candidates: Schema.Array(Schema.Struct(Remote)) })),
  /** Mappings written; always 0 on a dry run. */
  created: Schema.Int
})
export type BackfillReport = typeof BackfillReport.Type

export const BackfillRequest = Schema.Struct({
  restaurantId: RestaurantId,
  platform: Platform,
  dryRun: Schema.Boolean
})

export const BackfillApi = HttpApiGroup.make("backfill").add(
  HttpApiEndpoint.post("run", "/api/backfill")
    .setPayload(BackfillRequest)
    .addSuccess(BackfillReport)
    .addError(NotFound)
    .addError(Unavailable)
)
