import { Effect, Layer, Ref } from "effect"
import type * as E from "../../domain/entities.js"
import * as Ports from "../../ports/entity-repository.js"
import { makeMemoryEntityRepository } from "./entity-repository.js"

type Create<M extends { Create: { Type: object } }> = M["Create"]["Type"]
type Patch<M extends { Patch: { Type: object } }> = M["Patch"]["Type"]

export const DiningServiceRepositoryMemory = Layer.effect(
  Ports.DiningServiceRepository,
  Effect.map(
    makeMemoryEntityRepository<E.DiningService, Create<typeof E.diningService>, Patch<typeof E.diningService>>({ entityType: "dining_service", versioned: false }),
    (r) => r.repository
  )
)
export const OfferRepositoryMemory = Layer.effect(
  Ports.OfferRepository,
  Effect.map(
    makeMemoryEntityRepository<E.Offer, Create<typeof E.offer>, Patch<typeof E.offer>>({ entityType: "offer", versioned: false }),
    (r) => r.repository
  )
)
export const DiningRoomRepositoryMemory = Layer.effect(
  Ports.DiningRoomRepository,
  Effect.map(
    makeMemoryEntityRepository<E.DiningRoom, Create<typeof E.diningRoom>, Patch<typeof E.diningRoom>>({ entityType: "dining_room", versioned: false }),
    (r) => r.repository
  )
)
export const DiningTableRepositoryMemory = Layer.effect(
  Ports.DiningTableRepository,
  Effect.map(
    makeMemoryEntityRepository<E.DiningTable, Create<typeof E.diningTable>, Patch<typeof E.diningTable>>({ entityType: "table", versioned: false }),
    (r) => r.repository
  )
)
export const MenuItemRepositoryMemory = Layer.effect(
  Ports.MenuItemRepository,
  Effect.map(
    makeMemoryEntityRepository<E.MenuItem, Create<typeof E.menuItem>, Patch<typeof E.menuItem>>({ entityType: "menu_item", versioned: false }),
    (r) => r.repository
  )
)
export const OrderRepositoryMemory = Layer.effect(
  Ports.OrderRepository,
  Effect.map(
    makeMemoryEntityRepository<E.Order, Create<typeof E.order>, Patch<typeof E.order>>({ entityType: "order", versioned: true }),
    (r) => r.repository
  )
)

const normalizedEmail = (email: string | null | undefined) => email?.trim().toLowerCase() || null

export const CustomerRepositoryMemory = Layer.effect(
  Ports.CustomerRepository,
  Effect.gen(function* () {
    const { repository, store } = yield* makeMemoryEntityRepository<E.Customer, Create<typeof E.customer>, Patch<typeof E.customer>>({
      entityType: "customer",
      versioned: false
    })
    return {
      ...repository,
      findByContact: (restaurantId, contact) =>
        Effect.map(Ref.get(store), (rows) => {
          const phone = contact.phone?.trim() || null
          const email = normalizedEmail(contact.email)
          const all = [...rows.values()].filter((c) => c.restaurantId === restaurantId)
          const byPhone = phone === null ? [] : all.filter((c) => c.phone === phone)
          const byEmail = email === null ? [] : all.filter((c) => normalizedEmail(c.email) === email && !byPhone.includes(c))
          return [...byPhone, ...byEmail]
        })
    } satisfies Ports.CustomerRepo
  })
)

export const ReservationRepositoryMemory = Layer.effect(
  Ports.ReservationRepository,
  Effect.gen(function* () {
    const { repository, store } = yield* makeMemoryEntityRepository<E.Reservation, Create<typeof E.reservation>, Patch<typeof E.reservation>>({
      entityType: "reservation",
      versioned: true
    })
    return {
      ...repository,
      listBetween: (restaurantId, from, to) =>
        Effect.map(Ref.get(store), (rows) => {
          const [start, end] = [Date.parse(from), Date.parse(to)]
          return [...rows.values()]
            .filter((r) => r.restaurantId === restaurantId)
            .filter((r) => Date.parse(r.reservationTime) >= start && Date.parse(r.reservationTime) < end)
            .sort((a, b) => Date.parse(a.reservationTime) - Date.parse(b.reservationTime))
        })
    } satisfies Ports.ReservationRepo
  })
)

/**
 * In memory there is nothing to roll back to, and one process: the worker already applies the
 * jobs of one record one after the other.
 */
export const TransactorMemory = Layer.succeed(Ports.Transactor, { withTransaction: (effect) => effect, serialize: () => Effect.void })

export const EntityRepositoriesMemory = Layer.mergeAll(
  DiningServiceRepositoryMemory,
  OfferRepositoryMemory,
  DiningRoomRepositoryMemory,
  DiningTableRepositoryMemory,
  MenuItemRepositoryMemory,
  CustomerRepositoryMemory,
  ReservationRepositoryMemory,
  OrderRepositoryMemory,
  TransactorMemory
)
