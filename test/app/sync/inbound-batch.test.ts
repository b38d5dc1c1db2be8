import { SqlClient } from "@effect/sql"
import * as Statement from "@effect/sql/Statement"
import { assert, describe, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option, Schema } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import { PlatformConfigCreate } from "../../../src/app/services/platform-configs.js"
import { PlatformConfigs } from "../../../src/app/services/platform-configs.js"
import { processJob } from "../../../src/app/sync/process-job.js"
import { AlloRestoSyncMemory } from "../../../src/app/testing.js"
import { drainOnce } from "../../../src/app/workers/worker.js"
import type { ReservationSyncDTO, WebhookEvent } from "../../../src/domain/dtos.js"
import * as E from "../../../src/domain/entities.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { CustomerRepository, ReservationRepository, Transactor } from "../../../src/ports/entity-repository.js"
import { MappingRepository } from "../../../src/ports/mapping-repository.js"
import { SyncJobQueue } from "../../../src/ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { makeTestApp } from "../../support/app.js"
import { samples } from "../../support/samples.js"

type App = Layer.Layer.Success<typeof AlloRestoSyncMemory>

// Large enough that every test's events are claimed, and so batched, in a single pass.
const onePass = { batchSize: 500, inboundBatchSize: 500, concurrency: 4, leaseMs: 60_000 }
const page = { limit: 1_000, offset: 0 }

interface World {
  readonly restaurantId: RestaurantId
  readonly externalRestaurantId: string
  /** Its own prefix on the platform's ids, so two worlds' outcomes compare by the names given here. */
  readonly ext: (name: string) => string
}

/** A restaurant with an active Zenchef config, master of nothing (bookings born there are its own). */
const connect = Effect.gen(function*() {
  const configs = yield* PlatformConfigs
  const restaurantId = `resto-${randomBytes(4).toString("hex")}` as RestaurantId
  const config = yield* configs.create(
    Schema.decodeUnknownSync(PlatformConfigCreate)({
      restaurantId,
      platform: "zenchef",
      credentials: { apiKey: "test-key", restaurantUid: randomBytes(4).toString("hex") },
      syncEntities: ["reservation"]
    })
  ).pipe(Effect.orDie)
  const prefix = randomBytes(3).toString("hex")
  return {
    restaurantId,
    externalRestaurantId: config.externalRestaurantId,
    ext: (name: string) => `${prefix}-${name}`
  } satisfies World
})

const booking = (
  w: World,
  externalId: string,
  eventType: "reservation.created" | "reservation.updated",
  occurredAt: string,
  reservation: Partial<ReservationSyncDTO> = {},
  extra: Partial<WebhookEvent> = {}
): WebhookEvent => ({
  platform: "zenchef",
  eventId: `evt-${randomUUID()}`,
  eventType,
  externalRestaurantId: w.externalRestaurantId,
  externalId: w.ext(externalId),
  occurredAt,
  reservation: {
    customerName: "Ana Ruiz",
    customerPhone: `+3360${randomBytes(4).readUInt32BE() % 10_000_000}`,
    partySize: 2,
    reservationTime: "2030-06-07T19:30:00.000+02:00",
    tableExternalIds: ["T1"],
    ...reservation
  },
  rawPayload: { eventType, externalId },
  ...extra
})

/** One statement per event, so their ids, hence the claim order, are the order given. */
const enqueueInOrder = (w: World, events: ReadonlyArray<WebhookEvent>) =>
  Effect.flatMap(
    SyncJobQueue,
    (queue) =>
      Effect.forEach(events, (event) =>
        Effect.map(queue.enqueueEvent(w.restaurantId, event), (s) => assert.isFalse(s.duplicate)), { discard: true })
  )

/**
 * The worker's pass, checked to have claimed everything at once. Returns how many events were
 * applied one by one (each takes its own booking lock; a batch takes all its locks at once).
 */
const passAlone = (expected: number) =>
  Effect.gen(function*() {
    let alone = 0
    const claimed = yield* drainOnce(onePass, "inbound").pipe(
      Effect.updateService(Transactor, (t) => ({
        ...t,
        serialize: (key: string) => Effect.zipRight(Effect.sync(() => alone++), t.serialize(key))
      }))
    )
    assert.strictEqual(claimed, expected, "every event claimed in the same pass")
    return alone
  })

/** A pass in which every event went through the batch: none was left to the one-by-one path. */
const batchPass = (expected: number) =>
  Effect.map(passAlone(expected), (alone) => assert.strictEqual(alone, 0, "events applied one by one"))

/** The reference: each event alone, through the one-job path the batch must agree with. */
const oneJobPerPass = Effect.gen(function*() {
  const queue = yield* SyncJobQueue
  for (;;) {
    const [job] = yield* queue.claim({ limit: 1, leaseMs: onePass.leaseMs })
    if (job === undefined) return
    yield* processJob(job)
  }
})

const stateOf = (w: World) =>
  Effect.gen(function*() {
    const queue = yield* SyncJobQueue
    const reservations = (yield* (yield* ReservationRepository).list({ restaurantId: w.restaurantId, ...page })).items
    const customers = (yield* (yield* CustomerRepository).list({ restaurantId: w.restaurantId, ...page })).items
    const mappings =
      (yield* (yield* MappingRepository).list({ restaurantId: w.restaurantId, entityType: "reservation", ...page }))
        .items
    const logs = [
      ...(yield* (yield* SyncLogRepository).list({ restaurantId: w.restaurantId, direction: "inbound", ...page })).items
    ]
      .sort((a, b) => (a.jobId ?? 0) - (b.jobId ?? 0))
    const jobs = yield* Effect.forEach(logs, (l) => Effect.map(queue.get(l.jobId ?? -1), Option.getOrUndefined))
    const byExternal = (externalId: string) => {
      const mapping = mappings.find((m) => m.externalId === w.ext(externalId))
      return reservations.find((r) => r.id === mapping?.entityId)
    }
    return { reservations, customers, mappings, logs, jobs, byExternal }
  })

/** What two runs must agree on: everything but the generated ids and the instants of writing. */
const comparable = (r: E.Reservation | undefined) => {
  if (r === undefined) return undefined
  const { createdAt: _c, updatedAt: _u, id: _i, customerId: _cu, restaurantId: _r, ...rest } = r
  return { ...rest, reservationTime: new Date(rest.reservationTime).toISOString() }
}

const assertAllDone = (state: Effect.Effect.Success<ReturnType<typeof stateOf>>, expected: number) => {
  assert.strictEqual(new Set(state.logs.map((l) => l.jobId)).size, expected, "one audit line per job")
  assert.strictEqual(state.logs.length, expected, "one audit line per job")
  assert.deepStrictEqual(state.jobs.map((j) => j?.status), state.logs.map(() => "done" as const))
}

/**
 * Cases that hold whatever stores the data. In memory a transaction has nothing to roll back, so
 * what a failed event wrote before failing stays there: only PostgreSQL is held to that.
 */
const shared = (backend: "sql" | "memory") => ({
  "a creation and two later updates of one booking in one batch: one reservation with the last fields, versioned as if applied one by one":
    Effect.gen(function*() {
      const script = (w: World) => [
        booking(w, "b1", "reservation.created", "2030-01-01T10:00:00.000Z", {
          customerPhone: "+33611111111",
          partySize: 2,
          notes: "first"
        }),
        booking(w, "b1", "reservation.updated", "2030-01-01T10:05:00.000Z", {
          customerPhone: "+33611111111",
          partySize: 3,
          notes: "second"
        }),
        booking(w, "b1", "reservation.updated", "2030-01-01T10:10:00.000Z", {
          customerPhone: "+33611111111",
          partySize: 5,
          notes: "third",
          allergies: ["Sesame"]
        })
      ]
      const batched = yield* connect
      yield* enqueueInOrder(batched, script(batched))
      yield* batchPass(3)
      const reference = yield* connect
      yield* enqueueInOrder(reference, script(reference))
      yield* oneJobPerPass

      const [b, r] = [yield* stateOf(batched), yield* stateOf(reference)]
      assert.strictEqual(b.reservations.length, 1)
      const [one] = b.reservations
      assert.strictEqual(one!.partySize, 5)
      assert.strictEqual(one!.notes, "third")
      assert.deepStrictEqual(one!.allergies, ["Sesame"])
      assert.strictEqual(one!.version, 3, "the creation and each applied update count")
      assert.deepStrictEqual(comparable(one), comparable(r.reservations[0]))
      assert.deepStrictEqual(b.mappings.map((m) => [m.externalId, m.entityId]), [[batched.ext("b1"), one!.id]])
      assert.deepStrictEqual(b.logs.map((l) => [l.action, l.status, l.entityId]), [["create", "success", one!.id], [
        "update",
        "success",
        one!.id
      ], ["update", "success", one!.id]])
      assert.deepStrictEqual(b.logs.map((l) => [l.action, l.status]), r.logs.map((l) => [l.action, l.status]))
      assertAllDone(b, 3)
    }),

  "two updates of a known booking in one batch: both count in its version, as one by one": Effect.gen(function*() {
    const script = (w: World) => [
      booking(w, "b1", "reservation.updated", "2030-01-01T10:05:00.000Z", {
        customerPhone: "+33611111111",
        partySize: 3
      }),
      booking(w, "b1", "reservation.updated", "2030-01-01T10:10:00.000Z", {
        customerPhone: "+33611111111",
        partySize: 3,
        notes: "window"
      })
    ]
    const create = (w: World) =>
      booking(w, "b1", "reservation.created", "2030-01-01T10:00:00.000Z", { customerPhone: "+33611111111" })
    const [batched, reference] = [yield* connect, yield* connect]
    yield* enqueueInOrder(batched, [create(batched)])
    yield* enqueueInOrder(reference, [create(reference)])
    yield* oneJobPerPass
    yield* enqueueInOrder(batched, script(batched))
    yield* batchPass(2)
    yield* enqueueInOrder(reference, script(reference))
    yield* oneJobPerPass

    const [b, r] = [yield* stateOf(batched), yield* stateOf(reference)]
    assert.strictEqual(b.reservations.length, 1)
    assert.strictEqual(b.reservations[0]!.version, 3)
    assert.deepStrictEqual(comparable(b.reservations[0]), comparable(r.reservations[0]))
    assertAllDone(b, 3)
  }),

  "new bookings of one guest in one batch (same phone, or same email in another case): one customer, every allergy kept":
    Effect.gen(function*() {
      const w = yield* connect
      yield* enqueueInOrder(w, [
        booking(w, "a", "reservation.created", "2030-01-01T10:00:00.000Z", {
          customerPhone: "+33622222222",
          customerEmail: "Lea.Martin@Example.com",
          allergies: ["gluten"]
        }),
        booking(w, "b", "reservation.created", "2030-01-01T10:00:01.000Z", {
          customerPhone: "+33622222222",
          allergies: ["peanuts"]
        }),
        booking(w, "c", "reservation.created", "2030-01-01T10:00:02.000Z", {
          customerPhone: "+33699999999",
          customerEmail: "lea.martin@example.com",
          allergies: ["Sesame", "Gluten"]
        })
      ])
      yield* batchPass(3)
      const s = yield* stateOf(w)
      assert.strictEqual(s.customers.length, 1, JSON.stringify(s.customers))
      const [customer] = s.customers
      assert.strictEqual(s.reservations.length, 3)
      assert.deepStrictEqual(s.reservations.map((r) => r.customerId), [customer!.id, customer!.id, customer!.id])
      assert.sameMembers([...customer!.allergies], ["gluten", "peanuts", "Sesame"])
      assert.strictEqual(customer!.phone, "+33622222222")
      assertAllDone(s, 3)
    }),

  "new bookings of a guest we already know, in one batch: both point to the customer, whose allergies are united":
    Effect.gen(function*() {
      const w = yield* connect
      const known = yield* (yield* CustomerRepository).create({
        ...Schema.decodeUnknownSync(E.customer.Create)(samples.customer(w.restaurantId)),
        phone: "+33633333333",
        allergies: ["peanuts"]
      })
      yield* enqueueInOrder(w, [
        booking(w, "a", "reservation.created", "2030-01-01T10:00:00.000Z", {
          customerPhone: "+33633333333",
          allergies: ["gluten"]
        }),
        booking(w, "b", "reservation.created", "2030-01-01T10:00:01.000Z", {
          customerPhone: "+33633333333",
          allergies: ["lactose"]
        })
      ])
      yield* batchPass(2)
      const s = yield* stateOf(w)
      assert.deepStrictEqual(s.customers.map((c) => c.id), [known.id])
      assert.deepStrictEqual(s.reservations.map((r) => r.customerId), [known.id, known.id])
      assert.sameMembers([...s.customers[0]!.allergies], ["peanuts", "gluten", "lactose"])
      assertAllDone(s, 2)
    }),

  "a booking whose allergies would take its known guest past 50 is refused by name: the guest keeps the allergies known":
    Effect.gen(function*() {
      const w = yield* connect
      const mine = Array.from({ length: 30 }, (_, i) => `known-${i}`)
      const known = yield* (yield* CustomerRepository).create({
        ...Schema.decodeUnknownSync(E.customer.Create)(samples.customer(w.restaurantId)),
        phone: "+33634343434",
        allergies: mine
      })
      yield* enqueueInOrder(w, [
        booking(w, "a", "reservation.created", "2030-01-01T10:00:00.000Z", {
          customerPhone: "+33634343434",
          allergies: Array.from({ length: 30 }, (_, i) => `new-${i}`)
        })
      ])
      yield* passAlone(1)
      const s = yield* stateOf(w)
      assert.deepStrictEqual(s.customers.map((c) => [c.id, c.allergies]), [[known.id, mine]])
      assert.deepStrictEqual(s.reservations, [])
      assert.deepStrictEqual(s.logs.map((l) => [l.status, l.errorMessage]), [[
        "failed",
        "platform data rejected: allergies: Expected an array of at most 50 item(s)"
      ]])
    }),

  "an older update after a newer one in the same batch is skipped: the newer one stays": Effect.gen(function*() {
    const w = yield* connect
    yield* enqueueInOrder(w, [
      booking(w, "b1", "reservation.created", "2030-01-01T10:00:00.000Z", {
        customerPhone: "+33644444444",
        partySize: 2
      })
    ])
    yield* oneJobPerPass
    yield* enqueueInOrder(w, [
      booking(w, "b1", "reservation.updated", "2030-01-01T12:00:00.000Z", {
        customerPhone: "+33644444444",
        partySize: 7,
        notes: "T2"
      }),
      booking(w, "b1", "reservation.updated", "2030-01-01T11:00:00.000Z", {
        customerPhone: "+33644444444",
        partySize: 4,
        notes: "T1"
      })
    ])
    yield* batchPass(2)
    const s = yield* stateOf(w)
    assert.strictEqual(s.reservations.length, 1)
    assert.strictEqual(s.reservations[0]!.partySize, 7)
    assert.strictEqual(s.reservations[0]!.notes, "T2")
    assert.strictEqual(s.reservations[0]!.version, 2)
    assert.deepStrictEqual(s.logs.map((l) => l.status), ["success", "success", "skipped"])
    assert.include(s.logs[2]!.errorMessage ?? "", "older than")
    assert.strictEqual(
      (s.mappings[0]!.externalRawData as { lastEventAt?: string }).lastEventAt,
      "2030-01-01T12:00:00.000Z"
    )
    assertAllDone(s, 3)
  }),

  "one invalid event among twenty valid ones: the batch falls back, the twenty are applied once, the invalid one is dead-lettered":
    Effect.gen(function*() {
      const w = yield* connect
      const valid = Array.from(
        { length: 20 },
        (_, i) =>
          booking(w, `ok-${i}`, "reservation.created", "2030-01-01T10:00:00.000Z", {
            customerPhone: `+3365500${String(i).padStart(4, "0")}`
          })
      )
      // The booking passes the platform DTO (any integer) but no reservation has zero guests.
      const invalid = booking(w, "bad", "reservation.created", "2030-01-01T10:00:00.000Z", {
        customerPhone: "+33656565656",
        partySize: 0
      })
      yield* enqueueInOrder(w, [...valid.slice(0, 10), invalid, ...valid.slice(10)])
      assert.strictEqual(yield* passAlone(21), 21, "the whole batch went one by one")
      const s = yield* stateOf(w)
      assert.strictEqual(s.reservations.length, 20)
      assert.sameMembers(s.mappings.map((m) => m.externalId), valid.map((e) => e.externalId))
      assert.strictEqual(new Set(s.mappings.map((m) => m.entityId)).size, 20)
      assert.strictEqual(s.logs.length, 21, "each job settled once")
      const failed = s.logs.filter((l) => l.status === "failed")
      assert.deepStrictEqual(failed.map((l) => l.externalId), [invalid.externalId])
      assert.include(failed[0]!.errorMessage ?? "", "platform data rejected")
      assert.deepStrictEqual(
        s.logs.filter((l) => l.status !== "failed").map((l) => [l.action, l.status]),
        valid.map(() => ["create", "success"])
      )
      const failedJob = s.jobs[s.logs.indexOf(failed[0]!)]
      assert.strictEqual(failedJob?.status, "dead")
      assert.deepStrictEqual(
        s.jobs.filter((j) => j !== failedJob).map((j) => j?.status),
        valid.map(() => "done" as const)
      )
      assert.isTrue(s.jobs.every((j) => j?.claims === 1), "the fallback works on the jobs of the same claim")
      if (backend === "sql") assert.strictEqual(s.customers.length, 20, "the invalid booking's guest was rolled back")
    }),

  "an update no reservation here may hold (no guests, notes past 5,000 characters) is refused with its reason: the booking stays as it was, the next update applies":
    Effect.gen(function*() {
      const w = yield* connect
      const phone = "+33612121212"
      yield* enqueueInOrder(w, [
        booking(w, "b1", "reservation.created", "2030-01-01T10:00:00.000Z", { customerPhone: phone })
      ])
      yield* oneJobPerPass
      const before = (yield* stateOf(w)).byExternal("b1")!
      yield* enqueueInOrder(w, [
        booking(w, "b1", "reservation.updated", "2030-01-01T10:05:00.000Z", { customerPhone: phone, partySize: 0 }),
        booking(w, "b1", "reservation.updated", "2030-01-01T10:06:00.000Z", {
          customerPhone: phone,
          notes: "n".repeat(5_001)
        }),
        booking(w, "b1", "reservation.updated", "2030-01-01T10:10:00.000Z", { customerPhone: phone, partySize: 4 })
      ])
      yield* passAlone(3)
      const s = yield* stateOf(w)
      const after = s.byExternal("b1")!
      assert.strictEqual(after.partySize, 4)
      assert.strictEqual(after.notes, before.notes)
      assert.strictEqual(after.version, 2, "only the valid update counts")
      assert.deepStrictEqual(s.logs.map((l) => [l.action, l.status]), [["create", "success"], ["update", "failed"], [
        "update",
        "failed"
      ], ["update", "success"]])
      assert.strictEqual(s.logs[1]!.errorMessage, "platform data rejected: partySize: Expected a positive number")
      assert.strictEqual(
        s.logs[2]!.errorMessage,
        "platform data rejected: notes: Expected a string at most 5000 character(s) long or null"
      )
      assert.deepStrictEqual(s.jobs.map((j) => j?.status), ["done", "dead", "dead", "done"])
    }),

  "a booking naming one of our reservations, in a batch with others, is linked to it and updated later in the batch, never duplicated":
    Effect.gen(function*() {
      const w = yield* connect
      const reservations = yield* ReservationRepository
      const ours = yield* reservations.create({
        ...Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation(w.restaurantId)),
        customerPhone: "+33677777777",
        partySize: 4
      })
      const oursToo = yield* reservations.create({
        ...Schema.decodeUnknownSync(E.reservation.Create)(samples.reservation(w.restaurantId)),
        customerPhone: "+33678787878",
        partySize: 6
      })
      const common = { customerName: "Ana Ruiz", reservationTime: "2030-06-07T17:30:00.000Z" }
      yield* enqueueInOrder(w, [
        booking(w, "other-1", "reservation.created", "2030-01-01T10:00:00.000Z"),
        booking(w, "linked", "reservation.created", "2030-01-01T10:00:00.000Z", {
          ...common,
          customerPhone: "+33677777777",
          partySize: 4,
          externalReferenceId: ours.id
        }),
        booking(w, "linked-by-event", "reservation.created", "2030-01-01T10:00:00.000Z", {
          ...common,
          customerPhone: "+33678787878",
          partySize: 6
        }, { externalReferenceId: oursToo.id }),
        booking(w, "other-2", "reservation.created", "2030-01-01T10:00:00.000Z"),
        booking(w, "linked", "reservation.updated", "2030-01-01T10:30:00.000Z", {
          ...common,
          customerPhone: "+33677777777",
          partySize: 4,
          notes: "late"
        })
      ])
      yield* batchPass(5)
      const s = yield* stateOf(w)
      assert.strictEqual(s.reservations.length, 4, "two of ours, two new")
      assert.strictEqual(s.byExternal("linked")?.id, ours.id)
      assert.strictEqual(s.byExternal("linked-by-event")?.id, oursToo.id)
      assert.strictEqual(s.mappings.length, 4)
      assert.deepStrictEqual(s.logs.map((l) => [l.entityId, l.action, l.status]), [
        [s.byExternal("other-1")!.id, "create", "success"],
        [ours.id, "update", "skipped"],
        [oursToo.id, "update", "skipped"],
        [s.byExternal("other-2")!.id, "create", "success"],
        // Ours came from the phone and no platform is master: the platform's note loses.
        [ours.id, "update", "conflict"]
      ])
      assert.strictEqual(s.byExternal("linked")!.notes, null)
      assert.strictEqual(s.byExternal("linked")!.version, 1)
      assertAllDone(s, 5)
    })
})

/** The events applied on one layer, as comparable reservations by external id. */
const outcomeOn = (app: Layer.Layer<App>) =>
  Effect.gen(function*() {
    const w = yield* connect
    yield* enqueueInOrder(w, [
      booking(w, "x", "reservation.created", "2030-01-01T10:00:00.000Z", {
        customerPhone: "+33680000001",
        allergies: ["gluten"]
      }),
      booking(w, "y", "reservation.created", "2030-01-01T10:00:00.000Z", {
        customerPhone: "+33680000001",
        customerEmail: "x@example.com"
      }),
      booking(w, "x", "reservation.updated", "2030-01-01T10:10:00.000Z", {
        customerPhone: "+33680000001",
        partySize: 9,
        allergies: ["Gluten", "soy"]
      }),
      booking(w, "x", "reservation.updated", "2030-01-01T10:05:00.000Z", {
        customerPhone: "+33680000001",
        partySize: 1
      }),
      booking(w, "z", "reservation.updated", "2030-01-01T10:00:00.000Z", {
        customerPhone: "+33680000002",
        status: "cancelled"
      }),
      booking(w, "y", "reservation.updated", "2030-01-01T10:20:00.000Z", {
        customerPhone: "+33680000001",
        customerEmail: "x@example.com",
        status: "cancelled"
      })
    ])
    yield* batchPass(6)
    const s = yield* stateOf(w)
    return {
      reservations: Object.fromEntries(["x", "y", "z"].map((id) => [id, comparable(s.byExternal(id))])),
      customers: s.customers.map((c) => ({ phone: c.phone, email: c.email, allergies: [...c.allergies].sort() })),
      logs: s.logs.map((l) => [l.externalId?.slice(7), l.action, l.status])
    }
  }).pipe(Effect.provide(app))

describe("inbound reservation events in one batch, on PostgreSQL", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    for (const [name, body] of Object.entries(shared("sql"))) it.effect(name, () => body)

    it.effect("a hundred new bookings take a bounded number of statements, whatever their number", () =>
      Effect.gen(function*() {
        const w = yield* connect
        const queue = yield* SyncJobQueue
        yield* queue.enqueueEvents(Array.from({ length: 100 }, (_, i) => ({
          restaurantId: w.restaurantId,
          event: booking(w, `n-${i}`, "reservation.created", "2030-01-01T10:00:00.000Z", {
            customerPhone: `+3366600${String(i).padStart(4, "0")}`
          })
        })))
        const statements: Array<string> = []
        yield* batchPass(100).pipe(Statement.withTransformer((statement) =>
          Effect.sync(() => {
            statements.push(statement.compile()[0].replace(/\s+/g, " ").slice(0, 120))
            return statement
          })
        ))
        const s = yield* stateOf(w)
        assert.strictEqual(s.reservations.length, 100)
        assert.strictEqual(s.customers.length, 100)
        assertAllDone(s, 100)
        // Claim, config read, locks, two look-ups, three inserts, logs, completions, last success: eleven,
        // and the same for ten bookings or a thousand. One by one, each booking takes several.
        assert.isAtMost(statements.length, 14, statements.join("\n"))
      }))

    it.effect("a pass started while an earlier one holds a booking's lock waits for it, so the booking's events apply in claim order", () =>
      Effect.flatMap(Deferred.make<void>(), (release) =>
        Effect.gen(function*() {
          const w = yield* connect
          const sql = yield* SqlClient.SqlClient
          yield* enqueueInOrder(w, [
            booking(w, "b", "reservation.created", "2030-01-01T10:00:00.000Z", { partySize: 2 })
          ])
          const locked = yield* Deferred.make<void>()
          // The earlier pass stops inside its transaction, its booking's lock held, until released.
          const earlier = yield* Effect.fork(
            drainOnce(onePass, "inbound", Effect.zipRight(Deferred.succeed(locked, undefined), Deferred.await(release)))
          )
          yield* Deferred.await(locked)
          yield* enqueueInOrder(w, [
            booking(w, "b", "reservation.updated", "2030-01-01T10:05:00.000Z", { partySize: 7 })
          ])
          const later = yield* Effect.fork(drainOnce(onePass, "inbound"))

          const waitingOnLocks = sql<{ readonly n: number }>`
            SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
            .pipe(
              Effect.map(([row]) => row?.n ?? 0),
              Effect.orDie
            )
          // Until the later pass either waits on a lock or, were the booking not locked, is done.
          const seen = yield* Effect.all({ waiting: waitingOnLocks, done: Fiber.poll(later) }).pipe(
            Effect.delay("20 millis"),
            Effect.repeat({ until: ({ done, waiting }) => waiting > 0 || Option.isSome(done) })
          )
          assert.isTrue(Option.isNone(seen.done), "the later pass went on while the booking was locked")

          yield* Deferred.succeed(release, undefined)
          assert.strictEqual(yield* Fiber.join(earlier), 1)
          assert.strictEqual(yield* Fiber.join(later), 1)
          const s = yield* stateOf(w)
          assertAllDone(s, 2)
          assert.strictEqual(s.reservations.length, 1)
          assert.strictEqual(s.byExternal("b")?.partySize, 7, "the later event's fields")
          assert.deepStrictEqual(
            s.logs.map((l) => l.status),
            ["success", "success"],
            "neither event was skipped as stale"
          )
        }).pipe(Effect.ensuring(Deferred.succeed(release, undefined)))))

    it.effect("the same events leave the same reservations, customers and audit in memory and on PostgreSQL", () =>
      Effect.gen(function*() {
        const onSql = yield* outcomeOn(Layer.succeedContext(yield* Effect.context<App>()))
        const inMemory = yield* outcomeOn(AlloRestoSyncMemory)
        assert.deepStrictEqual(onSql, inMemory)
        assert.strictEqual(onSql.reservations.x?.partySize, 9)
        assert.strictEqual(onSql.reservations.y?.status, "cancelled")
        assert.isUndefined(onSql.reservations.z, "a cancelled booking we never saw is not created")
      }))
  })
})

describe("inbound reservation events in one batch, in memory", () => {
  layer(AlloRestoSyncMemory, { excludeTestServices: true })((it) => {
    for (const [name, body] of Object.entries(shared("memory"))) it.effect(name, () => body)
  })
})
