import { assert, describe, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Ref } from "effect"
import { OutboundSettlements, OutboundSettlementsLive } from "../../../src/app/sync/outbound-settlements.js"
import type { Outcome } from "../../../src/app/sync/outcome.js"
import { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { type SyncJob, SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { lease, restaurantOn } from "../../adapters/contracts/sync-job-queue.fixtures.js"
import { makeTestApp } from "../../support/app.js"

const pushed = (job: SyncJob, responsePayload: unknown = { id: `zc-${job.entityId}` }): Outcome => ({
  status: "success",
  action: "create",
  entityId: job.entityId,
  externalId: `zc-${job.entityId}`,
  requestPayload: { partySize: 2 },
  responsePayload,
  mapping: {
    restaurantId: job.restaurantId,
    entityType: "reservation",
    entityId: job.entityId!,
    platform: "zenchef",
    externalId: `zc-${job.entityId}`,
    externalRawData: { pushedVersion: 1 },
    syncStatus: "synced",
    syncedAt: new Date().toISOString()
  }
})

/** The platform id each job's reservation is mapped to, if any. */
const mappedIds = (jobs: ReadonlyArray<SyncJob>) =>
  Effect.flatMap(
    MappingRepository,
    (mappings) =>
      Effect.forEach(jobs, (job) =>
        Effect.map(
          mappings.findByEntity("reservation", job.entityId!, "zenchef"),
          Option.map((m) => m.externalId)
        ))
  )

/** A restaurant on Zenchef with `count` claimed pushes, and its config. */
const claimedPushes = (count: number) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    const restaurantId = yield* restaurantOn(["zenchef"])
    for (let i = 0; i < count; i++) yield* queue.enqueuePush(restaurantId, "reservation", crypto.randomUUID())
    const jobs = yield* queue.claim({ limit: count, leaseMs: lease, direction: "outbound" })
    const config = Option.getOrThrow(yield* (yield* PlatformConfigRepository).findWithSecrets(restaurantId, "zenchef"))
    assert.strictEqual(jobs.length, count)
    return { restaurantId, jobs, config }
  })

/** The settlement writer over the test app, its audit-log writes counted. */
const countedSettlements = (writes: Ref.Ref<number>) =>
  OutboundSettlementsLive.pipe(
    Layer.provide(Layer.effect(
      SyncLogRepository,
      Effect.map(SyncLogRepository, (logs) => ({
        ...logs,
        appendMany: (entries) => Effect.zipRight(Ref.update(writes, (n) => n + 1), logs.appendMany(entries))
      }))
    ))
  )

const logsOf = (restaurantId: string) =>
  Effect.flatMap(
    SyncLogRepository,
    (logs) => logs.list({ restaurantId: restaurantId as never, direction: "outbound", limit: 1_000, offset: 0 })
  )

describe("outbound pushes settled together, on PostgreSQL", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.effect("forty pushes finishing together: each logged once and done, in a few writes", () =>
      Effect.gen(function*() {
        const { config, jobs, restaurantId } = yield* claimedPushes(40)
        const writes = yield* Ref.make(0)
        const startedAt = Date.now()
        yield* Effect.flatMap(
          OutboundSettlements,
          (settlements) =>
            Effect.forEach(jobs, (job) => settlements.settle(job, startedAt, pushed(job), config), {
              concurrency: "unbounded",
              discard: true
            })
        ).pipe(Effect.provide(countedSettlements(writes)))

        const lines = (yield* logsOf(restaurantId)).items
        assert.deepStrictEqual(
          lines.map((l) => l.jobId).sort(),
          jobs.map((j) => j.id).sort(),
          "one audit line per push"
        )
        assert.isTrue(lines.every((l) => l.status === "success" && l.action === "create"))
        const queue = yield* SyncJobQueue
        for (const job of jobs) assert.strictEqual(Option.getOrThrow(yield* queue.get(job.id)).status, "done")
        assert.deepStrictEqual(
          yield* mappedIds(jobs),
          jobs.map((j) => Option.some(`zc-${j.entityId}`)),
          "each push's mapping"
        )
        const statements = yield* Ref.get(writes)
        assert.isTrue(statements >= 1 && statements < 10, `${statements} audit writes for 40 pushes`)
      }))

    it.effect("a group with a line the database refuses: the others are settled, the refused one fails alone", () =>
      Effect.gen(function*() {
        const { config, jobs, restaurantId } = yield* claimedPushes(12)
        const refused = jobs[5]!
        const startedAt = Date.now()
        const exits = yield* Effect.flatMap(OutboundSettlements, (settlements) =>
          Effect.forEach(jobs, (job) =>
            // A NUL character cannot be stored in jsonb: the statement that carries it fails.
            Effect.exit(
              settlements.settle(
                job,
                startedAt,
                pushed(job, job === refused ? { note: "bad \u0000 byte" } : undefined),
                config
              )
            ), {
            concurrency: "unbounded"
          }))

        exits.forEach((exit, i) =>
          assert.strictEqual(
            Exit.isSuccess(exit),
            i !== 5,
            `push ${i}: ${Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "settled"}`
          )
        )
        const lines = (yield* logsOf(restaurantId)).items
        assert.deepStrictEqual(
          lines.map((l) => l.jobId).sort(),
          jobs.filter((j) => j !== refused).map((j) => j.id).sort()
        )
        const queue = yield* SyncJobQueue
        for (const job of jobs) {
          assert.strictEqual(Option.getOrThrow(yield* queue.get(job.id)).status, job === refused ? "running" : "done")
        }
        // The refused push's mapping went with its audit line: its retry finds the booking by reference.
        assert.deepStrictEqual(
          yield* mappedIds(jobs),
          jobs.map((j) => (j === refused ? Option.none() : Option.some(`zc-${j.entityId}`)))
        )
      }))
  })
})
