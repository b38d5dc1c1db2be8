import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Redacted, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { CredentialCipherAesGcm } from "../../src/adapters/crypto/aes-gcm-cipher.js"
import { ConnectorRegistryLive } from "../../src/adapters/platforms/registry.js"
import { DatabaseLive } from "../../src/adapters/sql/database.js"
import { CurrentCallerSystem } from "../../src/app/caller.js"
import { AppServicesLive, RepositoriesSql } from "../../src/app/layers.js"
import { LocalChanges } from "../../src/app/services/local-changes.js"
import { PlatformConfigs } from "../../src/app/services/platform-configs.js"
import { PlatformConfigCreate } from "../../src/app/services/platform-configs.js"
import { SyncSettings, SyncSettingsTest } from "../../src/app/workers/settings.js"
import { runWorker } from "../../src/app/workers/worker.js"
import * as E from "../../src/domain/entities.js"
import { ReservationRepository } from "../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { ZenchefSimulator } from "../../src/simulators/zenchef/index.js"
import { freshDatabaseUrl } from "../support/database.js"
import { samples } from "../support/samples.js"
import { eventually } from "../support/zenchef-world.js"

/** One service instance: its own pool, registry and workers, on the shared database. */
const instance = (url: string, key: Buffer) =>
  AppServicesLive.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        ConnectorRegistryLive({ rateLimit: { limit: 10_000 }, egress: { allowedHosts: ["127.0.0.1", "localhost"] } })
          .pipe(Layer.provide(NodeHttpClient.layerUndici)),
        SyncSettingsTest
      )
    ),
    Layer.provideMerge(RepositoriesSql),
    Layer.provideMerge(CredentialCipherAesGcm(key)),
    Layer.provideMerge(DatabaseLive({ url: Redacted.make(url), maxConnections: 8 })),
    // The test calls the services directly, as the service itself (issue 17).
    Layer.provideMerge(CurrentCallerSystem)
  )

describe("R-8.4: several instances on one database", () => {
  it.scopedLive(
    "two instances, one simulator: 200 local changes, each pushed exactly once",
    () =>
      Effect.gen(function*() {
        const url = yield* freshDatabaseUrl
        const key = randomBytes(32)
        const a = yield* Layer.build(instance(url, key))
        const b = yield* Layer.build(instance(url, key))
        const sim = yield* ZenchefSimulator.start({ rateLimit: null, mode: { apiChangesEmitWebhooks: false } })
        const apiKey = "key-two-instances"
        const restaurant = yield* sim.seedRestaurant({ apiKeys: [apiKey], timeZone: "Europe/Paris" })
        const restaurantId = "resto-two-instances"
        yield* Effect.flatMap(PlatformConfigs, (configs) =>
          configs.create(
            Schema.decodeUnknownSync(PlatformConfigCreate)({
              restaurantId,
              platform: "zenchef",
              credentials: { apiKey, restaurantUid: restaurant.uid, timezone: "Europe/Paris", baseUrl: sim.url }
            })
          )).pipe(Effect.provide(a))

        const worker = Effect.flatMap(SyncSettings, runWorker)
        const workers = [yield* Effect.fork(Effect.provide(worker, a)), yield* Effect.fork(Effect.provide(worker, b))]

        // 100 reservations created, then each changed once: 200 changes, written half by each instance.
        const decode = Schema.decodeUnknownSync(E.reservation.Create)
        const ids = yield* Effect.forEach(Array.from({ length: 100 }, (_, i) => i), (i) =>
          Effect.flatMap(Effect.zip(LocalChanges, ReservationRepository), ([changes, repo]) =>
            Effect.map(
              changes.create(repo, decode({ ...samples.reservation(restaurantId), customerName: `Guest ${i}` })),
              (r) =>
                r.id
            )).pipe(Effect.provide(i % 2 === 0 ? a : b)), { concurrency: 8 })
        yield* eventually(
          Effect.map(sim.bookings(restaurant.uid), (all) =>
            all.length),
          (n) =>
            n === 100,
          "30 seconds"
        )
        yield* Effect.forEach(ids, (id, i) =>
          Effect.flatMap(Effect.zip(LocalChanges, ReservationRepository), ([changes, repo]) =>
            changes.update(repo, id, { partySize: 6 })).pipe(Effect.provide(i % 2 === 0 ? b : a)), { concurrency: 8 })

        const queue = yield* Effect.provide(SyncJobQueue, a)
        yield* eventually(queue.counts(), (c) =>
          c.pending === 0, "30 seconds")
        yield* eventually(
          Effect.map(sim.bookings(restaurant.uid), (all) =>
            all.filter((x) =>
              x.numberOfPeople === 6
            ).length),
          (n) => n === 100,
          "30 seconds"
        )
        yield* Effect.forEach(workers, Fiber.interrupt)

        const counters = yield* sim.counters
        const bookings = yield* sim.bookings(restaurant.uid)
        assert.strictEqual(bookings.length, 100, "one booking per reservation")
        assert.strictEqual(counters.createCalls, 100, "each create pushed exactly once")
        assert.strictEqual(
          counters.requestsByRoute["PUT /{restaurantUid}/booking/{uid}"],
          100,
          "each update pushed exactly once"
        )
        assert.sameMembers(
          bookings.map((x) => x.externalReferenceId),
          ids
        )
      }),
    { timeout: 90_000 }
  )
})
