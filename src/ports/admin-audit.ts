import { Context, type Effect, Schema } from "effect"
import type { RestaurantScope } from "../domain/access.js"

/** What an administrator or operator did (issue 17): the actions that change who can do what. */
export const AuditAction = Schema.Literal(
  "platform_config.created",
  "platform_config.updated",
  "platform_config.deleted",
  "platform_config.webhook_secret_rotated",
  "job.replayed",
  "jobs.retries_forced",
  "store.status_set",
  "api_key.created",
  "api_key.revoked"
)
export type AuditAction = typeof AuditAction.Type

/**
 * One entry of the admin audit, as stored and shown: who (the key's id and name at the time), what,
 * on which record. Never a secret: `detail` holds names and counts, not values.
 */
export const AuditEntry = Schema.Struct({
  id: Schema.String,
  at: Schema.String,
  keyId: Schema.String,
  keyName: Schema.String,
  action: AuditAction,
  /** The record acted on (a config's id, a job's id, a key's id); null for a whole-queue action. */
  target: Schema.NullOr(Schema.String),
  /** The restaurant concerned, when the action concerns one. */
  restaurantId: Schema.NullOr(Schema.String),
  detail: Schema.NullOr(Schema.String)
})
export type AuditEntry = typeof AuditEntry.Type

/** What an entry is recorded from: the adapter sets its id and time. */
export type AuditRecord = Omit<AuditEntry, "id" | "at">

export interface AuditQuery {
  /** Restricted callers see only their restaurants' entries; undefined: every entry. */
  readonly restaurantIds: RestaurantScope
  readonly limit: number
  readonly offset: number
}

export class AdminAudit extends Context.Tag("AdminAudit")<AdminAudit, {
  readonly record: (entry: AuditRecord) => Effect.Effect<void>
  /** Newest first. */
  readonly list: (
    query: AuditQuery
  ) => Effect.Effect<{ readonly items: ReadonlyArray<AuditEntry>; readonly total: number }>
}>() {}
