import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import { Clock, Effect, type ParseResult, Schema } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { fastDecoder } from "../../domain/fast-decode.js"
import { oncePerSchema } from "../../domain/schema-parts.js"
import type { ListQuery, Page } from "../../ports/entity-repository.js"
import { columnName, remembered } from "./names.js"

/** The current instant from effect's Clock, so TestClock drives every stored time. */
export const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * Issue 17: `AND <column> = ANY(scope)` for a caller limited to some restaurants (none matches an
 * empty scope); nothing without a scope.
 */
export const andInScope = (
  sql: SqlClient.SqlClient,
  scope: RestaurantScope | ReadonlyArray<string>,
  column = "restaurant_id"
) => scope === undefined ? sql`` : sql`AND ${sql(column)} = ANY(${[...scope]}::text[])`

/** `andInScope` as a condition for `sql.and`: none without a scope. */
export const scopeCondition = (
  sql: SqlClient.SqlClient,
  scope: RestaurantScope | ReadonlyArray<string>,
  column = "restaurant_id"
) => scope === undefined ? [] : [sql`${sql(column)} = ANY(${[...scope]}::text[])`]

/** The filters a list of rows about one platform's records shares (mappings, audit lines), as conditions for `sql.and`. */
export const recordConditions = (sql: SqlClient.SqlClient, filter: {
  readonly restaurantId?: string | undefined
  readonly restaurantIds?: RestaurantScope
  readonly platform?: string | undefined
  readonly entityType?: string | undefined
  readonly entityId?: string | undefined
}) => [
  ...(filter.restaurantId === undefined ? [] : [sql`restaurant_id = ${filter.restaurantId}`]),
  ...scopeCondition(sql, filter.restaurantIds),
  ...(filter.platform === undefined ? [] : [sql`platform = ${filter.platform}`]),
  ...(filter.entityType === undefined ? [] : [sql`entity_type = ${filter.entityType}`]),
  ...(filter.entityId === undefined ? [] : [sql`entity_id = ${filter.entityId}`])
]

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)

// node-postgres would send a JS array as a PostgreSQL array; jsonb columns get JSON text instead.
export const jsonb = (
  value: unknown
): string | null => (value === undefined || value === null ? null : JSON.stringify(value))

/** The constraint a statement broke, when it failed on a unique index. */
export const uniqueViolation = (error: SqlError): string | undefined => {
  const cause = error.cause as { readonly code?: unknown; readonly constraint?: unknown } | undefined
  return cause?.code === "23505" && typeof cause.constraint === "string" ? cause.constraint : undefined
}

/** A page's rows decoded as `Item`s, by one decoder per `Item` (a list schema made per call compiled one per call). */
const itemsDecoderOf = oncePerSchema((Item) => fastDecoder(Schema.Array(Item)))

/**
 * A page from rows selected with `count(*) OVER () AS total_count`; past the last row that window
 * is empty, so the total is counted apart. The rows carry that count beside the record, so they
 * are decoded here rather than by a `SqlSchema` query (whose result would drop it).
 */
export const toPage = <A, I>(
  query: ListQuery,
  rows: ReadonlyArray<{ readonly totalCount: number }>,
  countAll: Effect.Effect<ReadonlyArray<{ readonly n: number }>, SqlError>,
  Item: Schema.Schema<A, I>
): Effect.Effect<Page<A>> =>
  Effect.gen(function*() {
    const total = rows.length > 0
      ? rows[0]!.totalCount
      : query.offset === 0
      ? 0
      : (yield* Effect.orDie(countAll))[0]?.n ?? 0
    const items = yield* Effect.orDie(
      itemsDecoderOf(Item)(rows) as Effect.Effect<ReadonlyArray<A>, ParseResult.ParseError>
    )
    return { items, total, limit: query.limit, offset: query.offset }
  })

/**
 * Rows for `jsonb_populate_record(set)`: column names as keys, JSON values as they are (jsonb
 * columns included). Batches travel as one parameter, so the statement text stays the same
 * whatever the size (and no batch meets PostgreSQL's cap on parameters).
 */
export const jsonRecords = (rows: ReadonlyArray<object>): string =>
  JSON.stringify(rows.map((row) => {
    const record: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) if (value !== undefined) record[columnName(key)] = value
    return record
  }))

// Per client, the column lists already built, by their fields: an insert's rows have the same
// fields write after write (a reservation's 21), and each column of a list is a statement of its own.
const columnLists = new WeakMap<SqlClient.SqlClient, (fields: string) => Statement.Fragment>()

/** A column list from field names (camelCase, turned into column names by the client). */
const columnList = (sql: SqlClient.SqlClient, fields: ReadonlyArray<string>) => {
  let listOf = columnLists.get(sql)
  if (listOf === undefined) {
    // Field sets come from the Schemas; the bound guards against a caller making them from data.
    listOf = remembered(
      (key) => sql.csv((JSON.parse(key) as Array<string>).map((field) => sql`${sql(field)}`)),
      1_000
    )
    columnLists.set(sql, listOf)
  }
  return listOf(JSON.stringify(fields))
}

/**
 * `INSERT INTO table (…) SELECT … FROM` the rows (all with the first row's fields), as one jsonb
 * parameter; a caller may append an ON CONFLICT clause.
 */
export const insertJsonRows = (sql: SqlClient.SqlClient, table: string, rows: readonly [object, ...Array<object>]) => {
  const columns = columnList(sql, Object.keys(rows[0]))
  return sql`
    INSERT INTO ${sql(table)} (${columns})
    SELECT ${columns} FROM jsonb_populate_recordset(NULL::${sql(table)}, ${jsonRecords(rows)}::jsonb)`
}
