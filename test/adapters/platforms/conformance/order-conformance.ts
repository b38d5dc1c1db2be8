import { assert, describe, layer } from "@effect/vitest"
import { type Duration, Effect, Either, type Layer, Option, Redacted, type Scope } from "effect"
import type { OrderSyncDTO } from "../../../../src/domain/dtos.js"
import {
  type Capabilities,
  type PlatformConnector,
  requireCapability
} from "../../../../src/ports/connector-capabilities.js"
import type { ConnectorError } from "../../../../src/ports/connector-errors.js"
import type { InboundRequest, WebhookAuthenticator } from "../../../../src/ports/webhook-authenticator.js"
import type { MenuSimulatorControl } from "./menu-conformance.js"
import { type OrderSample, sampleOrder } from "./order-samples.js"

export { type OrderSample, sampleOrder } from "./order-samples.js"

/** The order's state in the simulator, in the suite's words (each harness reads its simulator's own state). */
export type PlatformOrderState = "new" | "accepted" | "denied" | "cancelled" | "other"

export interface OrderSimulatorControl extends MenuSimulatorControl {
  /** Places the order platform-side and returns the platform's order id; its notification is on its way. */
  readonly placeOrder: (sample: OrderSample) => Effect.Effect<string>
  readonly orderState: (orderId: string) => Effect.Effect<PlatformOrderState>
  /** Every later webhook is delivered twice, as at-least-once senders do. */
  readonly duplicateWebhooks: Effect.Effect<void>
  readonly failNext: (n: number, status: number) => Effect.Effect<void>
  readonly throttle: (
    limit: { readonly requests: number; readonly window: Duration.DurationInput } | null
  ) => Effect.Effect<void>
  readonly rateLimitedResponses: Effect.Effect<number>
  readonly nextWebhook: Effect.Effect<InboundRequest>
}

export interface OrderConformanceSubject {
  readonly connector: PlatformConnector
  /** Same platform and restaurant, with credentials the platform refuses. */
  readonly badCredentials: PlatformConnector
  readonly webhooks: WebhookAuthenticator
  readonly webhookSecret: Redacted.Redacted<string>
  readonly credentials: Readonly<Record<string, unknown>>
  readonly externalRestaurantId: string
  /** An order id shaped like the platform's that it does not know. */
  readonly unknownOrderId: string
  readonly currency: string
  readonly sim: OrderSimulatorControl
}

export interface OrderConformanceHarness<R> {
  readonly layer: Layer.Layer<R>
  readonly start: Effect.Effect<OrderConformanceSubject, never, Scope.Scope | R>
}

const failure = <A>(effect: Effect.Effect<A, ConnectorError>) =>
  Effect.flatMap(
    Effect.either(effect),
    (r) => (Either.isLeft(r)
      ? Effect.succeed(r.left)
      : Effect.dieMessage(`expected a failure, got ${JSON.stringify(r.right)}`))
  )

const ordersOf = (s: OrderConformanceSubject) => requireCapability(s.connector, "orders").pipe(Effect.orDie)

/** The order the webhook announced, from the event or (thin events) fetched through the connector. */
const receiveOrder = (s: OrderConformanceSubject, orderId: string) =>
  Effect.gen(function*() {
    const delivery = yield* s.sim.nextWebhook
    yield* s.webhooks.authenticate(delivery, s.webhookSecret, new Date(), s.credentials)
    const events = yield* s.webhooks.parse(delivery, new Date(), s.credentials)
    const event = events.find((e) => e.externalId === orderId)
    if (event === undefined) return yield* Effect.dieMessage(`no event for order ${orderId}`)
    const order: OrderSyncDTO = event.order ??
      (yield* Effect.map(Effect.flatMap(ordersOf(s), (o) => o.get(orderId)), (r) => r.order))
    return { delivery, event, order }
  })

const sameMoney = (actual: number, expected: number) => assert.closeTo(actual, expected, 0.001)

/** for the ordering platforms: orders, webhooks and menus against the simulator over real HTTP. */
export const orderConformance = <R>(name: string, harness: OrderConformanceHarness<R>) =>
  describe(`${name} order connector conformance`, () => {
    layer(harness.layer, { excludeTestServices: true })((it) => {
      it.scoped("an order notification is authenticated, parsed and, when thin, fetched into the whole order", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const sample = sampleOrder()
          const orderId = yield* s.sim.placeOrder(sample)
          const { delivery, event, order } = yield* receiveOrder(s, orderId)
          assert.strictEqual(yield* s.webhooks.restaurantOf(delivery), s.externalRestaurantId)
          assert.strictEqual(event.eventType, "order.created")
          assert.strictEqual(event.externalRestaurantId, s.externalRestaurantId)
          assert.strictEqual(order.status, "pending")
          assert.strictEqual(order.type, sample.type)
          assert.include(order.customerName, sample.customerFirstName)
          assert.include(order.notes ?? "", sample.notes)
          assert.deepStrictEqual(
            order.items.map((i) => [i.name, i.quantity, i.menuItemId]),
            sample.items.map((i) => [i.name, i.quantity, i.plu])
          )
          const units = sample.items.map((i) => i.unitPrice + i.options.reduce((sum, o) => sum + o.price, 0))
          order.items.forEach((item, n) => sameMoney(item.unitPrice, units[n] ?? -1))
          assert.include(order.items[0]?.options.join(" ") ?? "", "Fries")
          sameMoney(order.total, sample.items.reduce((sum, i, n) => sum + (units[n] ?? 0) * i.quantity, 0))
        }))

      it.scoped("a notification delivered twice parses to one event id, so it is stored once", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          yield* s.sim.duplicateWebhooks
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          const parsed = yield* Effect.forEach(
            [1, 2],
            () => Effect.flatMap(s.sim.nextWebhook, (d) => s.webhooks.parse(d, new Date(), s.credentials))
          )
          const ids = parsed.map((events) => events.find((e) => e.externalId === orderId)?.eventId)
          assert.isDefined(ids[0])
          assert.strictEqual(ids[0], ids[1])
        }))

      it.scoped("accepting locally reaches the platform; accepting again changes nothing", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const orders = yield* ordersOf(s)
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          yield* receiveOrder(s, orderId)
          assert.strictEqual(yield* s.sim.orderState(orderId), "new")
          yield* orders.updateStatus(orderId, "accepted")
          assert.strictEqual(yield* s.sim.orderState(orderId), "accepted")
          yield* orders.updateStatus(orderId, "accepted")
          assert.strictEqual((yield* orders.get(orderId)).order.status, "accepted")
        }))

      it.scoped("denying reaches the platform; a denied order cannot be accepted", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const orders = yield* ordersOf(s)
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          yield* orders.updateStatus(orderId, "denied")
          assert.strictEqual(yield* s.sim.orderState(orderId), "denied")
          assert.strictEqual((yield* orders.get(orderId)).order.status, "denied")
          const refused = yield* failure(orders.updateStatus(orderId, "accepted"))
          assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "conflict" })
        }))

      it.scoped("a bad signature, a missing one and a tampered body are all rejected as unauthenticated", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          const { delivery } = yield* receiveOrder(s, orderId)
          const reject = (req: InboundRequest, secret = s.webhookSecret) =>
            Effect.map(Effect.flip(s.webhooks.authenticate(req, secret, new Date(), s.credentials)), (e) => e.reason)
          assert.strictEqual(
            yield* reject(delivery, Redacted.make(`${Redacted.value(s.webhookSecret)}x`)),
            "unauthenticated"
          )
          const flipped = `${orderId.slice(0, -1)}${orderId.endsWith("0") ? "1" : "0"}`
          const tampered = { ...delivery, rawBody: delivery.rawBody.replace(orderId, flipped) }
          assert.notStrictEqual(tampered.rawBody, delivery.rawBody)
          assert.strictEqual(yield* reject(tampered), "unauthenticated")
          const unsigned = {
            ...delivery,
            headers: Object.fromEntries(Object.entries(delivery.headers).filter(([k]) => !/signature|hmac/.test(k)))
          }
          assert.strictEqual(yield* reject(unsigned), "unauthenticated")
        }))

      it.scoped("4xx answers are permanent: an unknown order, refused credentials", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const unknown = yield* failure(Effect.flatMap(ordersOf(s), (o) => o.get(s.unknownOrderId)))
          assert.deepInclude(unknown, { _tag: "PlatformPermanentError", reason: "not_found" })
          const bad = yield* requireCapability(s.badCredentials, "orders").pipe(Effect.orDie)
          const refused = yield* failure(bad.get(s.unknownOrderId))
          assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "auth" })
          assert.notInclude(refused.message, JSON.stringify(s.credentials))
        }))

      it.scoped("5xx answers are retryable; a read rides out a short outage", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const orders = yield* ordersOf(s)
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          yield* s.sim.failNext(1, 503)
          assert.strictEqual((yield* orders.get(orderId)).order.status, "pending")
          yield* s.sim.failNext(20, 502)
          assert.deepInclude(yield* failure(orders.get(orderId)), {
            _tag: "PlatformRetryableError",
            reason: "server",
            status: 502
          })
          yield* s.sim.failNext(0, 503)
        }))

      it.scoped("429 answers wait for Retry-After, then fail retryably with it", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const orders = yield* ordersOf(s)
          const orderId = yield* s.sim.placeOrder(sampleOrder())
          yield* s.sim.throttle({ requests: 1, window: "1 second" })
          yield* orders.get(orderId)
          yield* orders.get(orderId)
          assert.isAtLeast(yield* s.sim.rateLimitedResponses, 1)
          yield* s.sim.throttle({ requests: 1, window: "1 hour" })
          yield* Effect.either(orders.get(orderId))
          const limited = yield* failure(orders.get(orderId))
          assert.deepInclude(limited, { _tag: "PlatformRetryableError", reason: "rate_limited", status: 429 })
          assert.isDefined(limited._tag === "PlatformRetryableError" ? limited.retryAfter : undefined)
          yield* s.sim.throttle(null)
        }))

      it.scoped("an absent capability is a typed 'unsupported' failure, never a crash", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const names: ReadonlyArray<keyof Capabilities> = [
            "reservations",
            "floorPlan",
            "offers",
            "orders",
            "menu",
            "polling",
            "store"
          ]
          for (const capability of names) {
            const result = yield* Effect.either(requireCapability(s.connector, capability))
            if (s.connector[capability] === undefined) {
              assert.deepInclude(Option.getOrThrow(Either.getLeft(result)), { reason: "unsupported" })
            } else assert.isTrue(Either.isRight(result))
          }
        }))
    })
  })
