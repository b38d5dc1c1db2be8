import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import { Array as Arr, Effect, FiberRef, Option, Schema, SchemaAST } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { type ChangeAction, updateAction } from "../../domain/changes.js"
import { fastDecoder } from "../../domain/fast-decode.js"
import type { EntityType } from "../../domain/ids.js"
import { definedFields } from "../../domain/normalize.js"
import { ChangeLog, changeOf, currentChangeOrigin } from "../../ports/change-feed.js"
import {
  EntityNotFound,
  type EntityRepository,
  type ListQuery,
  StaleVersion,
  type WriteOptions
} from "../../ports/entity-repository.js"
import { type EntityTable, entityTables } from "./entity-tables.js"
import { columnName } from "./names.js"
import { queuedPushParts, queueNow } from "./push-jobs.js"
import { andInScope, insertJsonRows, isUuid, jsonRecords, nowIso, toPage } from "./rows.js"
import * as SqlSchema from "./sql-schema.js"

/**
 * The change-log record of a row `w` as PostgreSQL builds it, equal to what the row decodes to
 * (database.ts): the Schema's fields, camelCase, instants as JavaScript ISO strings (milliseconds,
 * UTC). Field names come from our own Schemas, so they are written into the SQL text as they are.
 */
const recordExpression = (spec: EntityTable<unknown>) => {
  const instants = new Set(["createdAt", "updatedAt", ...(spec.instantFields ?? [])])
  const pairs = SchemaAST.getPropertySignatures(spec.schema.ast).map(({ name }) => {
    const field = String(name)
    const column = `w."${columnName(field)}"`
    const value = instants.has(field)
      ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : column
    return `'${field}', ${value}`
  })
  // jsonb_build_object takes at most 100 arguments.
  return Arr.chunksOf(pairs, 40).map((chunk) => `jsonb_build_object(${chunk.join(", ")})`).join(" || ")
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

// Each entity type's table: a create checks the records it references in theirs.
const tableOf = new Map<EntityType, string>(Object.values(entityTables).map((spec) => [spec.entityType, spec.table]))

/** One repository implementation for every entity table: same queries, its own Schema. */
export const makeSqlEntityRepository = <A, I, C extends object, P extends object>(spec: EntityTable<A, I>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const changeLog = yield* ChangeLog
    const table = sql(spec.table)
    /**
     * Issue 21: a deletion and its change-log entry commit together (in the caller's transaction, or
     * one of their own); a create or update is one statement with its entry (`written`). Batch
     * writes are logged by their caller, the unit of work, which knows each version a batch went through.
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
    // Built once: a schema made per call is a new AST, and its decoder is compiled again each time.
    const decodeArray = fastDecoder<ReadonlyArray<A>, ReadonlyArray<I>, never>(Schema.Array(spec.schema))
    /** Rows selected by a statement of the caller's, as entities. */
    const decodeRows = (rows: ReadonlyArray<unknown>) => Effect.orDie(decodeArray(rows))
    const notFound = (id: string) => new EntityNotFound({ entityType: spec.entityType, id })
    const found = (id: string) => <E>(row: Effect.Effect<Option.Option<A>, E>) =>
      Effect.flatMap(
        Effect.orDie(row),
        Option.match({ onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed })
      )

    const Id = Schema.String
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
    const record = sql.literal(recordExpression(spec as EntityTable<unknown>))
    const version = sql.literal(spec.versioned ? "w.version" : "NULL::integer")
    const queueAt = yield* queueNow
    /**
     * A single write as one statement (issue 22): the row, its change-log entry (issue 21) and, when
     * asked, its outbound push (R-5.1) commit together without a transaction of several round trips.
     */
    const written = (
      write: Statement.Fragment,
      action: ChangeAction,
      push: { readonly restaurant: Statement.Fragment; readonly id: string } | undefined
    ) =>
      Effect.gen(function*() {
        const origin = yield* FiberRef.get(currentChangeOrigin)
        const queued = push === undefined ? sql`` : sql`, ${
          queuedPushParts(sql, {
            restaurant: push.restaurant,
            entityType: spec.entityType,
            entityId: push.id,
            at: yield* queueAt
          })
        }`
        const rows = yield* sql`
          WITH written AS (${write}), logged AS (
            INSERT INTO change_log (restaurant_id, entity_type, entity_id, action, version, origin, occurred_at, record)
            SELECT w.restaurant_id, ${spec.entityType}, w.id::text, ${action}, ${version}, ${origin}, w.updated_at, ${record}
            FROM written w
          )${queued}
          SELECT * FROM written`.pipe(Effect.orDie)
        return yield* Effect.map(decodeRows(rows), Arr.head)
      })
    const pushOf = (options: WriteOptions | undefined, restaurant: Statement.Fragment, id: string) =>
      options?.queuePush === true ? { restaurant, id } : undefined
    /** A patch written, at `version` only when one is given; an empty patch is no change. */
    const updated = (
      id: string,
      patch: P,
      within: RestaurantScope,
      options: WriteOptions | undefined,
      atVersion?: number
    ) => {
      const row = toRow(patch as Record<string, unknown>, spec.jsonFields)
      if (!isUuid(id)) return Effect.fail(notFound(id))
      if (Object.keys(row).length === 0) return get(id, within)
      const counted = spec.versioned ? sql`, version = version + 1` : sql``
      const versioned = atVersion === undefined ? sql`` : sql`AND version = ${atVersion}`
      return found(id)(written(
        sql`UPDATE ${table} SET ${sql.update(row)}, updated_at = clock_timestamp()${counted}
          WHERE id = ${id} ${versioned} ${andInScope(sql, within)} RETURNING *`,
        updateAction(patch),
        pushOf(options, sql`(SELECT restaurant_id FROM written)`, id)
      ))
    }
    /** Which rows among valid `ids` are records of the restaurant. */
    const ownedAmong = (ids: ReadonlyArray<string>, restaurantId: string | undefined) =>
      sql`id IN ${sql.in(ids)} AND restaurant_id = ${restaurantId}`
    /** A new record, inserted only where `guard` holds (none otherwise). */
    const inserted = (input: C, options: WriteOptions | undefined, guard: Statement.Fragment) => {
      const id = crypto.randomUUID()
      const restaurantId = (input as { readonly restaurantId?: string }).restaurantId
      return written(
        sql`${insertJsonRows(sql, spec.table, [{ id, ...definedFields(input as Record<string, unknown>) }])}
          WHERE ${guard} RETURNING *`,
        "create",
        pushOf(options, sql`${restaurantId}`, id)
      )
    }

    const get = (id: string, within?: RestaurantScope) =>
      isUuid(id) ? found(id)(byId(id, within)) : Effect.fail(notFound(id))

    const repository: EntityRepository<A, C, P> = {
      entityType: spec.entityType,
      create: (input, options) =>
        Effect.flatMap(
          inserted(input, options, sql`true`),
          Option.match({
            onNone: () => Effect.dieMessage(`${spec.table}: an insert returned no row`),
            onSome: Effect.succeed
          })
        ),
      createReferencing: (input, references, options) => {
        const restaurantId = (input as { readonly restaurantId?: string }).restaurantId
        const wanted = references
          .map((reference) => ({ table: tableOf.get(reference.entityType)!, ids: [...new Set(reference.ids)] }))
          .filter((reference) => reference.ids.length > 0)
        if (wanted.some((reference) => !reference.ids.every(isUuid))) return Effect.succeedNone
        return inserted(
          input,
          options,
          sql.and(
            wanted.map(({ ids, table }) =>
              sql`(SELECT count(*) FROM ${sql(table)} WHERE ${ownedAmong(ids, restaurantId)}) = ${ids.length}`
            )
          )
        )
      },
      get,
      getMany: (ids) => {
        const valid = ids.filter(isUuid)
        return valid.length === 0 ? Effect.succeed([]) : Effect.orDie(byIds(valid))
      },
      ownedIds: (restaurantId, ids) => {
        const valid = ids.filter(isUuid)
        return valid.length === 0 ? Effect.succeed([]) : sql<{ readonly id: string }>`
          SELECT id FROM ${table} WHERE ${ownedAmong(valid, restaurantId)}`.pipe(
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
      update: (id, patch, within, options) => updated(id, patch, within, options),
      updateAtVersion: (id, expected, patch, within, options) => {
        if (!spec.versioned) return Effect.dieMessage(`${spec.entityType} records have no version`)
        const atExpected = (current: A): Effect.Effect<A, StaleVersion> => {
          const version = (current as { readonly version: number }).version
          return version === expected
            ? Effect.succeed(current)
            : Effect.fail(new StaleVersion({ entityType: spec.entityType, id, expected, current: version }))
        }
        // An empty patch writes nothing: the record as it is, if still at that version.
        if (Object.keys(toRow(patch as Record<string, unknown>, spec.jsonFields)).length === 0) {
          return Effect.flatMap(get(id, within), atExpected)
        }
        // Not written: the record is gone, out of the caller's scope, or at another version.
        return updated(id, patch, within, options, expected).pipe(
          Effect.catchTag("EntityNotFound", (missing) =>
            get(id, within).pipe(
              Effect.mapError(() => missing),
              Effect.flatMap(atExpected),
              // Versions only grow: a record still at it was not refused for its version.
              Effect.flatMap(() => Effect.dieMessage(`${spec.entityType} ${id} at version ${expected} was not written`))
            ))
        )
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
            sql`${sql(field)} = CASE WHEN c.doc ? ${columnName(field)} THEN p.${sql(field)} ELSE t.${sql(field)} END`
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
    /** The rows whose `column` is `id`, by id: what a deletion finds linked to the record it removes. */
    const linkedBy = (column: string, id: string) =>
      sql`SELECT * FROM ${table} WHERE ${sql(column)} = ${id} ORDER BY id`.pipe(
        Effect.orDie,
        Effect.flatMap(decodeRows)
      )
    return { repository, sql, decodeRows, linkedBy }
  })
