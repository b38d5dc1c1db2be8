import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SyncJobQueue } from "../../src/ports/sync-job-queue.js"
import { sampleOffers } from "../../src/simulators/thefork/index.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { list, post } from "../support/marketplace-world.js"
import { samples } from "../support/samples.js"
import { request, ServiceUrl } from "../support/service.js"
import { guest, theforkWorld } from "../support/thefork-world.js"

describe("sync engine end to end with TheFork: thin webhooks, URL token, fetch", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a thin webhook with the right URL token leads to a fetch and one local reservation, even delivered twice", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        yield* w.sim.webhooks.configure({ duplicate: true })
        const made = yield* w.sim.staff.create(w.restaurantUuid, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          offerUuid: sampleOffers[1]!.uuid,
          customerNote: "Allergies: crustacés",
          customer: guest
        })
        yield* w.sim.webhooks.awaitIdle
        const attempts = yield* w.sim.webhooks.attempts
        assert.deepStrictEqual(attempts.map((a) => a.status), [200, 200])
        assert.strictEqual(yield* w.fetches, 0, "nothing is fetched before the worker runs")
        yield* drainAll
        assert.isAtLeast(yield* w.fetches, 1)
        const reservations = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(reservations.length, 1)
        const r = reservations[0]!
        assert.strictEqual(r.source, "thefork")
        assert.strictEqual(r.customerName, "Léa Martin")
        assert.strictEqual(r.customerPhone, "+33698765432")
        assert.strictEqual(r.partySize, 2)
        assert.strictEqual(r.reservationTime, "2030-06-08T18:00:00.000Z")
        assert.strictEqual(r.offerId, w.offer.id)
        assert.include(r.allergies, "crustacés")
        const mappings = yield* list(`/api/sync/mappings?restaurantId=${w.restaurantId}&entityType=reservation`)
        assert.deepStrictEqual(mappings.map((m) => [m.entityId, m.externalId]), [[r.id, made.reservationUuid]])
      }))

    it.scoped("a wrong or missing URL token gets 401 and changes nothing", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        yield* w.sim.setWebhook(w.restaurantUuid, {
          url: `${yield* ServiceUrl}/api/webhooks/thefork`,
          token: `${w.urlToken}x`
        })
        const made = yield* w.sim.staff.create(w.restaurantUuid, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          customer: guest
        })
        yield* w.sim.webhooks.awaitIdle
        const attempts = yield* w.sim.webhooks.attempts
        assert.isAbove(attempts.length, 0)
        assert(attempts.every((a) => a.status === 401), JSON.stringify(attempts))
        const thin = JSON.stringify({
          entityType: "reservation",
          eventType: "reservationCreated",
          uuid: made.reservationUuid,
          restaurantUuid: w.restaurantUuid
        })
        const missing = yield* request("POST", "/api/webhooks/thefork", undefined, { rawBody: thin })
        assert.strictEqual(missing.status, 401)
        const queue = yield* SyncJobQueue
        assert.deepStrictEqual(yield* queue.counts(), { pending: 0, retrying: 0, dead: 0 })
        yield* drainAll
        assert.strictEqual(yield* w.fetches, 0)
        assert.deepStrictEqual(yield* list(`/api/reservations?restaurantId=${w.restaurantId}`), [])
      }))

    it.scoped("successive updates of one reservation are each fetched and applied: a new party size, then a cancellation", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        const made = yield* w.sim.staff.create(w.restaurantUuid, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          customer: guest
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        yield* w.sim.staff.change(w.restaurantUuid, made.reservationUuid, { partySize: 5 })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [resized] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(resized!.partySize, 5)
        yield* w.sim.staff.change(w.restaurantUuid, made.reservationUuid, { status: "CANCELED" })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [cancelled] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(cancelled!.status, "cancelled")
      }))

    it.scoped("staff taking the offer off a TheFork booking clears ours, as a new version (issue 20, item 7)", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        const made = yield* w.sim.staff.create(w.restaurantUuid, {
          mealDate: "2030-06-08T18:00:00Z",
          partySize: 2,
          offerUuid: sampleOffers[1]!.uuid,
          customer: guest
        })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [linked] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.strictEqual(linked!.offerId, w.offer.id)
        yield* w.sim.staff.change(w.restaurantUuid, made.reservationUuid, { offerUuid: null })
        yield* w.sim.webhooks.awaitIdle
        yield* drainAll
        const [cleared] = yield* list(`/api/reservations?restaurantId=${w.restaurantId}`)
        assert.isNull(cleared!.offerId)
        assert.strictEqual(cleared!.version, (linked!.version as number) + 1)
      }))

    it.scoped("a reservation created locally reaches TheFork with our id in the internal note and the mapped offer", () =>
      Effect.gen(function*() {
        const w = yield* theforkWorld
        yield* w.sim.setMode({ apiChangesEmitWebhooks: false })
        const created = yield* post("/api/reservations", {
          ...samples.reservation(w.restaurantId),
          customerEmail: "ana@example.com",
          reservationTime: "2030-06-07T17:30:00.000Z",
          offerId: w.offer.id
        })
        yield* drainAll
        const [booked] = yield* w.sim.reservations(w.restaurantUuid)
        assert.isDefined(booked)
        assert.include(booked!.restaurantNote ?? "", `[alloresto:${created.id}]`)
        assert.strictEqual(booked!.offerUuid, sampleOffers[1]!.uuid)
        assert.strictEqual(booked!.partySize, 4)
        assert.strictEqual(booked!.mealDate, "2030-06-07T17:30:00.000Z")
        yield* request("PATCH", `/api/reservations/${created.id}`, { status: "cancelled" })
        yield* drainAll
        assert.strictEqual((yield* w.sim.reservation(w.restaurantUuid, booked!.reservationUuid)).status, "CANCELED")
      }))
  })
})
