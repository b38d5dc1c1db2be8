import { Effect } from "effect"
import type { RestaurantId } from "../../domain/ids.js"
import { AdminAudit, type AuditAction } from "../../ports/admin-audit.js"
import { traced } from "../../ports/traced.js"
import { CurrentCaller } from "../caller.js"
import { scopeOfList } from "./access.js"

/** What an action was done to: the record, its restaurant, and a detail without any secret. */
export interface AuditSubject {
  readonly target?: string | null
  readonly restaurantId?: string | null
  readonly detail?: string | null
}

/**
 * Issue 17: the services that change configs, keys and the queue say who did it (the caller's key
 * id and name), so an admin can answer "who replayed this" or "who created that key".
 */
export class AdminAuditLog extends Effect.Service<AdminAuditLog>()("AdminAuditLog", {
  effect: Effect.map(AdminAudit, (audit) => ({
    record: (action: AuditAction, subject: AuditSubject = {}) =>
      Effect.flatMap(CurrentCaller, (caller) =>
        audit.record({
          keyId: caller.keyId,
          keyName: caller.name,
          action,
          target: subject.target ?? null,
          restaurantId: subject.restaurantId ?? null,
          detail: subject.detail ?? null
        })).pipe(traced("AdminAuditLog.record", { attributes: { action } })),
    /** Newest first, within the caller's restaurants (an unrestricted admin sees every entry). */
    list: (
      query: { readonly restaurantId?: RestaurantId | undefined; readonly limit: number; readonly offset: number }
    ) =>
      Effect.flatMap(scopeOfList(query.restaurantId), (restaurantIds) =>
        Effect.map(
          audit.list({ restaurantIds, limit: query.limit, offset: query.offset }),
          (page) => ({ ...page, limit: query.limit, offset: query.offset })
        )).pipe(traced("AdminAuditLog.list"))
  }))
}) {}
