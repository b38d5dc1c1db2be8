import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Option, Ref, Schema } from "effect"
import { pushReservation } from "../../../src/app/sync/outbound.js"
import { pushLookupOf } from "../../../src/app/sync/push-prefetch.js"
import * as E from "../../../src/domain/entities.js"
import type { PlatformConnector, ReservationCapability } from "../../../src/ports/connector-capabilities.js"
import { PlatformRetryableError } from "../../../src/ports/connector-errors.js"
import { ReservationRepository } from "../../../src/ports/entity-repository.js"
import { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../../src/ports/platform-config-repository.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { restaurantOn } from "../../adapters/contracts/sync-job-queue.fixtures.js"
import { makeTestApp } from "../../support/app.js"
import { samples } from "../../support/samples.js"

/** A platform that records its calls and whose check-in fails while `checkInFails` holds. */
const recordingPlatform = (calls: Ref.Ref<ReadonlyArray<string>>, checkInFails: Ref.Ref<boolean>) => {
  const call = (name: string) => Ref.update(calls, (all) => [...all, name])
  const reservations: ReservationCapability = {
    create: () => Effect.as(call("create"), { externalId: "zc-1" }),
    findByReference: () => Effect.as(call("findByReference"), Option.none()),
    get: () => Effect.die("not used"),
    update: (externalId) => Effect.as(call(`update ${externalId}`), { externalId }),
    cancel: () => Effect.die("not used"),
    checkIn: (externalId) =>
      Effect.zipRight(
        call(`checkIn ${externalId}`),
        Effect.flatMap(Ref.get(checkInFails), (fails) =>
          fails
            ? Effect.fail(
              new PlatformRetryableError({ platform: "zenchef", reason: "server", status: 503, message: "unavailable" })
            )
            : Effect.void)
      )
  }
  return Effect.succeed(
    {
      platform: "zenchef",
      reservations,
      authenticate: () => Effect.void,
      availability: () => Effect.succeed([])
    } satisfies PlatformConnector
  )
}

/** A reservation at `status`, of a restaurant on Zenchef, its push enqueued and claimed. */
const claimedPush = (status: E.Reservation["status"]) =>
  Effect.gen(function*() {
    const restaurantId = yield* restaurantOn(["zenchef"])
    const config = Option.getOrThrow(yield* (yield* PlatformConfigRepository).findWithSecrets(restaurantId, "zenchef"))
    const reservation = yield* (yield* ReservationRepository).create({
      ...Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation(restaurantId)),
      status
    })
    const queue = yield* SyncJobQueue
    yield* queue.enqueuePush(restaurantId, "reservation", reservation.id)
    const [job] = yield* queue.claim({ limit: 1, leaseMs: 60_000, direction: "outbound" })
    return { config, job: job, reservation }
  })

describe("a push with a second platform call, on PostgreSQL", () => {
  // The platform is a stand-in here: the test needs the check-in, and only it, to fail.
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.effect("a booking created before a failed check-in stays linked: the retry checks it in by its mapping, creating nothing", () =>
      Effect.gen(function*() {
        const { config, job, reservation } = yield* claimedPush("seated")
        const calls = yield* Ref.make<ReadonlyArray<string>>([])
        const checkInFails = yield* Ref.make(true)
        const platform = recordingPlatform(calls, checkInFails)

        const lookup = () => Effect.map(pushLookupOf(job, reservation.id), Option.getOrThrow)
        const first = yield* Effect.exit(pushReservation(job, config, yield* lookup(), platform))
        assert.isTrue(Exit.isFailure(first), "the check-in failed")
        const mapping = yield* (yield* MappingRepository).findByEntity("reservation", reservation.id, "zenchef")
        assert.strictEqual(Option.getOrThrow(mapping).externalId, "zc-1", "the created booking is linked already")

        yield* Ref.set(checkInFails, false)
        const retried = yield* pushReservation({ ...job, attempts: 1 }, config, yield* lookup(), platform)
        assert.strictEqual(retried.action, "check_in")
        assert.deepStrictEqual(yield* Ref.get(calls), ["create", "checkIn zc-1", "update zc-1", "checkIn zc-1"])
      }))

    it.effect("a completed booking on a platform with no check-out is pushed, and its line says the status stays here", () =>
      Effect.gen(function*() {
        const { config, job, reservation } = yield* claimedPush("completed")
        const calls = yield* Ref.make<ReadonlyArray<string>>([])
        const platform = recordingPlatform(calls, yield* Ref.make(false))

        const lookup = Option.getOrThrow(yield* pushLookupOf(job, reservation.id))
        const outcome = yield* pushReservation(job, config, lookup, platform)
        assert.deepInclude(outcome, {
          status: "success",
          action: "create",
          errorMessage: "zenchef: platform has no check-out; the booking is completed here only"
        })
        assert.deepStrictEqual(yield* Ref.get(calls), ["create"])
      }))
  })
})
