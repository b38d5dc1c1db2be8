import { Effect, Layer, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import { type AppWebhookDelivery, ChangeDeliveries, DeliveryNotFound } from "../../ports/change-deliveries.js"
import { ChangeFeed, type ChangePosition } from "../../ports/change-feed.js"

interface Stored extends AppWebhookDelivery {
  readonly claimedUntil: number
}

/** The delivery queue in memory, with the same order and retry rules as on PostgreSQL. */
export const ChangeDeliveriesMemory = Layer.effect(
  ChangeDeliveries,
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    const position = yield* Ref.make<ChangePosition | undefined>(undefined)
    const queue = yield* Ref.make<ReadonlyArray<Stored>>([])
    const modify = (sequence: number, f: (d: Stored) => Stored) =>
      Ref.update(queue, (all) => all.map((d) => (d.entry.sequence === sequence ? f(d) : d)))
    const shown = ({ claimedUntil: _, ...delivery }: Stored): AppWebhookDelivery => delivery
    return ChangeDeliveries.of({
      start: Effect.flatMap(feed.head, (head) => Ref.update(position, (p) => p ?? head)),
      enqueueFromFeed: (limit, now) =>
        Effect.gen(function*() {
          const after = (yield* Ref.get(position)) ?? (yield* feed.head)
          const page = yield* feed.read({ after, restaurantIds: undefined, limit })
          yield* Ref.set(position, page.next)
          yield* Ref.update(queue, (all) => [
            ...all,
            ...page.entries.map((entry): Stored => ({
              entry,
              status: "pending",
              attempts: 0,
              nextAttemptAt: now.toISOString(),
              lastError: null,
              deliveredAt: null,
              claimedUntil: 0
            }))
          ])
          return page.entries.length
        }),
      claimDue: (now, leaseMs, limit) =>
        Ref.modify(queue, (all) => {
          const heads = new Map<string, Stored>()
          for (const d of all) {
            if (d.status === "pending" && !heads.has(d.entry.restaurantId)) heads.set(d.entry.restaurantId, d)
          }
          const due = [...heads.values()]
            .filter((d) => Date.parse(d.nextAttemptAt) <= now.getTime() && d.claimedUntil < now.getTime())
            .slice(0, limit)
          const claimed = new Set(due.map((d) => d.entry.sequence))
          const next = all.map((
            d
          ) => (claimed.has(d.entry.sequence) ? { ...d, claimedUntil: now.getTime() + leaseMs } : d))
          return [due.map(shown), next]
        }),
      markDelivered: (sequence, at) =>
        modify(
          sequence,
          (d) => ({
            ...d,
            status: "delivered",
            deliveredAt: at.toISOString(),
            attempts: d.attempts + 1,
            lastError: null,
            claimedUntil: 0
          })
        ),
      markFailed: (sequence, error, retryAt) =>
        modify(sequence, (d) => ({
          ...d,
          attempts: d.attempts + 1,
          lastError: error,
          claimedUntil: 0,
          status: retryAt === null ? "dead" : "pending",
          nextAttemptAt: retryAt === null ? d.nextAttemptAt : retryAt.toISOString()
        })),
      list: ({ limit, restaurantIds, status }) =>
        Effect.map(
          Ref.get(queue),
          (all) =>
            all.filter((d) => d.status === status && inScope(restaurantIds, d.entry.restaurantId)).slice(0, limit).map(
              shown
            )
        ),
      replay: (sequence, restaurantIds, now) =>
        Effect.flatMap(
          Ref.get(queue),
          (all) =>
            all.some((d) =>
                d.entry.sequence === sequence && d.status === "dead" && inScope(restaurantIds, d.entry.restaurantId)
              )
              ? modify(
                sequence,
                (d) => ({ ...d, status: "pending", attempts: 0, nextAttemptAt: now.toISOString(), claimedUntil: 0 })
              )
              : Effect.fail(new DeliveryNotFound({ sequence }))
        ),
      counts: Effect.map(Ref.get(queue), (all) => ({
        pending: all.filter((d) => d.status === "pending").length,
        delivered: all.filter((d) => d.status === "delivered").length,
        dead: all.filter((d) => d.status === "dead").length
      }))
    })
  })
)
