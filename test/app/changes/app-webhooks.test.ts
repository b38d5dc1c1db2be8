import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, layer, vi } from "@effect/vitest"
import { Context, type Duration, Effect, Layer, Redacted, Ref, Schema, TestClock } from "effect"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { Webhook } from "standardwebhooks"
import { EgressHttpClientLive } from "../../../src/adapters/platforms/shared/egress-client.js"
import { RepositoriesSql } from "../../../src/app/layers.js"
import { type AppWebhookOptions, deliverAppWebhooksOnce } from "../../../src/app/workers/app-webhooks.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { standardWebhooksKey } from "../../../src/domain/webhook-secrets.js"
import { ChangeDeliveries } from "../../../src/ports/change-deliveries.js"
import { ChangeFeed, feedStart, withChangeOrigin } from "../../../src/ports/change-feed.js"
import { ReservationRepository, Transactor } from "../../../src/ports/entity-repository.js"
import { testEgress } from "../../support/app.js"
import { TestDatabaseLive } from "../../support/database.js"
import { samples } from "../../support/samples.js"

const secret = `whsec_${randomBytes(32).toString("base64")}`

/** The main app's side: verifies each message with the official library, and can be down. */
class Receiver extends Context.Tag("test/Receiver")<Receiver, {
  readonly url: string
  readonly down: Ref.Ref<boolean>
  readonly received: Ref.Ref<
    ReadonlyArray<
      {
        readonly id: string
        readonly data: { readonly sequence: number; readonly restaurantId: string; readonly origin: string }
      }
    >
  >
}>() {}

const ReceiverLive = Layer.scoped(
  Receiver,
  Effect.gen(function*() {
    const down = yield* Ref.make(false)
    const received = yield* Ref.make<Receiver["Type"]["received"] extends Ref.Ref<infer A> ? A : never>([])
    const verifier = new Webhook(secret)
    const app = HttpRouter.empty.pipe(HttpRouter.post(
      "/hook",
      Effect.gen(function*() {
        if (yield* Ref.get(down)) return HttpServerResponse.empty({ status: 503 })
        const request = yield* HttpServerRequest.HttpServerRequest
        const body = yield* request.text
        const payload = verifier.verify(body, request.headers as Record<string, string>) as { data: never }
        yield* Ref.update(received, (all) => [...all, { id: request.headers["webhook-id"]!, data: payload.data }])
        return HttpServerResponse.empty({ status: 204 })
      }).pipe(Effect.orDie)
    ))
    const server = yield* HttpServer.serveEffect(app).pipe(Effect.zipRight(HttpServer.HttpServer))
    const address = server.address
    return { url: `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/hook`, down, received }
  })
).pipe(Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })))

const Live = Layer.mergeAll(RepositoriesSql, ReceiverLive, EgressHttpClientLive(testEgress)).pipe(
  Layer.provideMerge(TestDatabaseLive)
)

// The receiver's library checks webhook-timestamp against Date.now(): its clock follows the test's.
beforeAll(() => void vi.useFakeTimers({ toFake: ["Date"] }))
afterAll(() => void vi.useRealTimers())
const adjust = (delay: Duration.DurationInput) =>
  Effect.zipRight(
    TestClock.adjust(delay),
    Effect.flatMap(TestClock.currentTimeMillis, (ms) => Effect.sync(() => vi.setSystemTime(ms)))
  )

/**
 * Waits (real time, bounded) until the feed serves `count` entries of these restaurants: it
 * serves a transaction's entries once no older one of the cluster runs, and other test files
 * write to the same cluster.
 */
const served = (restaurantIds: ReadonlyArray<RestaurantId>, count: number) =>
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    for (let attempt = 0; attempt < 200; attempt++) {
      const page = yield* feed.read({ after: feedStart, restaurantIds, limit: 1000 })
      if (page.entries.length >= count) return
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
    }
    return yield* Effect.dieMessage(`the feed never served ${count} entries`)
  })

const reservationOf = (restaurantId: string, notes: string) =>
  Schema.decodeUnknownSync(E.reservation.Create)({ ...samples.reservation(restaurantId), notes })

describe("webhooks to the main app", () => {
  layer(Live, { timeout: "120 seconds" })((it) => {
    it.effect("platform bookings reach the receiver signed, in order per restaurant, once each, across an outage", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const receiver = yield* Receiver
        const deliveries = yield* ChangeDeliveries
        const reservations = yield* ReservationRepository
        const transactor = yield* Transactor
        const options: AppWebhookOptions = {
          url: receiver.url,
          secret: Redacted.make(secret),
          pollInterval: "1 second",
          timeout: "10 seconds",
          leaseMs: 60_000
        }
        const key = standardWebhooksKey(secret)!
        const pass = deliverAppWebhooksOnce(options, key)
        yield* deliveries.start
        const [a, b] = ["resto-a", "resto-b"].map((r) => `${r}-${crypto.randomUUID().slice(0, 6)}` as RestaurantId)
        const book = (r: string, n: string) =>
          transactor.withTransaction(reservations.create(reservationOf(r, n))).pipe(withChangeOrigin("thefork"))
        yield* book(a!, "a1")
        yield* book(b!, "b1")
        yield* served([a!, b!], 2)
        yield* pass
        assert.deepStrictEqual((yield* Ref.get(receiver.received)).map((m) => m.data.origin), ["thefork", "thefork"])

        // The receiver goes down: attempts fail, later entries of the restaurant wait behind the first.
        yield* Ref.set(receiver.down, true)
        yield* book(a!, "a2")
        yield* book(a!, "a3")
        yield* served([a!], 3)
        yield* pass
        yield* adjust("1 minute")
        yield* pass
        assert.strictEqual((yield* deliveries.counts).pending, 2)
        yield* adjust("5 minutes")
        yield* Ref.set(receiver.down, false)
        yield* pass // a2
        yield* pass // a3, only once a2 is in
        yield* pass // nothing left
        const received = yield* Ref.get(receiver.received)
        const ids = received.map((m) => m.id)
        assert.strictEqual(new Set(ids).size, ids.length, "nothing doubled")
        const ofA = received.filter((m) => m.data.restaurantId === a).map((m) => m.data.sequence)
        assert.strictEqual(ofA.length, 3, "nothing lost")
        assert.deepStrictEqual(ofA, [...ofA].sort((x, y) => x - y), "in order")
        assert.deepStrictEqual(yield* deliveries.counts, { pending: 0, delivered: 4, dead: 0 })
      }))

    it.effect("after the last retry a delivery is dead, listed, and delivered again on replay", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const receiver = yield* Receiver
        const deliveries = yield* ChangeDeliveries
        const reservations = yield* ReservationRepository
        const options: AppWebhookOptions = {
          url: receiver.url,
          secret: Redacted.make(secret),
          pollInterval: "1 second",
          timeout: "10 seconds",
          leaseMs: 60_000
        }
        const pass = deliverAppWebhooksOnce(options, standardWebhooksKey(secret)!)
        yield* deliveries.start
        yield* pass
        const r = `resto-dead-${crypto.randomUUID().slice(0, 6)}` as RestaurantId
        yield* Ref.set(receiver.down, true)
        yield* reservations.create(reservationOf(r, "d1"))
        yield* served([r], 1)
        yield* pass
        for (const delay of ["1 minute", "5 minutes", "30 minutes", "2 hours", "8 hours"] as const) {
          yield* adjust(delay)
          yield* pass
        }
        const dead = yield* deliveries.list({ status: "dead", restaurantIds: [r], limit: 10 })
        assert.strictEqual(dead.length, 1)
        assert.strictEqual(dead[0]!.attempts, 6)
        yield* Ref.set(receiver.down, false)
        yield* deliveries.replay(dead[0]!.entry.sequence, [r], new Date(yield* TestClock.currentTimeMillis))
        yield* pass
        const got = (yield* Ref.get(receiver.received)).filter((m) => m.data.restaurantId === r)
        assert.strictEqual(got.length, 1)
      }))
  })
})
