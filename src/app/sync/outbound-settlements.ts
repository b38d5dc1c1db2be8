import { Clock, Context, Effect, Exit, Layer, Option } from "effect"
import { Transactor } from "../../ports/entity-repository.js"
import { makeGroupCommit } from "../../ports/group-commit.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { type PlatformConfig, PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { type SyncJob, SyncJobQueue } from "../../ports/sync-job-queue.js"
import { type SyncLogEntry, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { traced } from "../../ports/traced.js"
import { observeSettlement } from "../observability/settlements.js"
import { ConfigCache } from "./config-cache.js"
import { type Outcome, outcomeEntry, releasePending, settle, settleAll } from "./outcome.js"

interface Settled {
  readonly job: SyncJob
  readonly outcome: Outcome
  readonly entry: SyncLogEntry
  readonly config: PlatformConfig
}

/** Pushes settled together at most; more wait for the next write. */
const maxCallersPerWrite = 200

/**
 * Pushes that finish together settle together: their mappings, audit lines and job completions are
 * written by one transaction (five round trips for the group instead of five per push), so the
 * sync thread's time goes to the platforms rather than to the database. A group the database
 * refuses (one line it cannot store) is settled again one push at a time, so each failure stays
 * its own.
 */
export class OutboundSettlements extends Context.Tag("OutboundSettlements")<OutboundSettlements, {
  /** Writes a push's mapping and audit line and marks its job done, as `settle` does, with the pushes finishing alongside. */
  readonly settle: (job: SyncJob, startedAt: number, outcome: Outcome, config: PlatformConfig) => Effect.Effect<void>
}>() {}

export const OutboundSettlementsLive = Layer.scoped(
  OutboundSettlements,
  Effect.gen(function*() {
    const context = yield* Effect.context<
      Transactor | SyncLogRepository | SyncJobQueue | PlatformConfigRepository | MappingRepository | ConfigCache
    >()
    const transactor = Context.get(context, Transactor)
    const mappings = Context.get(context, MappingRepository)

    const writeGroup = (group: ReadonlyArray<Settled>) =>
      transactor.withTransaction(Effect.gen(function*() {
        yield* mappings.upsertMany(group.flatMap((s) => s.outcome.mapping ?? []))
        yield* releasePending(group)
        yield* settleAll(group, "log")
        return group.map(() => undefined)
      })).pipe(
        Effect.provide(context),
        traced("OutboundSettlements.write", { attributes: { pushes: group.length }, captureStackTrace: false })
      )
    const submit = yield* makeGroupCommit(writeGroup, { maxCallersPerWrite })

    return OutboundSettlements.of({
      settle: (job, startedAt, outcome, config) =>
        Effect.gen(function*() {
          const entry = outcomeEntry(job, startedAt, yield* Clock.currentTimeMillis, outcome)
          const written = yield* Effect.exit(submit([{ job, outcome, entry, config }]))
          if (Exit.isSuccess(written) && Option.isSome(written.value)) return yield* observeSettlement(job, entry)
          // Its group failed, or the service is closing: this push is settled on its own.
          yield* transactor.withTransaction(settle(job, startedAt, { outcome }, config)).pipe(Effect.provide(context))
        })
    })
  })
)
