import { assert, describe, layer } from "@effect/vitest"
import { type Duration, Effect, Either, type Layer, Option, type Redacted, type Scope } from "effect"
import type { ReservationSyncDTO } from "../../../../src/domain/dtos.js"
import {
  type Capabilities,
  type PlatformConnector,
  requireCapability
} from "../../../../src/ports/connector-capabilities.js"
import type { ConnectorError } from "../../../../src/ports/connector-errors.js"
import type { InboundRequest, WebhookAuthenticator } from "../../../../src/ports/webhook-authenticator.js"

/** What the suite needs from a platform's simulator; each platform's test adapts its own handle. */
export interface SimulatorControl {
  readonly bookingCount: Effect.Effect<number>
  /** The next `n` requests are answered `status` without being handled. */
  readonly failNext: (n: number, status: number) => Effect.Effect<void>
  /** The next booking creation is carried out, but its response never reaches the connector. */
  readonly dropNextCreateResponse: Effect.Effect<void>
  readonly droppedResponses: Effect.Effect<number>
  /** The platform's own rate limit per API key; `null` lifts it. */
  readonly throttle: (
    limit: { readonly requests: number; readonly window: Duration.DurationInput } | null
  ) => Effect.Effect<void>
  readonly rateLimitedResponses: Effect.Effect<number>
  /** The next webhook the platform delivered, as our HTTP edge would hand it over. */
  readonly nextWebhook: Effect.Effect<InboundRequest>
}

export interface ConformanceSubject {
  /**
   * Built with a short HTTP policy: 1 to 3 transient retries, at least one Retry-After wait,
   * waits of at most a few seconds.
   */
  readonly connector: PlatformConnector
  /** Same platform and restaurant, with credentials the platform refuses. */
  readonly badCredentials: PlatformConnector
  readonly webhooks: WebhookAuthenticator
  readonly webhookSecret: Redacted.Redacted<string>
  readonly credentials: Readonly<Record<string, unknown>>
  readonly externalRestaurantId: string
  readonly sim: SimulatorControl
  /** A reservation the platform accepts, carrying `localId` as its external reference. */
  readonly reservation: (localId: string) => ReservationSyncDTO
}

export interface ConformanceHarness<R> {
  readonly layer: Layer.Layer<R>
  /** A fresh simulator and connector per test, released with the scope. */
  readonly start: Effect.Effect<ConformanceSubject, never, Scope.Scope | R>
  readonly capabilities: {
    readonly checkInOut: boolean
    /** Deliveries carry a signed timestamp, so a stale one can be rejected. */
    readonly timestampedWebhooks: boolean
    /** Deliveries name the record only (TheFork): the event needs a fetch, which `get` does. Absent: false. */
    readonly thinWebhooks?: boolean
    /** Deliveries are authenticated by a token in their URL (TheFork), not by a body signature. Absent: false. */
    readonly urlTokenWebhooks?: boolean
  }
}

const localId = () => crypto.randomUUID()

const failure = <A>(effect: Effect.Effect<A, ConnectorError>) =>
  Effect.flatMap(
    Effect.either(effect),
    (result) =>
      Either.isLeft(result)
        ? Effect.succeed(result.left)
        : Effect.dieMessage(`expected a failure, got ${JSON.stringify(result.right)}`)
  )

const reservationsOf = (subject: ConformanceSubject) =>
  requireCapability(subject.connector, "reservations").pipe(Effect.orDie)

const sameInstant = (a: string, b: string) => assert.strictEqual(new Date(a).toISOString(), new Date(b).toISOString())

/** every connector passes this suite against its simulator, over real HTTP. */
export const connectorConformance = <R>(name: string, harness: ConformanceHarness<R>) =>
  describe(`${name} connector conformance`, () => {
    // Live clock: connectors really wait (backoff, Retry-After) on a real server.
    layer(harness.layer, { excludeTestServices: true })((it) => {
      it.scoped("creates a booking, reads it back and finds it by our reference", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const id = localId()
          const dto = subject.reservation(id)
          const before = yield* subject.sim.bookingCount
          const created = yield* reservations.create(dto)
          assert.strictEqual(yield* subject.sim.bookingCount, before + 1)

          const read = yield* reservations.get(created.externalId)
          assert.strictEqual(read.externalId, created.externalId)
          assert.strictEqual(read.reservation.partySize, dto.partySize)
          assert.strictEqual(read.reservation.customerName, dto.customerName)
          sameInstant(read.reservation.reservationTime, dto.reservationTime)
          assert.strictEqual(read.reservation.externalReferenceId, id)

          const found = yield* reservations.findByReference(id)
          assert.strictEqual(Option.getOrThrow(found).externalId, created.externalId)
          assert.isTrue(Option.isNone(yield* reservations.findByReference(localId())))
        }))

      it.scoped("creating twice with the same reference leaves one booking", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const dto = subject.reservation(localId())
          const before = yield* subject.sim.bookingCount
          const first = yield* reservations.create(dto)
          const second = yield* reservations.create(dto)
          assert.strictEqual(second.externalId, first.externalId)
          assert.strictEqual(yield* subject.sim.bookingCount, before + 1)
        }))

      it.scoped("updates a booking: changed fields change, the others stay", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const dto = { ...subject.reservation(localId()), allergies: ["gluten"], notes: "Window seat" }
          const created = yield* reservations.create(dto)
          const later = new Date(new Date(dto.reservationTime).getTime() + 30 * 60_000).toISOString()
          yield* reservations.update(created.externalId, {
            ...dto,
            partySize: dto.partySize + 2,
            reservationTime: later
          })

          const read = (yield* reservations.get(created.externalId)).reservation
          assert.strictEqual(read.partySize, dto.partySize + 2)
          sameInstant(read.reservationTime, later)
          assert.strictEqual(read.customerName, dto.customerName)
          assert.strictEqual(read.customerPhone, dto.customerPhone)
          assert.deepStrictEqual(read.allergies, ["gluten"])
          assert.strictEqual(read.notes, "Window seat")
        }))

      it.scoped("cancels a booking, and cancelling again is harmless", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const created = yield* reservations.create(subject.reservation(localId()))
          yield* reservations.cancel(created.externalId, "guest called")
          assert.strictEqual((yield* reservations.get(created.externalId)).reservation.status, "cancelled")
          yield* reservations.cancel(created.externalId)
          assert.strictEqual((yield* reservations.get(created.externalId)).reservation.status, "cancelled")
        }))

      if (harness.capabilities.checkInOut) {
        it.scoped("checks in and out; repeating either changes nothing", () =>
          Effect.gen(function*() {
            const subject = yield* harness.start
            const reservations = yield* reservationsOf(subject)
            const { checkIn, checkOut } = reservations
            if (checkIn === undefined || checkOut === undefined) return assert.fail("check-in/out declared but missing")
            const created = yield* reservations.create(subject.reservation(localId()))
            const status = Effect.map(reservations.get(created.externalId), (r) => r.reservation.status)
            yield* checkIn(created.externalId)
            assert.strictEqual(yield* status, "seated")
            yield* checkIn(created.externalId)
            assert.strictEqual(yield* status, "seated")
            yield* checkOut(created.externalId)
            assert.strictEqual(yield* status, "completed")
            yield* checkOut(created.externalId)
            assert.strictEqual(yield* status, "completed")
          }))
      }

      it.scoped("a create whose response was lost, tried again, leaves exactly one booking", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const dto = subject.reservation(localId())
          const before = yield* subject.sim.bookingCount
          yield* subject.sim.dropNextCreateResponse
          // Either the connector recovers by itself, or it fails retryably and the caller tries again.
          const first = yield* Effect.either(reservations.create(dto))
          if (Either.isLeft(first)) assert.strictEqual(first.left._tag, "PlatformRetryableError")
          const second = yield* reservations.create(dto)
          assert.strictEqual(yield* subject.sim.droppedResponses, 1)
          assert.strictEqual(yield* subject.sim.bookingCount, before + 1)
          if (Either.isRight(first)) assert.strictEqual(first.right.externalId, second.externalId)
        }))

      it.scoped("4xx answers are permanent: validation, auth, not found", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const invalid = yield* failure(reservations.create({ ...subject.reservation(localId()), partySize: 0 }))
          assert.deepInclude(invalid, { _tag: "PlatformPermanentError", reason: "validation" })

          const created = yield* reservations.create(subject.reservation(localId()))
          const unknown = yield* failure(reservations.get(`${created.externalId}-missing`))
          assert.deepInclude(unknown, { _tag: "PlatformPermanentError", reason: "not_found", status: 404 })

          const badReservations = yield* requireCapability(subject.badCredentials, "reservations").pipe(Effect.orDie)
          const refused = yield* failure(badReservations.get(created.externalId))
          assert.deepInclude(refused, { _tag: "PlatformPermanentError", reason: "auth" })
          assert.notInclude(refused.message, JSON.stringify(subject.credentials))
        }))

      it.scoped("5xx answers are retryable; an idempotent read rides out a short outage", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const created = yield* reservations.create(subject.reservation(localId()))
          yield* subject.sim.failNext(1, 503)
          assert.strictEqual((yield* reservations.get(created.externalId)).externalId, created.externalId)

          yield* subject.sim.failNext(20, 502)
          const down = yield* failure(reservations.get(created.externalId))
          assert.deepInclude(down, { _tag: "PlatformRetryableError", reason: "server", status: 502 })
          yield* subject.sim.failNext(0, 503)
        }))

      it.scoped("429 answers wait for Retry-After, then fail retryably with it", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const created = yield* reservations.create(subject.reservation(localId()))

          // One request per second: the second read is refused once, waits, then goes through.
          yield* subject.sim.throttle({ requests: 1, window: "1 second" })
          yield* reservations.get(created.externalId)
          yield* reservations.get(created.externalId)
          assert.isAtLeast(yield* subject.sim.rateLimitedResponses, 1)

          yield* subject.sim.throttle({ requests: 1, window: "1 hour" })
          yield* Effect.either(reservations.get(created.externalId))
          const limited = yield* failure(reservations.get(created.externalId))
          assert.deepInclude(limited, { _tag: "PlatformRetryableError", reason: "rate_limited", status: 429 })
          assert.isDefined(limited._tag === "PlatformRetryableError" ? limited.retryAfter : undefined)
          yield* subject.sim.throttle(null)
        }))

      it.scoped("an absent capability is a typed 'unsupported' failure, never a crash", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const names: ReadonlyArray<keyof Capabilities> = [
            "reservations",
            "floorPlan",
            "offers",
            "orders",
            "menu",
            "polling"
          ]
          for (const capability of names) {
            const result = yield* Effect.either(requireCapability(subject.connector, capability))
            if (subject.connector[capability] === undefined) {
              assert.deepInclude(Either.getLeft(result).pipe(Option.getOrThrow), { reason: "unsupported" })
            } else assert.isTrue(Either.isRight(result))
          }
        }))

      it.scoped("a webhook round trip: the platform signs, the connector verifies and parses", () =>
        Effect.gen(function*() {
          const subject = yield* harness.start
          const reservations = yield* reservationsOf(subject)
          const id = localId()
          const created = yield* reservations.create(subject.reservation(id))
          const delivery = yield* subject.sim.nextWebhook
          const { webhooks, webhookSecret, credentials } = subject

          assert.strictEqual(yield* webhooks.restaurantOf(delivery), subject.externalRestaurantId)
          yield* webhooks.authenticate(delivery, webhookSecret, new Date(), credentials)
          const events = yield* webhooks.parse(delivery, new Date(), credentials)
          const event = events.find((e) => e.externalId === created.externalId)
          assert.isDefined(event)
          assert.strictEqual(event?.eventType, "reservation.created")
          if (harness.capabilities.thinWebhooks === true) {
            assert.isTrue(event?.needsFetch)
            assert.isUndefined(event?.reservation)
            const fetched = (yield* reservations.get(created.externalId)).reservation
            assert.strictEqual(fetched.externalReferenceId, id)
            assert.strictEqual(fetched.partySize, subject.reservation(id).partySize)
          } else {
            assert.strictEqual(event?.externalReferenceId, id)
            assert.strictEqual(event?.reservation?.partySize, subject.reservation(id).partySize)
          }

          const tampered = harness.capabilities.urlTokenWebhooks === true
            ? { ...delivery, query: { ...delivery.query, token: `${delivery.query["token"] ?? ""}x` } }
            : { ...delivery, rawBody: delivery.rawBody.replace(created.externalId, `${created.externalId}x`) }
          assert.notDeepEqual(tampered, delivery)
          const rejected = yield* Effect.flip(webhooks.authenticate(tampered, webhookSecret, new Date(), credentials))
          assert.strictEqual(rejected.reason, "unauthenticated")

          if (harness.capabilities.timestampedWebhooks) {
            const later = new Date(Date.now() + 6 * 60_000)
            const stale = yield* Effect.flip(webhooks.authenticate(delivery, webhookSecret, later, credentials))
            assert.strictEqual(stale.reason, "unauthenticated")
          }
        }))
    })
  })
