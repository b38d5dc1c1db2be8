import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import { Array as Arr, Clock, Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { WebhookEvent, type WebhookEventType } from "../../domain/dtos.js"
import { fastDecoderEither } from "../../domain/fast-decode.js"
import type { EntityType, Platform } from "../../domain/ids.js"
import { eventActions, pushActions } from "../../domain/job-action.js"
import { maxRetries as defaultMaxRetries } from "../../domain/retry-policy.js"
import { fallbackActionOf } from "../../domain/status.js"
import { trustedEncoderSync } from "../../domain/trusted-encode.js"
import {
  abandonedAttemptError,
  type EventToStore,
  type JobClaim,
  JobCounts,
  JobDirection,
  type StoredEvent,
  SyncJob,
  SyncJobQueue
} from "../../ports/sync-job-queue.js"
import { queuedPushParts, queueNow } from "./push-jobs.js"
import { andInScope, scopeCondition, toPage, uniqueViolation } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"
import { plannedEachRun } from "./statement-cache.js"

/** The table's row: the event is stored in the `payload` column. */
const JobRow = Schema.Struct({
  ...SyncJob.fields,
  event: Schema.propertySignature(SyncJob.fields.event).pipe(Schema.fromKey("payload"))
})

// The entity an inbound job is about: it only labels the row, the engine reads the event itself.
const eventEntityType = (type: WebhookEventType): EntityType =>
  type.startsWith("order.") ? "order" : type.startsWith("menu.") ? "menu_item" : "reservation"

// Per config, i.e. per restaurant and platform (issue 18): one restaurant's event id never hides
// another restaurant's event.
const eventKey = (restaurantId: string, platform: string, eventId: string) =>
  `${restaurantId}\u0000${platform}\u0000${eventId}`

const unreadableError = (error: ParseResult.ParseError) =>
  `its stored event cannot be read: ${
    ParseResult.ArrayFormatter.formatErrorSync(error).slice(0, 3).map((i) => `${i.path.join(".")} ${i.message}`)
      .join("; ")
  }`

const decodeJobRow = fastDecoderEither(JobRow)

/**
 * An event is stored with its known fields as they are, unchecked: every claim decodes it again,
 * and one the connector built wrong is dead at its claim with the reason (issue 19) instead of
 * failing the other deliveries committed with it. Checking it here too cost the intake about a
 * tenth of what it allocates per delivery.
 */
const encodeEvent = trustedEncoderSync(WebhookEvent)

const [outboundAction, inboundAction] = [fallbackActionOf("outbound"), fallbackActionOf("inbound")]
const [pushActionsJson, eventActionsJson] = [JSON.stringify(pushActions), JSON.stringify(eventActions)]

const claimsJson = (claims: ReadonlyArray<JobClaim>) => JSON.stringify(claims.map(({ claims, id }) => ({ id, claims })))

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const now = yield* queueNow
  // A later instant given by the app (a retry's due time) is kept as a delay from the queue's now.
  const fromNow = (instant: string) =>
    Effect.gen(function*() {
      const delayMs = Date.parse(instant) - (yield* Clock.currentTimeMillis)
      return sql`(${yield* now} + ${delayMs}::double precision * interval '1 millisecond')`
    })
  // The claims given that still hold their job.
  const held = (claims: ReadonlyArray<JobClaim>) =>
    sql`(SELECT c.id, c.claims FROM jsonb_to_recordset(${claimsJson(claims)}::jsonb) AS c(id bigint, claims integer))`

  // A job going back to pending meets the one-waiting-push index when a newer change of the same
  // entity was queued during its attempt: the job takes that change over (a push reloads the
  // entity). An enqueue that slips in between the two statements breaks the index: run again.
  // The job is a dead one (replay) or the one this claim holds (retry).
  const absorbWaitingPush = (job: { readonly id: number; readonly claims?: number }, onlyIfDead: boolean) =>
    sql<{ nextAttemptAt: string }>`
      DELETE FROM sync_jobs w USING sync_jobs j
      WHERE j.id = ${job.id} ${
      onlyIfDead ? sql`AND j.status = 'dead'` : sql`AND j.status = 'running' AND j.claims = ${job.claims ?? -1}`
    }
        AND j.direction = 'outbound' AND w.direction = 'outbound' AND w.status = 'pending' AND w.id <> j.id
        AND w.platform = j.platform AND w.entity_type = j.entity_type AND w.entity_id = j.entity_id
      RETURNING w.next_attempt_at`
  const backToPending = <A>(change: Effect.Effect<A, SqlError>) =>
    sql.withTransaction(change).pipe(
      Effect.retry({ times: 3, while: (error) => uniqueViolation(error) === "sync_jobs_one_pending_push" }),
      Effect.orDie
    )

  // Due jobs and jobs of a vanished worker are looked up apart, each along its own index: one
  // query with an OR of the two had to read and sort the whole backlog on every claim.
  // Rows are decoded one by one after the claim (see `claim`): one unreadable row must not fail the others.
  const claimDue = SqlSchema.findAll({
    Request: Schema.Struct({
      leaseMs: Schema.Number,
      limit: Schema.Number,
      maxRetries: Schema.Number,
      direction: Schema.optional(JobDirection)
    }),
    Result: Schema.Unknown,
    execute: ({ direction, leaseMs, limit, maxRetries }) =>
      Effect.flatMap(now, (now) => {
        // A job waits while another job of the same entity runs, or while an older one whose
        // lease ran out has not been taken again: one push of an entity at a time.
        const free = sql`
        ${direction === undefined ? sql`` : sql`AND j.direction = ${direction}`}
        AND (j.entity_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM sync_jobs r
          WHERE r.status = 'running' AND r.id <> j.id
            AND r.platform = j.platform AND r.entity_type = j.entity_type AND r.entity_id = j.entity_id
            AND (r.locked_until >= ${now} OR r.id < j.id)))`
        // Planned each run: the queue swings from empty to thousands of jobs within seconds.
        return sql`${sql.literal(plannedEachRun)}
        WITH due AS (
          SELECT j.id, j.next_attempt_at FROM sync_jobs j
          WHERE j.status = 'pending' AND j.next_attempt_at <= ${now} ${free}
          ORDER BY j.next_attempt_at, j.id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED),
        abandoned AS (
          SELECT j.id, j.next_attempt_at FROM sync_jobs j
          WHERE j.status = 'running' AND j.locked_until < ${now} ${free}
          ORDER BY j.next_attempt_at, j.id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED),
        claimed AS (
          -- An abandoned job's attempt never settled: it counts as failed, so a job that kills its
          -- worker each time ends as a dead letter instead of being taken forever.
          UPDATE sync_jobs j SET
            status = CASE WHEN j.status = 'running' AND j.attempts >= ${maxRetries} THEN 'dead' ELSE 'running' END,
            attempts = j.attempts + CASE WHEN j.status = 'running' THEN 1 ELSE 0 END,
            last_error = CASE WHEN j.status = 'running' THEN ${abandonedAttemptError} ELSE j.last_error END,
            claims = j.claims + 1,
            locked_until = CASE WHEN j.status = 'running' AND j.attempts >= ${maxRetries} THEN NULL
              ELSE ${now} + ${leaseMs}::double precision * interval '1 millisecond' END,
            updated_at = ${now}
          WHERE j.id IN (
            SELECT id FROM (SELECT * FROM due UNION ALL SELECT * FROM abandoned) AS c
            ORDER BY next_attempt_at, id LIMIT ${limit})
          RETURNING j.*),
        -- A job dead-lettered here has its failed line in the sync log, as one buried by a worker.
        buried AS (${deadLines("claimed", now)})
        SELECT * FROM claimed WHERE status = 'running' ORDER BY id`
      })
  })
  /** The failed sync-log line of each job of `rows` (a CTE's name) that is now dead. */
  const deadLines = (rows: string, now: Statement.Fragment) =>
    sql`
      INSERT INTO sync_logs (id, restaurant_id, entity_type, entity_id, platform, external_id, direction, action,
        status, error_message, retry_count, job_id, created_at)
      SELECT gen_random_uuid(), d.restaurant_id, d.entity_type, d.entity_id, d.platform, NULL, d.direction,
        -- The domain's \`jobAction\`, read from its tables: an unreadable event names the fallback.
        CASE WHEN d.direction = 'outbound'
          THEN COALESCE(${pushActionsJson}::jsonb ->> d.entity_type, ${outboundAction})
          ELSE COALESCE(${eventActionsJson}::jsonb ->> (d.payload ->> 'eventType'), ${inboundAction}) END,
        'failed', d.last_error, d.attempts, d.id, ${now}
      FROM ${sql(rows)} d WHERE d.status = 'dead'`

  const buryUnreadable = (id: number, reason: ParseResult.ParseError) =>
    Effect.flatMap(now, (now) =>
      sql`
        WITH buried AS (
          UPDATE sync_jobs SET status = 'dead', locked_until = NULL, last_error = ${unreadableError(reason)},
            updated_at = ${now}
          WHERE id = ${id} AND status = 'running'
          RETURNING *)
        ${deadLines("buried", now)}`).pipe(Effect.orDie, Effect.asVoid)

  const replayDead = SqlSchema.findOne({
    Request: Schema.Struct({ id: Schema.Number }),
    Result: JobRow,
    execute: ({ id }) =>
      Effect.flatMap(now, (now) =>
        sql`
      UPDATE sync_jobs SET status = 'pending', attempts = 0, next_attempt_at = ${now}, locked_until = NULL, updated_at = ${now}
      WHERE id = ${id} AND status = 'dead'
      RETURNING *`)
  })
  const byId = SqlSchema.findOne({
    Request: Schema.Number,
    Result: JobRow,
    execute: (id) => sql`SELECT * FROM sync_jobs WHERE id = ${id}`
  })
  const counts = (within: RestaurantScope) =>
    SqlSchema.single({
      Request: Schema.Void,
      Result: JobCounts,
      execute: () =>
        sql`
        SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
               count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying,
               count(*) FILTER (WHERE status = 'dead') AS dead
        FROM sync_jobs WHERE true ${andInScope(sql, within)}`
    })(undefined)

  const enqueueEvents = (items: ReadonlyArray<EventToStore>): Effect.Effect<ReadonlyArray<StoredEvent>> =>
    Effect.gen(function*() {
      // Only an event's first copy is sent: which copy a statement keeps is not left to PostgreSQL.
      const keys = items.map(({ event, restaurantId }) => eventKey(restaurantId, event.platform, event.eventId))
      const firstAt = new Map<string, number>()
      keys.forEach((key, i) => {
        if (!firstAt.has(key)) firstAt.set(key, i)
      })
      if (firstAt.size === 0) return []
      const at = yield* now
      const rows = Array.from(firstAt.values(), (i) => {
        const { event, restaurantId, traceParent } = items[i]!
        return {
          restaurant_id: restaurantId,
          platform: event.platform,
          entity_type: eventEntityType(event.eventType),
          event_key: event.eventId,
          payload: encodeEvent(event),
          trace_parent: traceParent ?? null
        }
      })
      // The batch travels as one jsonb parameter: with a parameter per column and row, a large
      // batch would pass PostgreSQL's cap of 65,535 parameters per statement.
      const inserted = yield* sql<{ restaurantId: string; platform: string; eventKey: string }>`
        INSERT INTO sync_jobs (direction, restaurant_id, platform, entity_type, event_key, payload, trace_parent, next_attempt_at, created_at, updated_at)
        SELECT 'inbound', e.restaurant_id, e.platform, e.entity_type, e.event_key, e.payload, e.trace_parent, ${at}, ${at}, ${at}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS e(restaurant_id text, platform text, entity_type text, event_key text, payload jsonb, trace_parent text)
        ON CONFLICT (restaurant_id, platform, event_key) WHERE direction = 'inbound' DO NOTHING
        RETURNING restaurant_id, platform, event_key`.pipe(Effect.orDie)
      const stored = new Set(inserted.map((row) => eventKey(row.restaurantId, row.platform, row.eventKey)))
      return keys.map((key, i) => ({ duplicate: firstAt.get(key) !== i || !stored.has(key) }))
    })

  const completeMany = (claims: ReadonlyArray<JobClaim>) =>
    claims.length === 0 ? Effect.succeed([]) : Effect.flatMap(now, (now) =>
      sql<{ id: string | number }>`
        UPDATE sync_jobs j SET status = 'done', locked_until = NULL, updated_at = ${now}
        FROM ${held(claims)} AS c
        WHERE j.id = c.id AND j.claims = c.claims AND j.status = 'running'
        RETURNING j.id`.pipe(Effect.orDie, Effect.map((rows) => rows.map((row) => Number(row.id)))))

  const enqueue = (restaurantId: string, entityType: EntityType, entityId: string, relayFrom?: Platform) =>
    Effect.gen(function*() {
      const at = yield* now
      const restaurant = sql`${restaurantId}`
      const [queued] = yield* sql<{ readonly n: number }>`
        WITH ${queuedPushParts(sql, { restaurant, entityType, entityId, at, relayFrom })}
        SELECT count(*)::int AS n FROM queued`.pipe(Effect.orDie)
      return queued?.n ?? 0
    })

  return SyncJobQueue.of({
    enqueuePush: (restaurantId, entityType, entityId) => enqueue(restaurantId, entityType, entityId),
    enqueueRelay: (restaurantId, entityType, entityId, from) => enqueue(restaurantId, entityType, entityId, from),
    enqueueEvent: (restaurantId, event) => Effect.map(enqueueEvents([{ restaurantId, event }]), ([stored]) => stored!),
    enqueueEvents,
    claim: ({ direction, leaseMs, limit, maxRetries }) =>
      Effect.gen(function*() {
        const rows = yield* Effect.orDie(
          claimDue({ leaseMs, limit, direction, maxRetries: maxRetries ?? defaultMaxRetries })
        )
        const [unreadable, jobs] = Arr.partitionMap(rows, (row) =>
          Either.mapLeft(decodeJobRow(row), (error) => ({ row: row as { readonly id: number }, error })))
        // Issue 19: a row whose stored event cannot be read (damaged by hand, or by an older
        // version) is dead at once, with its reason in the sync log: retrying cannot help.
        yield* Effect.forEach(unreadable, ({ error, row }) =>
          buryUnreadable(row.id, error), { discard: true })
        return jobs
      }),
    extendLeases: (claims, leaseMs) =>
      claims.length === 0 ? Effect.succeed(0) : Effect.flatMap(now, (now) =>
        sql`
          UPDATE sync_jobs j SET locked_until = ${now} + ${leaseMs}::double precision * interval '1 millisecond'
          FROM ${held(claims)} AS c
          WHERE j.id = c.id AND j.claims = c.claims AND j.status = 'running'
          RETURNING j.id`.pipe(Effect.orDie, Effect.map((rows) => rows.length))),
    release: (claims) =>
      Effect.flatMap(now, (at) =>
        Effect.map(
          Effect.forEach(claims, ({ claims, id }) =>
            backToPending(Effect.gen(function*() {
              yield* absorbWaitingPush({ id, claims }, false)
              const released = yield* sql`
                UPDATE sync_jobs SET status = 'pending', next_attempt_at = ${at}, locked_until = NULL, updated_at = ${at}
                WHERE id = ${id} AND claims = ${claims} AND status = 'running'
                RETURNING id`
              return released.length
            }))),
          (released) => released.reduce((sum, n) => sum + n, 0)
        )),
    complete: (claim) => Effect.map(completeMany([claim]), (ids) => ids.length === 1),
    completeMany,
    retryLater: ({ claims, id }, nextAttemptAt, error) =>
      Effect.gen(function*() {
        const at = yield* now
        const retryAt = yield* fromNow(nextAttemptAt)
        return yield* backToPending(Effect.gen(function*() {
          const waiting = yield* absorbWaitingPush({ id, claims }, false)
          // The change that was waiting keeps its due time, as enqueuePush would have made it.
          const dueAt = waiting.length === 0
            ? retryAt
            : sql`LEAST(${retryAt}, ${waiting.map((w) => w.nextAttemptAt).sort((a, b) =>
              Date.parse(a) - Date.parse(b)
            )[0]!}::timestamptz)`
          const settled = yield* sql`
            UPDATE sync_jobs SET status = 'pending', attempts = attempts + 1, next_attempt_at = ${dueAt},
              locked_until = NULL, last_error = ${error}, updated_at = ${at}
            WHERE id = ${id} AND claims = ${claims} AND status = 'running'
            RETURNING id`
          return settled.length === 1
        }))
      }),
    bury: ({ claims, id }, error) =>
      Effect.flatMap(now, (now) =>
        sql`
          UPDATE sync_jobs SET status = 'dead', attempts = attempts + 1, locked_until = NULL, last_error = ${error}, updated_at = ${now}
          WHERE id = ${id} AND claims = ${claims} AND status = 'running'
          RETURNING id`.pipe(Effect.orDie, Effect.map((rows) => rows.length === 1))),
    replay: (id) =>
      Effect.gen(function*() {
        if (!Number.isSafeInteger(id)) return Option.none()
        return yield* backToPending(Effect.zipRight(
          absorbWaitingPush({ id }, true),
          replayDead({ id }).pipe(Effect.catchTag("ParseError", Effect.die))
        ))
      }),
    counts: (within) => Effect.orDie(counts(within)),
    makeRetriesDue: (within) =>
      Effect.flatMap(now, (now) =>
        sql`
          UPDATE sync_jobs SET next_attempt_at = ${now}, updated_at = ${now}
          WHERE status = 'pending' AND attempts > 0 AND next_attempt_at > ${now} ${andInScope(sql, within)}
          RETURNING id`.pipe(Effect.orDie, Effect.map((rows) => rows.length))),
    list: (filter) =>
      Effect.gen(function*() {
        const where = sql.and([
          filter.status === "dead" ? sql`status = 'dead'` : sql`status = 'pending' AND attempts > 0`,
          ...(filter.restaurantId === undefined ? [] : [sql`restaurant_id = ${filter.restaurantId}`]),
          ...scopeCondition(sql, filter.restaurantIds),
          ...(filter.platform === undefined ? [] : [sql`platform = ${filter.platform}`]),
          ...(filter.direction === undefined ? [] : [sql`direction = ${filter.direction}`])
        ])
        const rows = yield* sql<{ totalCount: number }>`
          SELECT *, count(*) OVER () AS total_count FROM sync_jobs WHERE ${where}
          ORDER BY updated_at DESC, id DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`.pipe(Effect.orDie)
        const count = sql<{ n: number }>`SELECT count(*) AS n FROM sync_jobs WHERE ${where}`
        // A dead job whose event cannot be read is listed without it (its last error says why).
        const readable = rows.map((row) => Either.isLeft(decodeJobRow(row)) ? { ...row, payload: null } : row)
        return yield* toPage(filter, readable, count, JobRow)
      }),
    get: (id) => (Number.isSafeInteger(id) ? Effect.orDie(byId(id)) : Effect.succeedNone),
    // Settled jobs oldest first along sync_jobs_settled, then expired dead letters along sync_jobs_dead.
    prune: ({ deadBefore, doneBefore, limit }) =>
      Effect.gen(function*() {
        const done = yield* sql`
          DELETE FROM sync_jobs WHERE id IN (
            SELECT id FROM sync_jobs WHERE status = 'done' AND updated_at < ${doneBefore} ORDER BY updated_at LIMIT ${limit})
          RETURNING 1`
        const dead = done.length >= limit ? [] : yield* sql`
          DELETE FROM sync_jobs WHERE id IN (
            SELECT id FROM sync_jobs WHERE status = 'dead' AND updated_at < ${deadBefore} ORDER BY updated_at LIMIT ${
          limit - done.length
        })
          RETURNING 1`
        return done.length + dead.length
      }).pipe(Effect.orDie)
  })
})

export const SyncJobQueueSql = Layer.effect(SyncJobQueue, make)
