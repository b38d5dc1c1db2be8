import { Schema } from "effect"
import { EntityType, Platform, RestaurantId } from "./ids.js"

/**
 * Issue 21, the change feed: what happened to a record, and who did it. A cancellation is the
 * update that sets a reservation's or an order's status to `cancelled`, named apart because the
 * main app acts on it differently (a freed table, a refund).
 */
export const ChangeAction = Schema.Literal("create", "update", "cancel", "delete")
export type ChangeAction = typeof ChangeAction.Type

/** The API (the main app, an operator), the voice AI, or the platform whose event made the change. */
export const ChangeOrigin = Schema.Union(Schema.Literal("api", "ai"), Platform)
export type ChangeOrigin = typeof ChangeOrigin.Type

/** The action of an update, from the fields it changed. */
export const updateAction = (changes: object): ChangeAction =>
  (changes as { readonly status?: unknown }).status === "cancelled" ? "cancel" : "update"

/** One entry of the change log, as the feed, the stream and the webhooks show it. */
export const ChangeEntry = Schema.Struct({
  /** Unique and stable: the idempotency key of a consumer (and the webhook-id, `chg_<sequence>`). */
  sequence: Schema.Number,
  /** Where a reader resumes to get the entries after this one (opaque). */
  cursor: Schema.String,
  restaurantId: RestaurantId,
  entityType: EntityType,
  entityId: Schema.String,
  action: ChangeAction,
  /** The record's version after the change; null for the entity types that are not versioned. */
  version: Schema.NullOr(Schema.Number),
  origin: ChangeOrigin,
  occurredAt: Schema.String,
  /** The record as it stood at this version; for a deletion, as it stood when deleted. */
  record: Schema.Unknown
})
export type ChangeEntry = typeof ChangeEntry.Type
