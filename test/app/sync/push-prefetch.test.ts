import { assert, describe, layer } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { prefetchPushes, pushLookupOf, PushPrefetch } from "../../../src/app/sync/push-prefetch.js"
import { recordKey } from "../../../src/app/sync/record-key.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { DiningRoomRepository, ReservationRepository } from "../../../src/ports/entity-repository.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { restaurantOn } from "../../adapters/contracts/sync-job-queue.fixtures.js"
import { makeTestApp } from "../../support/app.js"
import { linkOn } from "../../support/mappings.js"
import { samples } from "../../support/samples.js"

const createReservation = (restaurantId: RestaurantId, diningRoomId?: string) =>
  Effect.flatMap(
    ReservationRepository,
    (reservations) =>
      reservations.create(
        Schema.decodeUnknownSync(E.reservation.Create)({ ...samples.reservation(restaurantId), diningRoomId })
      )
  )

const claimPushes = (restaurantId: RestaurantId, ids: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    for (const id of ids) yield* queue.enqueuePush(restaurantId, "reservation", id)
    return yield* queue.claim({ limit: ids.length, leaseMs: 60_000, direction: "outbound" })
  })

describe("a pass of pushes reads its reservations and mappings together, on PostgreSQL", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.effect("each push's reservation and mappings are read once for the pass; a record with two jobs is left to read its own", () =>
      Effect.gen(function*() {
        const restaurantId = yield* restaurantOn(["zenchef"])
        const room = yield* Effect.flatMap(
          DiningRoomRepository,
          (rooms) => rooms.create(Schema.decodeUnknownSync(E.diningRoom.Create)(samples.diningRoom(restaurantId)))
        )
        const mapped = yield* createReservation(restaurantId, room.id)
        const unmapped = yield* createReservation(restaurantId)
        const twice = yield* createReservation(restaurantId)
        yield* linkOn(restaurantId, "reservation", mapped.id, "zc-mapped")
        yield* linkOn(restaurantId, "dining_room", mapped.diningRoomId!, "zc-room")
        const jobs = yield* claimPushes(restaurantId, [mapped.id, unmapped.id, twice.id])
        assert.strictEqual(jobs.length, 3)
        const twiceJob = jobs.find((job) => job.entityId === twice.id)!
        const lookups = yield* prefetchPushes([...jobs, { ...twiceJob, id: twiceJob.id + 1_000_000 }])

        const jobOf = (id: string) => jobs.find((job) => job.entityId === id)!
        assert.deepStrictEqual(
          [...lookups.keys()].sort(),
          [mapped.id, unmapped.id].map((id) => recordKey(jobOf(id))).sort()
        )
        const mappedLookup = lookups.get(recordKey(jobOf(mapped.id)))!
        assert.deepStrictEqual(mappedLookup.reservation, mapped)
        assert.strictEqual(mappedLookup.externalIds.get(`reservation:${mapped.id}`), "zc-mapped")
        assert.strictEqual(mappedLookup.externalIds.get(`dining_room:${mapped.diningRoomId}`), "zc-room")
        assert.isUndefined(lookups.get(recordKey(jobOf(unmapped.id)))!.externalIds.get(`reservation:${unmapped.id}`))

        // A push takes what the pass read; without it, it reads the record as it is now.
        const mappedJob = jobOf(mapped.id)
        const changedSince = { ...mappedLookup, reservation: { ...mapped, partySize: mapped.partySize + 3 } }
        const taken = yield* pushLookupOf(mappedJob, mapped.id).pipe(
          Effect.provideService(PushPrefetch, new Map([[recordKey(mappedJob), changedSince]]))
        )
        assert.strictEqual(Option.getOrThrow(taken).reservation.partySize, mapped.partySize + 3)
        const read = Option.getOrThrow(yield* pushLookupOf(mappedJob, mapped.id))
        assert.deepStrictEqual(read.reservation, mapped)
        assert.strictEqual(read.externalIds.get(`reservation:${mapped.id}`), "zc-mapped")
        assert.isTrue(Option.isNone(yield* pushLookupOf(mappedJob, crypto.randomUUID())), "a deleted reservation")
      }))

    it.effect("should the pass's reads fail, the pass reads nothing ahead and each push reads its own", () =>
      Effect.gen(function*() {
        const restaurantId = yield* restaurantOn(["zenchef"])
        const reservation = yield* createReservation(restaurantId)
        const jobs = yield* claimPushes(restaurantId, [reservation.id])
        const reservations = yield* ReservationRepository
        const lookups = yield* prefetchPushes(jobs).pipe(
          Effect.provideService(ReservationRepository, {
            ...reservations,
            getMany: () => Effect.die("connection lost")
          })
        )
        assert.strictEqual(lookups.size, 0)
      }))
  })
})
