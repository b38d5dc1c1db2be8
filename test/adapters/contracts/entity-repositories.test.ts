import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { ChangeLogSql } from "../../../src/adapters/sql/change-feed.js"
import { EntityRepositoriesSql } from "../../../src/adapters/sql/entity-repositories.js"
import * as E from "../../../src/domain/entities.js"
import * as P from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { MemoryEntityRepositories } from "../../support/memory-entities.js"
import { samples } from "../../support/samples.js"
import { entityRepositoryContract } from "./entity-repository.contract.js"

const adapters = {
  sql: EntityRepositoriesSql.pipe(Layer.provide(ChangeLogSql), Layer.provide(TestDatabaseLive)),
  memory: MemoryEntityRepositories
}

const create = <A, In>(schema: Schema.Schema<A, In>, make: (r: string) => unknown) => (r: string) =>
  Schema.decodeUnknownSync(schema)(make(r))

for (const [adapter, repositories] of Object.entries(adapters)) {
  const run = <I, A extends { id: string; restaurantId: string }, C, Pa extends object>(
    c: Parameters<typeof entityRepositoryContract<I, A, C, Pa>>[2]
  ) => entityRepositoryContract(adapter, repositories as Layer.Layer<I>, c)

  run({
    name: "dining service",
    tag: P.DiningServiceRepository,
    create: create(E.diningService.Create, samples.diningService),
    patch: { maxCovers: 60, dayOfWeek: [1, 7], lastSeatingTime: null },
    versioned: false
  })
  run({
    name: "offer",
    tag: P.OfferRepository,
    create: create(E.offer.Create, samples.offer),
    patch: { discountPercent: 15, startDate: "2030-01-01" },
    versioned: false
  })
  run({
    name: "dining room",
    tag: P.DiningRoomRepository,
    create: create(E.diningRoom.Create, samples.diningRoom),
    patch: { capacity: 80 },
    versioned: false
  })
  run({
    name: "table",
    tag: P.DiningTableRepository,
    create: create(E.diningTable.Create, samples.diningTable),
    patch: { seats: 6, label: "T14" },
    versioned: false
  })
  run({
    name: "menu item",
    tag: P.MenuItemRepository,
    create: create(E.menuItem.Create, samples.menuItem),
    patch: { price: 11.25, allergens: ["oeuf"] },
    versioned: false
  })
  run({
    name: "customer",
    tag: P.CustomerRepository,
    create: create(E.customer.Create, samples.customer),
    patch: { isVip: true, allergies: ["sesame", "peanuts"] },
    versioned: false
  })
  run({
    name: "reservation",
    tag: P.ReservationRepository,
    create: create(E.reservation.Create, samples.reservation),
    patch: { partySize: 6, status: "seated", tableIds: [] },
    versioned: true
  })
  run({
    name: "order",
    tag: P.OrderRepository,
    create: create(E.order.Create, samples.order),
    patch: { status: "accepted", total: 21.5 },
    versioned: true
  })

  describe(`entity-specific queries (${adapter})`, () => {
    layer(repositories)((it) => {
      it.effect("customers are found by phone first, then by email, within the restaurant", () =>
        Effect.gen(function*() {
          const customers = yield* P.CustomerRepository
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}` as E.Customer["restaurantId"]
          const decode = Schema.decodeUnknownSync(E.customer.Create)
          const byEmail = yield* customers.create(decode({ restaurantId, name: "A", email: "Ana@Example.com" }))
          const byPhone = yield* customers.create(decode({ restaurantId, name: "B", phone: "+3361" }))
          yield* customers.create(decode({ restaurantId: "elsewhere", name: "C", phone: "+3361" }))
          const found = yield* customers.findByContact(restaurantId, { phone: "+3361", email: "ana@example.com" })
          assert.deepStrictEqual(found.map((c) => c.id), [byPhone.id, byEmail.id])
          assert.deepStrictEqual(yield* customers.findByContact(restaurantId, {}), [])
        }))

      it.effect("a phone written otherwise (spaces, dots, dashes) finds the same customer, one by one and in batch", () =>
        Effect.gen(function*() {
          const customers = yield* P.CustomerRepository
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}` as E.Customer["restaurantId"]
          const decode = Schema.decodeUnknownSync(E.customer.Create)
          const ana = yield* customers.create(decode({ restaurantId, name: "Ana", phone: "+33 6 12 34 56 78" }))
          yield* customers.create(decode({ restaurantId, name: "Nobody", phone: "N/A" }))
          for (const phone of ["+33612345678", "+33-6-12-34-56-78", " +33.6.12.34.56.78 "]) {
            const [found] = yield* customers.findByContact(restaurantId, { phone })
            assert.strictEqual(found?.id, ana.id, phone)
          }
          const batch = yield* customers.findManyByContact([{ restaurantId, phone: "(+33) 612 345 678" }])
          assert.deepStrictEqual(batch.map((c) => c.id), [ana.id])
          // A phone without a digit matches no one, not every other phone without one.
          assert.deepStrictEqual(yield* customers.findByContact(restaurantId, { phone: "unknown" }), [])
          assert.deepStrictEqual(yield* customers.findManyByContact([{ restaurantId, phone: "-" }]), [])
        }))

      it.effect("customers are found in batch by any contact, each contact within its own restaurant, oldest first", () =>
        Effect.gen(function*() {
          const customers = yield* P.CustomerRepository
          const restaurantOf = () => `resto-${crypto.randomUUID().slice(0, 8)}` as E.Customer["restaurantId"]
          const [here, there, elsewhere] = [restaurantOf(), restaurantOf(), restaurantOf()]
          const decode = Schema.decodeUnknownSync(E.customer.Create)
          const add = (restaurantId: string, contact: { phone?: string; email?: string }) =>
            customers.create(decode({ restaurantId, name: "Guest", ...contact }))
          const byPhone = yield* add(here, { phone: "+3361" })
          const byEmail = yield* add(here, { email: "Ana@Example.com" })
          const byBoth = yield* add(here, { phone: "+3362", email: "bea@example.com" })
          yield* add(here, { phone: "+3363", email: "other@example.com" })
          const thereByPhone = yield* add(there, { phone: "+3364" })
          // The same contacts in restaurants where they were not asked for.
          yield* add(there, { phone: "+3361", email: "ana@example.com" })
          yield* add(here, { phone: "+3364" })
          yield* add(elsewhere, { phone: "+3361", email: "bea@example.com" })
          const found = yield* customers.findManyByContact([
            { restaurantId: here, phone: "+3361" },
            { restaurantId: here, email: "ana@EXAMPLE.com" },
            { restaurantId: here, phone: "+3362", email: "BEA@example.com" },
            { restaurantId: there, phone: "+3364", email: "nobody@example.com" }
          ])
          assert.deepStrictEqual(found.map((c) => c.id), [byPhone.id, byEmail.id, byBoth.id, thereByPhone.id])
          assert.deepStrictEqual(found[0], byPhone)
          assert.deepStrictEqual(yield* customers.findManyByContact([{ restaurantId: here }]), [])
          assert.deepStrictEqual(yield* customers.findManyByContact([]), [])
        }))

      it.effect("reservations written in batch keep their jsonb fields and count every patch in the version", () =>
        Effect.gen(function*() {
          const reservations = yield* P.ReservationRepository
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
          const created = Schema.decodeUnknownSync(E.reservation.Create)({
            ...samples.reservation(restaurantId),
            allergies: ["gluten", "fruits à coque"],
            dietaryRestrictions: ["halal"],
            tableIds: [crypto.randomUUID(), crypto.randomUUID()]
          })
          const at = "2020-05-06T07:08:09.123Z"
          const stored: E.Reservation = {
            ...created,
            id: crypto.randomUUID() as E.Reservation["id"],
            createdAt: at,
            updatedAt: at,
            version: 7
          }
          yield* reservations.insertMany([stored])
          assert.deepStrictEqual(yield* reservations.get(stored.id), stored)
          const tableIds = [crypto.randomUUID() as E.Reservation["tableIds"][number]]
          yield* reservations.updateMany([
            { id: stored.id, patch: { tableIds } },
            { id: stored.id, patch: { allergies: [], customerEmail: "ana@example.com" } },
            { id: stored.id, patch: { customerEmail: null } }
          ])
          const after = yield* reservations.get(stored.id)
          assert.deepStrictEqual(after, {
            ...stored,
            tableIds,
            allergies: [],
            customerEmail: null,
            updatedAt: after.updatedAt,
            version: 10
          })
        }))

      it.effect("the reservations linked to a room are listed, and only those", () =>
        Effect.gen(function*() {
          const reservations = yield* P.ReservationRepository
          const rooms = yield* P.DiningRoomRepository
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}` as E.Reservation["restaurantId"]
          const decode = Schema.decodeUnknownSync(E.reservation.Create)
          const [room, other] = yield* Effect.all([
            rooms.create(Schema.decodeUnknownSync(E.diningRoom.Create)(samples.diningRoom(restaurantId))),
            rooms.create(Schema.decodeUnknownSync(E.diningRoom.Create)(samples.diningRoom(restaurantId)))
          ])
          const inRoom = (diningRoomId: string | null) =>
            reservations.create(decode({ ...samples.reservation(restaurantId), diningRoomId }))
          const linked = [yield* inRoom(room.id), yield* inRoom(room.id)]
          yield* inRoom(other.id)
          yield* inRoom(null)
          const found = yield* reservations.listLinkedTo("diningRoomId", room.id)
          assert.deepStrictEqual(found.map((r) => r.id), linked.map((r) => r.id).sort())
        }))

      it.effect("reservations are listed by time window", () =>
        Effect.gen(function*() {
          const reservations = yield* P.ReservationRepository
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}` as E.Reservation["restaurantId"]
          const decode = Schema.decodeUnknownSync(E.reservation.Create)
          const at = (time: string) =>
            reservations.create(decode({ ...samples.reservation(restaurantId), reservationTime: time }))
          const early = yield* at("2030-06-07T12:00:00.000Z")
          const late = yield* at("2030-06-07T19:00:00.000Z")
          yield* at("2030-06-08T12:00:00.000Z")
          const found = yield* reservations.listBetween(
            restaurantId,
            "2030-06-07T00:00:00.000Z",
            "2030-06-08T00:00:00.000Z"
          )
          assert.deepStrictEqual(found.map((r) => r.id), [early.id, late.id])
        }))
    })
  })
}
