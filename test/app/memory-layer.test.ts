import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { LocalChanges } from "../../src/app/services/local-changes.js"
import { PlatformConfigCreate } from "../../src/app/services/platform-configs.js"
import { PlatformConfigs } from "../../src/app/services/platform-configs.js"
import { AlloRestoSyncMemory } from "../../src/app/testing.js"
import * as E from "../../src/domain/entities.js"
import { ReservationRepository } from "../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { samples } from "../support/samples.js"

describe("AlloRestoSyncMemory: the in-memory layer the README shows", () => {
  it.effect("a reservation written through LocalChanges is stored and queued for each connected platform", () =>
    Effect.gen(function*() {
      const configs = yield* PlatformConfigs
      yield* configs.create(
        Schema.decodeUnknownSync(PlatformConfigCreate)({
          restaurantId: "resto-1",
          platform: "zenchef",
          credentials: { apiKey: "test-key", restaurantUid: "a1b2c3d4" }
        })
      )
      const changes = yield* LocalChanges
      const reservations = yield* ReservationRepository
      const created = yield* changes.create(
        reservations,
        Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation("resto-1"))
      )
      assert.strictEqual((yield* reservations.get(created.id)).customerName, "Ana Ruiz")
      const queue = yield* SyncJobQueue
      assert.strictEqual((yield* queue.counts()).pending, 1)
      const [job] = yield* queue.claim({ limit: 10, leaseMs: 1000 })
      assert.strictEqual(job?.entityId, created.id)
      // A patch queues the record's push again (the first one is running).
      yield* changes.update(reservations, created.id, { partySize: 6 })
      assert.strictEqual((yield* queue.counts()).pending, 1)
      assert.strictEqual((yield* reservations.get(created.id)).partySize, 6)
    }).pipe(Effect.provide(AlloRestoSyncMemory)))
})
