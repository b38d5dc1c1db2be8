import { Effect, Option } from "effect"
import type { RestaurantId } from "../../domain/ids.js"
import type { ListQuery } from "../../ports/entity-repository.js"
import { type MappingFilter, MappingRepository } from "../../ports/mapping-repository.js"
import { type JobFilter, SyncJobQueue } from "../../ports/sync-job-queue.js"
import { type SyncLogFilter, SyncLogRepository } from "../../ports/sync-log-repository.js"
import { traced } from "../../ports/traced.js"
import { notFound } from "../errors.js"
import { callerScope, mustBeVisible, scopeOfList } from "./access.js"
import { AdminAuditLog } from "./admin-audit.js"

/** A filter as a request gives it: the restaurants come from the caller. */
type Unscoped<F> = Omit<F, "restaurantIds">

/**
 * The sync records as callers read them (the audit log, the mappings, the retry queue and dead
 * letters), each limited to the caller's restaurants (issue 17).
 */
export class SyncRecords extends Effect.Service<SyncRecords>()("SyncRecords", {
  effect: Effect.gen(function*() {
    const logs = yield* SyncLogRepository
    const mappings = yield* MappingRepository
    const queue = yield* SyncJobQueue
    const audit = yield* AdminAuditLog
    const scoped = <Q extends Omit<ListQuery, "restaurantIds">>(query: Q) =>
      Effect.map(
        scopeOfList(query.restaurantId as RestaurantId | undefined),
        (restaurantIds) => ({ ...query, restaurantIds })
      )
    return {
      logs: (query: Unscoped<SyncLogFilter>) => Effect.flatMap(scoped(query), logs.list),
      mappings: (query: Unscoped<MappingFilter>) => Effect.flatMap(scoped(query), mappings.list),
      jobs: (query: Unscoped<JobFilter> & { readonly status: "retrying" | "dead" }) =>
        Effect.flatMap(scoped(query), queue.list),
      counts: () => Effect.flatMap(callerScope, queue.counts),
      makeRetriesDue: () =>
        Effect.flatMap(
          callerScope,
          (scope) =>
            Effect.tap(queue.makeRetriesDue(scope), () =>
              audit.record("jobs.retries_forced", {
                // A restricted key forces only its restaurants' retries: the entry says which.
                restaurantId: scope?.length === 1 ? scope[0] : null,
                detail: scope === undefined ? "every restaurant" : `restaurants ${scope.join(", ")}`
              }))
        ),
      /** A dead letter of another restaurant is not found, like one that does not exist. */
      replay: (id: number) =>
        Effect.gen(function*() {
          const missing = () => notFound("dead letter", String(id))
          const job = yield* queue.get(id)
          if (Option.isNone(job)) return yield* missing()
          yield* mustBeVisible(job.value.restaurantId, missing)
          const replayed = yield* queue.replay(id)
          if (Option.isSome(replayed)) {
            yield* audit.record("job.replayed", { target: String(id), restaurantId: job.value.restaurantId })
          }
          return yield* Option.match(replayed, { onNone: () => Effect.fail(missing()), onSome: Effect.succeed })
        }).pipe(traced("SyncRecords.replay", { attributes: { id } }))
    }
  })
}) {}
