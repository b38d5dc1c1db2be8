import { Clock, Effect, Layer, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import { AdminAudit, type AuditEntry } from "../../ports/admin-audit.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** The audit in a Ref, newest first. */
export const AdminAuditMemory = Layer.effect(
  AdminAudit,
  Effect.map(Ref.make<ReadonlyArray<AuditEntry>>([]), (store) =>
    AdminAudit.of({
      record: (entry) =>
        Effect.flatMap(
          nowIso,
          (at) => Ref.update(store, (rows) => [{ ...entry, id: crypto.randomUUID(), at }, ...rows])
        ),
      list: (query) =>
        Effect.map(Ref.get(store), (rows) => {
          // A restricted caller sees the entries of its restaurants only, never the global ones.
          const visible = query.restaurantIds === undefined
            ? rows
            : rows.filter((row) => row.restaurantId !== null && inScope(query.restaurantIds, row.restaurantId))
          return { items: visible.slice(query.offset, query.offset + query.limit), total: visible.length }
        })
    }))
)
