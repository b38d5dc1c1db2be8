import { type Context, Effect, Layer, Ref } from "effect"
import { customersByContact } from "../../domain/customer-contact.js"
import type * as E from "../../domain/entities.js"
import type { EntityType } from "../../domain/ids.js"
import * as Ports from "../../ports/entity-repository.js"
import { makeMemoryEntityRepository, MemoryEntityStores } from "./entity-repository.js"

type Stored = { readonly id: string; readonly restaurantId: string; readonly version?: number }

/** A repository with nothing beyond the shared operations, as a Layer for its port. */
const plainRepository = <I, A extends Stored, C extends object, P extends object>(
  tag: Context.Tag<I, Ports.EntityRepository<A, C, P>>,
  entityType: EntityType,
  versioned = false
) => Layer.effect(tag, Effect.map(makeMemoryEntityRepository<A, C, P>({ entityType, versioned }), (r) => r.repository))

const DiningServiceRepositoryMemory = plainRepository(Ports.DiningServiceRepository, "dining_service")
const DiningRoomRepositoryMemory = plainRepository(Ports.DiningRoomRepository, "dining_room")
const MenuItemRepositoryMemory = plainRepository(Ports.MenuItemRepository, "menu_item")
/** The stored rows whose `field` is `id`, by id: the lookups a deletion makes of what links to it. */
const rowsLinkedTo = <A extends Stored>(store: Ref.Ref<Map<string, A>>, field: keyof A, id: string) =>
  Effect.map(
    Ref.get(store),
    (rows) => [...rows.values()].filter((row) => row[field] === id).sort((a, b) => a.id.localeCompare(b.id))
  )

/**
 * A repository with lookups of what links to its records (the ones a deletion makes), as a Layer
 * for its port: `linkedBy(field, id)` gives the stored rows whose `field` is `id`, by id.
 */
const repositoryWith = <I, A extends Stored, C extends object, P extends object, X>(
  tag: Context.Tag<I, Ports.EntityRepository<A, C, P> & X>,
  entityType: EntityType,
  versioned: boolean,
  lookups: (linkedBy: (field: keyof A, id: string) => Effect.Effect<ReadonlyArray<A>>) => X
) =>
  Layer.effect(
    tag,
    Effect.map(makeMemoryEntityRepository<A, C, P>({ entityType, versioned }), ({ repository, store }) => ({
      ...repository,
      ...lookups((field, id) => rowsLinkedTo(store, field, id))
    }))
  )

const OfferRepositoryMemory = repositoryWith(Ports.OfferRepository, "offer", false, (linkedBy) => ({
  listOfMenuItem: (menuItemId: string) => linkedBy("menuItemId", menuItemId)
}))
const DiningTableRepositoryMemory = repositoryWith(Ports.DiningTableRepository, "table", false, (linkedBy) => ({
  listInRoom: (roomId: string) => linkedBy("diningRoomId", roomId)
}))
const OrderRepositoryMemory = repositoryWith(Ports.OrderRepository, "order", true, (linkedBy) => ({
  listOfCustomer: (customerId: string) => linkedBy("customerId", customerId)
}))

type Create<M extends { Create: { Type: object } }> = M["Create"]["Type"]
type Patch<M extends { Patch: { Type: object } }> = M["Patch"]["Type"]

const CustomerRepositoryMemory = Layer.effect(
  Ports.CustomerRepository,
  Effect.gen(function*() {
    const { repository, store } = yield* makeMemoryEntityRepository<
      E.Customer,
      Create<typeof E.customer>,
      Patch<typeof E.customer>
    >({
      entityType: "customer",
      versioned: false
    })
    return {
      ...repository,
      findByContact: (restaurantId, contact) =>
        Effect.map(Ref.get(store), (rows) => customersByContact([...rows.values()], restaurantId, contact)),
      findManyByContact: (contacts) =>
        Effect.map(
          Ref.get(store),
          (rows) =>
            [...rows.values()].filter((c) =>
              contacts.some((contact) => customersByContact([c], contact.restaurantId, contact).length > 0)
            )
        )
    } satisfies Ports.CustomerRepo
  })
)

const ReservationRepositoryMemory = Layer.effect(
  Ports.ReservationRepository,
  Effect.gen(function*() {
    const { repository, store } = yield* makeMemoryEntityRepository<
      E.Reservation,
      Create<typeof E.reservation>,
      Patch<typeof E.reservation>
    >({
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
        }),
      listLinkedTo: (link, id) => rowsLinkedTo(store, link, id),
      listAtTable: (restaurantId, tableId) =>
        Effect.map(
          Ref.get(store),
          (rows) =>
            [...rows.values()].filter((r) => r.restaurantId === restaurantId && r.tableIds.includes(tableId as never))
              .sort((a, b) => a.id.localeCompare(b.id))
        )
    } satisfies Ports.ReservationRepo
  })
)

/**
 * In memory there is nothing to roll back to, and one process: the worker already applies the
 * jobs of one record one after the other.
 */
const TransactorMemory = Layer.succeed(Ports.Transactor, {
  withTransaction: (effect) => effect,
  serialize: () => Effect.void,
  serializeAll: () => Effect.void
})

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
).pipe(Layer.provide(MemoryEntityStores.layer))
