import { SqlClient, SqlSchema } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, FiberRef, Option, Schema, String } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { type ChangeAction, updateAction } from "../../domain/changes.js"
import type { EntityType } from "../../domain/ids.js"
import { definedFields } from "../../domain/normalize.js"
import { ChangeLog, changeOf, currentChangeOrigin } from "../../ports/change-feed.js"
import { EntityNotFound, type EntityRepository, type ListQuery } from "../../ports/entity-repository.js"
import { andInScope, insertJsonRows, isUuid, jsonRecords, nowIso, toPage } from "./rows.js"

export interface EntityTable<A, I = unknown> {
  readonly entityType: EntityType
  readonly table: string
  /** Decodes a row (camelCase) into the entity. */
  readonly schema: Schema.Schema<A, I>
  /** Fields stored as jsonb (arrays and objects). */
  readonly jsonFields: ReadonlyArray<string>
  /** Reservations and orders count their changes (R-2.4). */
  readonly versioned: boolean
}

// node-postgres would send a JS array as a PostgreSQL array; jsonb columns get JSON text instead.
const toRow = (fields: Record<string, unknown>, jsonFields: ReadonlyArray<string>) => {
  const row: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    row[key] = jsonFields.includes(key) && value !== null ? JSON.stringify(value) : value
  }
  return row
}

/** One repository implementation for every entity table: same queries, its own Schema. */
export const makeSqlEntityRepository = <A, I, C extends object, P extends object>(spec: EntityTable<A, I>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const changeLog = yield* ChangeLog
    const table = sql(spec.table)
    /**
     * Issue 21: a write and its change-log entry commit together (in the caller's transaction, or
     * one of their own). Batch writes are logged by their caller, the unit of work, which knows each
     * version a batch went through.
     */
    const logged = <E>(
      write: Effect.Effect<A, E>,
      action: (row: A) => ChangeAction,
      occurredAt?: Effect.Effect<string>
    ) => {
      const both = Effect.tap(write, (row) =>
        Effect.flatMap(
          Effect.zip(FiberRef.get(currentChangeOrigin), occurredAt ?? Effect.succeed(undefined)),
          ([origin, at]) => changeLog.append([changeOf(spec.entityType, action(row), origin, row as object, at)])
        ))
      // Inside the caller's transaction the two already commit together: no savepoint (two round
      // trips per write); a failed statement is a defect that ends that transaction anyway.
      return Effect.flatMap(
        Effect.serviceOption(SqlClient.TransactionConnection),
        Option.match({ onSome: () => both, onNone: () => sql.withTransaction(both) })
      ).pipe(Effect.catchIf((e): e is SqlError => e instanceof SqlError, Effect.die)) as Effect.Effect<A, E>
    }
    /** Rows selected by a statement of the caller's, as entities. */
    const decodeRows = (rows: ReadonlyArray<unknown>) =>
      Effect.orDie(Schema.decodeUnknown(Schema.Array(spec.schema))(rows))
    const notFound = (id: string) => new EntityNotFound({ entityType: spec.entityType, id })
    const found = (id: string) => <E>(row: Effect.Effect<Option.Option<A>, E>) =>
      Effect.flatMap(
        Effect.orDie(row),
        Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed })
      )

    const Id = Schema.String
    const Row = Schema.Record({ key: Schema.String, value: Schema.Unknown })
    const byId = (id: string, within: RestaurantScope) =>
      SqlSchema.findOne({
        Request: Id,
        Result: spec.schema,
        execute: (id) => sql`SELECT * FROM ${table} WHERE id = ${id} ${andInScope(sql, within)}`
      })(id)
    const byIds = SqlSchema.findAll({
      Request: Schema.Array(Id),
      Result: spec.schema,
      execute: (ids) => sql`SELECT * FROM ${table} WHERE id IN ${sql.in(ids)}`
    })
    const insert = SqlSchema.single({
      Request: Row,
      Result: spec.schema,
      execute: (row) => sql`INSERT INTO ${table} ${sql.insert(row)} RETURNING *`
    })
    const change = (request: { readonly id: string; readonly row: Record<string, unknown> }, within: RestaurantScope) =>
      SqlSchema.findOne({
        Request: Schema.Struct({ id: Id, row: Row }),
        Result: spec.schema,
        execute: ({ id, row }) => {
          const version = spec.versioned ? sql`, version = version + 1` : sql``
          return sql`UPDATE ${table} SET ${
            sql.update(row)
          }, updated_at = clock_timestamp()${version} WHERE id = ${id} ${andInScope(sql, within)} RETURNING *`
        }
      })(request)

    const get = (id: string, within?: RestaurantScope) =>
      isUuid(id) ? found(id)(byId(id, within)) : Effect.fail(notFound(id))

    const repository: EntityRepository<A, C, P> = {
      entityType: spec.entityType,
      create: (input) =>
        logged(Effect.orDie(insert(toRow({ id: crypto.randomUUID(), ...input }, spec.jsonFields))), () => "create"),
      get,
      getMany: (ids) => {
        const valid = ids.filter(isUuid)
        return valid.length === 0 ? Effect.succeed([]) : Effect.orDie(byIds(valid))
      },
      ownedIds: (restaurantId, ids) => {
        const valid = ids.filter(isUuid)
        return valid.length === 0 ? Effect.succeed([]) : sql<{ readonly id: string }>`
          SELECT id FROM ${table} WHERE id IN ${sql.in(valid)} AND restaurant_id = ${restaurantId}`.pipe(
          Effect.orDie,
          Effect.map((rows) => rows.map((row) => row.id))
        )
      },
      list: (query: ListQuery) =>
        Effect.gen(function*() {
          const where = sql`WHERE true ${
            query.restaurantId === undefined ? sql`` : sql`AND restaurant_id = ${query.restaurantId}`
          } ${andInScope(sql, query.restaurantIds)}`
          const rows = yield* sql<{ totalCount: number }>`
            SELECT *, count(*) OVER () AS total_count FROM ${table} ${where}
            ORDER BY created_at, id LIMIT ${query.limit} OFFSET ${query.offset}`.pipe(Effect.orDie)
          return yield* toPage(
            query,
            rows,
            sql<{ n: number }>`SELECT count(*) AS n FROM ${table} ${where}`,
            spec.schema
          )
        }),
      update: (id, patch, within) => {
        const row = toRow(patch as Record<string, unknown>, spec.jsonFields)
        if (!isUuid(id)) return Effect.fail(notFound(id))
        if (Object.keys(row).length === 0) return get(id, within)
        return logged(found(id)(change({ id, row }, within)), () => updateAction(patch))
      },
      remove: (id, within) =>
        isUuid(id)
          ? logged(
            sql`DELETE FROM ${table} WHERE id = ${id} ${andInScope(sql, within)} RETURNING *`.pipe(
              Effect.orDie,
              Effect.flatMap(decodeRows),
              Effect.flatMap(([row]) => (row === undefined ? Effect.fail(notFound(id)) : Effect.succeed(row)))
            ),
            () => "delete",
            nowIso
          ).pipe(Effect.asVoid)
          : Effect.fail(notFound(id)),
      insertMany: (entities) =>
        entities.length === 0
          ? Effect.void
          : insertJsonRows(sql, spec.table, entities as unknown as readonly [object, ...Array<object>]).pipe(
            Effect.orDie,
            Effect.asVoid
          ),
      updateMany: (changes) => {
        // Several patches of one id become one row: an UPDATE … FROM takes one source row per target.
        const merged = new Map<string, { id: string; changes: number; patch: Record<string, unknown> }>()
        // An undefined field is not part of a patch, and an empty patch is no change (as in `update`).
        for (const { id, patch } of changes) {
          const defined = definedFields(patch as Record<string, unknown>)
          if (!isUuid(id) || Object.keys(defined).length === 0) continue
          const entry = merged.get(id) ?? { id, changes: 0, patch: {} }
          merged.set(id, { id, changes: entry.changes + 1, patch: { ...entry.patch, ...defined } })
        }
        const fields = [...new Set([...merged.values()].flatMap((m) => Object.keys(m.patch)))]
        if (fields.length === 0) return Effect.void
        const set = sql.csv(
          fields.map((field) =>
            sql`${sql(field)} = CASE WHEN c.doc ? ${String.camelToSnake(field)} THEN p.${sql(field)} ELSE t.${
              sql(field)
            } END`
          )
        )
        const version = spec.versioned ? sql`, version = t.version + (c.doc->>'changes_counted')::int` : sql``
        const rows = [...merged.values()].map((m) => ({ ...m.patch, id: m.id, changesCounted: m.changes }))
        return sql`
          UPDATE ${table} AS t SET ${set}, updated_at = clock_timestamp()${version}
          FROM jsonb_array_elements(${jsonRecords(rows)}::jsonb) AS c(doc)
          CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, c.doc) AS p
          WHERE t.id = p.id`.pipe(Effect.orDie, Effect.asVoid)
      }
    }
    return { repository, sql, decodeRows }
  })
