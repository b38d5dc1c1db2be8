import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"
import { contactMatchKeys } from "../../domain/customer-contact.js"
import * as Ports from "../../ports/entity-repository.js"
import { makeSqlEntityRepository } from "./entity-repository.js"
import { entityTables as T } from "./entity-tables.js"

const DiningServiceRepositorySql = Layer.effect(
  Ports.DiningServiceRepository,
  Effect.map(makeSqlEntityRepository(T.diningService), (r) => r.repository)
)
const OfferRepositorySql = Layer.effect(
  Ports.OfferRepository,
  Effect.map(makeSqlEntityRepository(T.offer), ({ linkedBy, repository }) => ({
    ...repository,
    listOfMenuItem: (menuItemId) => linkedBy("menu_item_id", menuItemId)
  } satisfies Ports.OfferRepo))
)
const DiningRoomRepositorySql = Layer.effect(
  Ports.DiningRoomRepository,
  Effect.map(makeSqlEntityRepository(T.diningRoom), (r) => r.repository)
)
const DiningTableRepositorySql = Layer.effect(
  Ports.DiningTableRepository,
  Effect.map(makeSqlEntityRepository(T.diningTable), ({ linkedBy, repository }) => ({
    ...repository,
    listInRoom: (roomId) => linkedBy("dining_room_id", roomId)
  } satisfies Ports.DiningTableRepo))
)
const MenuItemRepositorySql = Layer.effect(
  Ports.MenuItemRepository,
  Effect.map(makeSqlEntityRepository(T.menuItem), (r) => r.repository)
)
const OrderRepositorySql = Layer.effect(
  Ports.OrderRepository,
  Effect.map(makeSqlEntityRepository(T.order), ({ linkedBy, repository }) => ({
    ...repository,
    listOfCustomer: (customerId) => linkedBy("customer_id", customerId)
  } satisfies Ports.OrderRepo))
)

const CustomerRepositorySql = Layer.effect(
  Ports.CustomerRepository,
  Effect.gen(function*() {
    const { decodeRows, repository, sql } = yield* makeSqlEntityRepository(T.customer)
    // `phoneDigits`, as the index `customers_restaurant_phone_digits` holds it.
    const phoneKeyOf = (table?: string) =>
      sql.literal(`regexp_replace(${table === undefined ? "" : `${table}.`}phone, '[^0-9]', '', 'g')`)
    const phoneKey = phoneKeyOf()
    return {
      ...repository,
      findByContact: (restaurantId, contact) => {
        const { email, phone } = contactMatchKeys(contact)
        if (phone === null && email === null) return Effect.succeed([])
        // Phone first: it is what a restaurant knows its guests by.
        return sql`
          SELECT * FROM customers WHERE restaurant_id = ${restaurantId}
            AND (${phoneKey} = ${phone} OR lower(email) = ${email})
          ORDER BY (${phoneKey} = ${phone}) DESC NULLS LAST, created_at, id`.pipe(
          Effect.orDie,
          Effect.flatMap(decodeRows)
        )
      },
      findManyByContact: (contacts) => {
        const keys = contacts.map((c) => ({ r: c.restaurantId, ...contactMatchKeys(c) }))
        const phones = keys.flatMap(({ phone, r }) => (phone === null ? [] : [{ r, v: phone }]))
        const emails = keys.flatMap(({ email, r }) => (email === null ? [] : [{ r, v: email }]))
        if (phones.length === 0 && emails.length === 0) return Effect.succeed([])
        // Each contact along its own index: PostgreSQL can only test an OR of two IN lists row
        // by row, so that form read every customer of every restaurant on each lookup.
        return sql`
          SELECT * FROM customers WHERE id IN (
            SELECT c.id FROM unnest(${phones.map((p) => p.r)}::text[], ${phones.map((p) => p.v)}::text[]) AS k(r, v)
              JOIN customers c ON c.restaurant_id = k.r AND ${phoneKeyOf("c")} = k.v
            UNION ALL
            SELECT c.id FROM unnest(${emails.map((e) => e.r)}::text[], ${emails.map((e) => e.v)}::text[]) AS k(r, v)
              JOIN customers c ON c.restaurant_id = k.r AND lower(c.email) = k.v)
          ORDER BY created_at, id`.pipe(Effect.orDie, Effect.flatMap(decodeRows))
      }
    } satisfies Ports.CustomerRepo
  })
)

const linkColumns: Record<Ports.ReservationLink, string> = {
  serviceId: "service_id",
  offerId: "offer_id",
  diningRoomId: "dining_room_id",
  customerId: "customer_id"
}

const ReservationRepositorySql = Layer.effect(
  Ports.ReservationRepository,
  Effect.gen(function*() {
    const { decodeRows, linkedBy, repository, sql } = yield* makeSqlEntityRepository(T.reservation)
    return {
      ...repository,
      listBetween: (restaurantId, from, to) =>
        sql`
          SELECT * FROM reservations WHERE restaurant_id = ${restaurantId}
            AND reservation_time >= ${from} AND reservation_time < ${to}
          ORDER BY reservation_time, id`.pipe(Effect.orDie, Effect.flatMap(decodeRows)),
      listLinkedTo: (link, id) => linkedBy(linkColumns[link], id),
      // Along the restaurant's index: a table is deleted seldom, a GIN index would cost every write.
      listAtTable: (restaurantId, tableId) =>
        sql`SELECT * FROM reservations WHERE restaurant_id = ${restaurantId}
          AND table_ids @> ${JSON.stringify([tableId])}::jsonb ORDER BY id`.pipe(
          Effect.orDie,
          Effect.flatMap(decodeRows)
        )
    } satisfies Ports.ReservationRepo
  })
)

export const TransactorSql = Layer.effect(
  Ports.Transactor,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    // A failed commit is a storage failure like any other: a defect, answered 503 at the edge.
    withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      sql.withTransaction(effect).pipe(
        Effect.catchIf((e): e is SqlError => e instanceof SqlError, Effect.die)
      ) as Effect.Effect<A, E, R>,
    serialize: (key: string) =>
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.pipe(Effect.orDie, Effect.asVoid),
    // Taken in the order of the lock ids themselves: two batches sharing keys queue, never cross.
    serializeAll: (keys: ReadonlyArray<string>) =>
      keys.length === 0 ? Effect.void : sql`
        SELECT pg_advisory_xact_lock(h) FROM (
          SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(${[...keys]}::text[]) AS k ORDER BY h) AS locks`.pipe(
        Effect.orDie,
        Effect.asVoid
      )
  }))
)

export const EntityRepositoriesSql = Layer.mergeAll(
  DiningServiceRepositorySql,
  OfferRepositorySql,
  DiningRoomRepositorySql,
  DiningTableRepositorySql,
  MenuItemRepositorySql,
  CustomerRepositorySql,
  ReservationRepositorySql,
  OrderRepositorySql,
  TransactorSql
)
