import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Schema } from "effect"
import { fastDecoder } from "../../domain/fast-decode.js"
import { ChangeDeliveries, DeliveryNotFound, type DeliveryStatus } from "../../ports/change-deliveries.js"
import { ChangeFeed, feedStart } from "../../ports/change-feed.js"
import { APP_WEBHOOKS_POSITION, ChangeRow, entryColumns, toEntries, visibleAfter } from "./change-feed.js"
import { andInScope } from "./rows.js"

const DeliveryRow = Schema.Struct({
  ...ChangeRow.fields,
  status: Schema.Literal("pending", "delivered", "dead"),
  attempts: Schema.Number,
  nextAttemptAt: Schema.String,
  lastError: Schema.NullOr(Schema.String),
  deliveredAt: Schema.NullOr(Schema.String)
})

const decodeDeliveryRows = fastDecoder(Schema.Array(DeliveryRow))

export const ChangeDeliveriesSql = Layer.effect(
  ChangeDeliveries,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const feed = yield* ChangeFeed

    const withEntries = (rows: ReadonlyArray<unknown>) =>
      Effect.gen(function*() {
        const decoded = yield* Effect.orDie(decodeDeliveryRows(rows))
        const entries = yield* toEntries(decoded)
        return decoded.map((row, i) => ({
          entry: entries[i]!,
          status: row.status,
          attempts: row.attempts,
          nextAttemptAt: row.nextAttemptAt,
          lastError: row.lastError,
          deliveredAt: row.deliveredAt
        }))
      })
    const deliveryColumns = sql`${
      entryColumns(sql, "c")
    }, d.status, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at`

    return ChangeDeliveries.of({
      start: Effect.flatMap(feed.head, (head) =>
        sql`
          INSERT INTO change_feed_positions (name, after_xid, after_sequence)
          VALUES (${APP_WEBHOOKS_POSITION}, ${head.xid}::xid8, ${head.sequence}) ON CONFLICT (name) DO NOTHING`).pipe(
          Effect.orDie,
          Effect.asVoid
        ),
      // The position row is locked for the transaction: two instances never queue the same entries.
      enqueueFromFeed: (limit, now) =>
        sql.withTransaction(Effect.gen(function*() {
          const [position] = yield* sql<{ xid: string; sequence: number }>`
            SELECT after_xid::text AS xid, after_sequence AS sequence FROM change_feed_positions
            WHERE name = ${APP_WEBHOOKS_POSITION} FOR UPDATE`
          const after = position ?? feedStart
          const rows = yield* visibleAfter(sql, { after, restaurantIds: undefined, limit })
          const last = rows.at(-1)
          if (last === undefined) return 0
          yield* sql`
            INSERT INTO app_webhook_deliveries (change_sequence, restaurant_id, xid, next_attempt_at)
            SELECT sequence, restaurant_id, xid, ${now} FROM change_log
            WHERE sequence = ANY(${rows.map((r) => r.sequence)}::bigint[])
            ON CONFLICT (change_sequence) DO NOTHING`
          yield* sql`
            INSERT INTO change_feed_positions (name, after_xid, after_sequence)
            VALUES (${APP_WEBHOOKS_POSITION}, ${last.xid}::xid8, ${last.sequence})
            ON CONFLICT (name) DO UPDATE SET after_xid = excluded.after_xid, after_sequence = excluded.after_sequence`
          return rows.length
        })).pipe(Effect.orDie, Effect.withSpan("ChangeDeliveries.enqueueFromFeed")),
      // A restaurant's first pending delivery blocks the ones after it, due or not: order before speed.
      claimDue: (now, leaseMs, limit) =>
        sql`
          WITH heads AS (
            SELECT DISTINCT ON (restaurant_id) change_sequence, next_attempt_at, claimed_until
            FROM app_webhook_deliveries WHERE status = 'pending'
            ORDER BY restaurant_id, xid, change_sequence
          ), due AS (
            SELECT change_sequence FROM heads
            WHERE next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until < ${now})
            ORDER BY next_attempt_at LIMIT ${limit}
          ), claimed AS (
            UPDATE app_webhook_deliveries AS d SET claimed_until = ${new Date(now.getTime() + leaseMs)}
            FROM due WHERE d.change_sequence = due.change_sequence AND d.status = 'pending'
              AND (d.claimed_until IS NULL OR d.claimed_until < ${now})
            RETURNING d.*
          )
          SELECT ${deliveryColumns} FROM claimed AS d JOIN change_log AS c ON c.sequence = d.change_sequence
          ORDER BY c.xid, c.sequence`.pipe(Effect.orDie, Effect.flatMap(withEntries)),
      markDelivered: (sequence, at) =>
        sql`
          UPDATE app_webhook_deliveries SET status = 'delivered', delivered_at = ${at}, claimed_until = NULL,
            attempts = attempts + 1, last_error = NULL
          WHERE change_sequence = ${sequence}`.pipe(Effect.orDie, Effect.asVoid),
      markFailed: (sequence, error, retryAt) =>
        sql`
          UPDATE app_webhook_deliveries SET attempts = attempts + 1, last_error = ${error}, claimed_until = NULL,
            status = ${retryAt === null ? "dead" : "pending"},
            next_attempt_at = ${retryAt === null ? sql`next_attempt_at` : sql`${retryAt}`}
          WHERE change_sequence = ${sequence}`.pipe(Effect.orDie, Effect.asVoid),
      list: (
        { limit, restaurantIds, status }: {
          status: DeliveryStatus
          restaurantIds: ReadonlyArray<string> | undefined
          limit: number
        }
      ) =>
        sql`
          SELECT ${deliveryColumns} FROM app_webhook_deliveries AS d JOIN change_log AS c ON c.sequence = d.change_sequence
          WHERE d.status = ${status} ${andInScope(sql, restaurantIds, "d.restaurant_id")}
          ORDER BY c.xid, c.sequence LIMIT ${limit}`.pipe(Effect.orDie, Effect.flatMap(withEntries)),
      replay: (sequence, restaurantIds, now) =>
        sql`
          UPDATE app_webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now},
            claimed_until = NULL
          WHERE change_sequence = ${sequence} AND status = 'dead' ${andInScope(sql, restaurantIds)}
          RETURNING change_sequence`.pipe(
          Effect.orDie,
          Effect.flatMap((rows) => (rows.length === 0 ? Effect.fail(new DeliveryNotFound({ sequence })) : Effect.void))
        ),
      counts: sql<{ status: DeliveryStatus; n: number }>`
        SELECT status, count(*)::int AS n FROM app_webhook_deliveries GROUP BY status`.pipe(
        Effect.orDie,
        Effect.map((rows) => {
          const of = (status: DeliveryStatus) => rows.find((r) => r.status === status)?.n ?? 0
          return { pending: of("pending"), delivered: of("delivered"), dead: of("dead") }
        })
      )
    })
  })
)
