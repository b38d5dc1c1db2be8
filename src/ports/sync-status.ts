import { Context, Effect, Option } from "effect"

/**
 * Whether the sync side (the thread that claims and settles jobs) is running, as the process that
 * supervises it sees it. /health reports degraded while it is down (issue 19), so an operator or
 * an orchestrator sees a service that answers HTTP but syncs nothing.
 */
export interface SyncStatusShape {
  /** Why the sync side is down, if it is. */
  readonly down: Effect.Effect<Option.Option<string>>
  readonly markDown: (reason: string) => Effect.Effect<void>
  readonly markUp: Effect.Effect<void>
}

const makeSyncStatus = (): SyncStatusShape => {
  let reason = Option.none<string>()
  return {
    down: Effect.sync(() => reason),
    markDown: (why) => Effect.sync(() => void (reason = Option.some(why))),
    markUp: Effect.sync(() => void (reason = Option.none()))
  }
}

/** One status per process by default: the supervisor and the HTTP side share it. */
export class SyncStatus extends Context.Reference<SyncStatus>()("SyncStatus", { defaultValue: makeSyncStatus }) {}
