import { Clock, Effect } from "effect"
import type { WebhookEvent } from "../../../src/domain/dtos.js"
import type { EntityType, Platform, RestaurantId } from "../../../src/domain/ids.js"
import type { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { type SyncJob, SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import type { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { configInput, newRestaurant } from "./platform-config.contract.js"

export type Services = SyncJobQueue | PlatformConfigRepository | MappingRepository | SyncLogRepository

export const webhookEvent = (overrides: Partial<WebhookEvent> = {}): WebhookEvent => ({
  platform: "zenchef",
  eventId: `evt-${crypto.randomUUID()}`,
  eventType: "reservation.created",
  externalRestaurantId: "zc-resto-1",
  externalId: "zc-booking-1",
  occurredAt: "2030-01-01T10:00:00.000Z",
  reservation: {
    customerName: "Ana Ruiz",
    customerPhone: "+33612345678",
    partySize: 4,
    reservationTime: "2030-01-05T19:30:00.000+01:00",
    tableExternalIds: ["T1"]
  },
  rawPayload: { type: "booking.created", data: { id: 1, nested: [true, null] } },
  ...overrides
})

export const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())
export const later = (ms: number) => Effect.map(Clock.currentTimeMillis, (now) => new Date(now + ms).toISOString())
export const ids = (jobs: ReadonlyArray<SyncJob>) => jobs.map((j) => j.id)
export const lease = 60_000

/** A restaurant with one active config per platform, each syncing reservations unless told. */
export const restaurantOn = (
  platforms: ReadonlyArray<Platform>,
  syncEntities: ReadonlyArray<EntityType> = ["reservation"]
) =>
  Effect.gen(function*() {
    const configs = yield* PlatformConfigRepository
    const restaurantId = newRestaurant()
    for (const platform of platforms) yield* configs.create(configInput(restaurantId, platform, { syncEntities }))
    return restaurantId
  })

/** One claimed push, for tests about what happens after an attempt. */
export const claimedPush = (restaurantId: RestaurantId, entityId: string = crypto.randomUUID()) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    yield* queue.enqueuePush(restaurantId, "reservation", entityId)
    const [job] = yield* queue.claim({ limit: 1, leaseMs: lease, direction: "outbound" })
    return job!
  })

export const drain = Effect.gen(function*() {
  const queue = yield* SyncJobQueue
  const taken: Array<number> = []
  for (;;) {
    const jobs = yield* queue.claim({ limit: 7, leaseMs: lease })
    if (jobs.length === 0) return taken
    taken.push(...ids(jobs))
    yield* Effect.yieldNow()
  }
})
