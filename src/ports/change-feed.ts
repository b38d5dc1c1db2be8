import { Context, Data, Effect, FiberRef, Option } from "effect"
import type { RestaurantScope } from "../domain/access.js"
import type { ChangeAction, ChangeEntry, ChangeOrigin } from "../domain/changes.js"
import type { EntityType } from "../domain/ids.js"

/**
 * Issue 21: the change log and the feed that reads it. Every write of the eight entity types
 * appends an entry in the transaction of the write; readers follow an opaque cursor.
 */

/**
 * Who is making the changes of the running fiber: the API unless the engine (a platform's event)
 * or the voice AI says otherwise. Repositories read it when they log a write, so the origin needs
 * no parameter on every repository call.
 */
export const currentChangeOrigin: FiberRef.FiberRef<ChangeOrigin> = FiberRef.unsafeMake<ChangeOrigin>("api")

/** Runs `effect` with its writes logged as made by `origin`. */
export const withChangeOrigin = (origin: ChangeOrigin) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, currentChangeOrigin, origin)

/** What a write appends: the entry before the log gives it its sequence and position. */
export interface ChangeRecord {
  readonly restaurantId: string
  readonly entityType: EntityType
  readonly entityId: string
  readonly action: ChangeAction
  readonly version: number | null
  readonly origin: ChangeOrigin
  readonly occurredAt: string
  readonly record: unknown
}

/** The change record of a stored entity (its id, restaurant and version are read from it). */
export const changeOf = (
  entityType: EntityType,
  action: ChangeAction,
  origin: ChangeOrigin,
  entity: object,
  occurredAt?: string
): ChangeRecord => {
  const row = entity as {
    readonly id: string
    readonly restaurantId: string
    readonly version?: number
    readonly updatedAt?: string
  }
  // A deletion is one more change of a versioned record: its entry comes after the last update's.
  const version = row.version === undefined ? null : action === "delete" ? row.version + 1 : row.version
  return {
    restaurantId: row.restaurantId,
    entityType,
    entityId: row.id,
    action,
    version,
    origin,
    occurredAt: occurredAt ?? row.updatedAt ?? new Date(0).toISOString(),
    record: entity
  }
}

/** Appends entries, inside the caller's transaction (one statement for any number of them). */
export class ChangeLog extends Context.Tag("ChangeLog")<ChangeLog, {
  readonly append: (records: ReadonlyArray<ChangeRecord>) => Effect.Effect<void>
  /**
   * Retention: deletes up to `limit` of the oldest entries that occurred before `before`, except
   * those the main app's webhooks have not delivered yet; returns how many went. The feed then
   * refuses cursors older than the last entry deleted (`retainedFrom`).
   */
  readonly prune: (before: string, limit: number) => Effect.Effect<number>
}>() {}

/**
 * A position in the feed: after the entries of transaction `xid` up to `sequence`. Entries are
 * ordered by the id of their transaction, then by sequence (see the README, Following changes).
 */
export interface ChangePosition {
  readonly xid: string
  readonly sequence: number
}

export const feedStart: ChangePosition = { xid: "0", sequence: 0 }

/** Feed order: by transaction id, then sequence. */
export const isBefore = (a: ChangePosition, b: ChangePosition) => {
  const [x, y] = [BigInt(a.xid), BigInt(b.xid)]
  return x < y || (x === y && a.sequence < b.sequence)
}

export class InvalidCursor extends Data.TaggedError("InvalidCursor")<{ readonly cursor: string }> {}

/** The opaque form of a position: readers store it and give it back, never build it. */
export const encodeCursor = (position: ChangePosition): string =>
  Buffer.from(`v1.${position.xid}.${position.sequence}`, "utf8").toString("base64url")

export const decodeCursor = (cursor: string): Option.Option<ChangePosition> => {
  const match = /^v1\.(\d{1,20})\.(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))
  return match === null ? Option.none() : Option.some({ xid: match[1]!, sequence: Number(match[2]) })
}

export interface ChangeQuery {
  readonly after: ChangePosition
  /** The caller's restaurants (issue 17); undefined: every restaurant. */
  readonly restaurantIds: RestaurantScope
  readonly entityType?: EntityType | undefined
  readonly limit: number
}

export interface ChangePage {
  readonly entries: ReadonlyArray<ChangeEntry>
  /** Where to read next: after the last entry, or `after` itself when there was none. */
  readonly next: ChangePosition
}

/**
 * Reads the log in feed order. Only entries whose transaction is older than every transaction
 * still in flight are served, so an entry that commits late can never land behind a cursor
 * already handed out.
 */
export class ChangeFeed extends Context.Tag("ChangeFeed")<ChangeFeed, {
  readonly read: (query: ChangeQuery) => Effect.Effect<ChangePage>
  /** The position after the last entry served today: where "from now on" starts. */
  readonly head: Effect.Effect<ChangePosition>
  /** Entries up to this position may have been deleted by retention: a cursor before it is expired. */
  readonly retainedFrom: Effect.Effect<ChangePosition>
}>() {}
