import * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { Clock, Context, Effect } from "effect"
import type { EntityType, Platform } from "../../domain/ids.js"
import { holdsEveryRecord, pushSubscribersOf } from "../../domain/push-fan-out.js"

/**
 * Whose clock times the queue. Leases and due times are compared on one clock for every
 * instance, PostgreSQL's (`now()`), so an instance whose clock runs ahead never takes a live
 * lease (issue 19). Tests that drive time with TestClock set `clock` (the Effect Clock), as the
 * test database layer does.
 */
export class QueueTimeSource extends Context.Reference<QueueTimeSource>()("QueueTimeSource", {
  defaultValue: (): "database" | "clock" => "database"
}) {}

/** The queue's "now" as a SQL expression, on the clock QueueTimeSource names. */
export const queueNow = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return (yield* QueueTimeSource) === "database"
    ? Effect.succeed(sql`now()`)
    : Effect.map(Clock.currentTimeMillis, (ms) => sql`${new Date(ms).toISOString()}::timestamptz`)
})

/** A record's outbound push, for the configs of `restaurant` (a value or an expression). */
export interface QueuedPush {
  readonly restaurant: Statement.Fragment
  readonly entityType: EntityType
  readonly entityId: string
  /** The queue's now. */
  readonly at: Statement.Fragment
  /** A platform's change passed on (`relayTargets`): only the configs that hold the record, this platform's excepted. */
  readonly relayFrom?: Platform | undefined
}

/**
 * fan-out as two parts of a WITH clause: `queued` (one job per config the domain's audience
 * names, coalesced with a push still waiting, whose due time moves to now if later, attempts
 * kept) and `pending`, the record's mappings on those platforms (issue 20, item 11). Shared by
 * `enqueuePush` and a local write that queues its push in its own statement.
 */
export const queuedPushParts = (sql: SqlClient.SqlClient, push: QueuedPush) => {
  const { isActive, syncsAnyOf } = pushSubscribersOf(push.entityType)
  const { at, entityId, entityType } = push
  const holders = holdsEveryRecord(entityType) ? sql`` : sql`AND EXISTS (
        SELECT 1 FROM sync_external_mappings m
        WHERE m.entity_type = ${entityType} AND m.entity_id = ${entityId} AND m.platform = sync_platform_configs.platform)`
  const holdersOnly = push.relayFrom === undefined ? sql`` : sql`AND platform <> ${push.relayFrom} ${holders}`
  return sql`
    queued AS (
      INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, entity_id, next_attempt_at, created_at, updated_at)
      SELECT 'outbound', restaurant_id, platform, ${entityType}, ${entityId}, ${at}, ${at}, ${at}
      FROM sync_platform_configs
      WHERE restaurant_id = ${push.restaurant} AND is_active = ${isActive} AND sync_entities ?| ${syncsAnyOf}::text[]
        ${holdersOnly}
      ON CONFLICT (platform, entity_type, entity_id) WHERE status = 'pending' AND direction = 'outbound'
      DO UPDATE SET next_attempt_at = LEAST(sync_jobs.next_attempt_at, EXCLUDED.next_attempt_at), updated_at = EXCLUDED.updated_at
      RETURNING platform
    ), pending AS (
      UPDATE sync_external_mappings SET sync_status = 'pending', updated_at = ${at}
      WHERE entity_type = ${entityType} AND entity_id = ${entityId} AND sync_status <> 'pending'
        AND platform IN (SELECT platform FROM queued)
    )`
}
