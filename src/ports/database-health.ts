import { Context, Data, type Effect } from "effect"

export class DatabaseUnreachable extends Data.TaggedError("DatabaseUnreachable")<{ readonly cause: unknown }> {}

/** Whether the storage answers at all: the readable health check of. */
export class DatabaseHealth extends Context.Tag("DatabaseHealth")<DatabaseHealth, {
  readonly ping: Effect.Effect<void, DatabaseUnreachable>
}>() {}
