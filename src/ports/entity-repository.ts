import { Context, Data, type Effect, type Option } from "effect"
import type { RestaurantScope } from "../domain/access.js"
import type * as E from "../domain/entities.js"
import type { EntityType, RestaurantId } from "../domain/ids.js"
import type { Reference } from "../domain/references.js"

export class EntityNotFound extends Data.TaggedError("EntityNotFound")<{
  readonly entityType: EntityType
  readonly id: string
}> {}

/** A change made on a version of a record that another change has since replaced. */
export class StaleVersion extends Data.TaggedError("StaleVersion")<{
  readonly entityType: EntityType
  readonly id: string
  readonly expected: number
  readonly current: number
}> {}

export interface ListQuery {
  readonly restaurantId?: RestaurantId | undefined
  /** Issue 17: only these restaurants (a caller's scope); undefined: no restriction. */
  readonly restaurantIds?: RestaurantScope
  readonly limit: number
  readonly offset: number
}

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly total: number
  readonly limit: number
  readonly offset: number
}

/** What a single write does besides itself and its change-log entry. */
export interface WriteOptions {
  /**
   * Also queue the record's outbound push, as `SyncJobQueue.enqueuePush` would, committed
   * with the write: an API write is then one statement where the storage allows it (issue 22).
   */
  readonly queuePush?: boolean
}

/**
 * Storage of one entity type. Storage failures are defects (the HTTP layer answers 503); the
 * only expected failure is an unknown id. Versioned entities (reservation, order) count every
 * update in `version`. `within` (issue 17) limits a call to a caller's restaurants: a
 * record of another restaurant is not found.
 */
export interface EntityRepository<A, Create, Patch> {
  readonly entityType: EntityType
  readonly create: (input: Create, options?: WriteOptions) => Effect.Effect<A>
  /**
   * `create`, made only if every record the references name is one of the input's restaurant (in
   * the same statement where the storage allows); none when one is not, and nothing written: the
   * caller finds which with `ownedIds`.
   */
  readonly createReferencing: (
    input: Create,
    references: ReadonlyArray<Reference>,
    options?: WriteOptions
  ) => Effect.Effect<Option.Option<A>>
  readonly get: (id: string, within?: RestaurantScope) => Effect.Effect<A, EntityNotFound>
  readonly getMany: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<A>>
  /** Which of these ids are records of this restaurant (a reference check reads no more than that). */
  readonly ownedIds: (restaurantId: string, ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>>
  readonly list: (query: ListQuery) => Effect.Effect<Page<A>>
  readonly update: (
    id: string,
    patch: Patch,
    within?: RestaurantScope,
    options?: WriteOptions
  ) => Effect.Effect<A, EntityNotFound>
  /**
   * `update` of a versioned entity, made only while the record is still at `version` (checked by
   * the write itself): a client's change to what it read never overwrites one it did not see.
   */
  readonly updateAtVersion: (
    id: string,
    version: number,
    patch: Patch,
    within?: RestaurantScope,
    options?: WriteOptions
  ) => Effect.Effect<A, EntityNotFound | StaleVersion>
  readonly remove: (id: string, within?: RestaurantScope) => Effect.Effect<void, EntityNotFound>
  /**
   * Batch writes: whole entities as the caller built them (ids, timestamps, version), in one
   * statement. Unlike `create`, `update` and `remove`, batch writes leave the change log (issue 21)
   * to their caller, which knows each version a batch went through.
   */
  readonly insertMany: (entities: ReadonlyArray<A>) => Effect.Effect<void>
  /**
   * Batch writes: patches, in one statement. Several patches of one id apply in order and each
   * counts as a change of a versioned entity. Unknown ids are skipped.
   */
  readonly updateMany: (changes: ReadonlyArray<{ readonly id: string; readonly patch: Patch }>) => Effect.Effect<void>
}

type Repo<
  M extends { Entity: { Type: unknown }; Create: { Type: unknown }; Patch: { Type: unknown } },
  A = M["Entity"]["Type"]
> = EntityRepository<A, M["Create"]["Type"], M["Patch"]["Type"]>

type DiningServiceRepo = Repo<typeof E.diningService>
export type OfferRepo = Repo<typeof E.offer> & {
  /** The offers linked to this menu item (to detach them before it goes). */
  readonly listOfMenuItem: (menuItemId: string) => Effect.Effect<ReadonlyArray<E.Offer>>
}
type DiningRoomRepo = Repo<typeof E.diningRoom>
export type DiningTableRepo = Repo<typeof E.diningTable> & {
  /** The tables of this room (to detach them before it goes). */
  readonly listInRoom: (roomId: string) => Effect.Effect<ReadonlyArray<E.DiningTable>>
}
type MenuItemRepo = Repo<typeof E.menuItem>
/** How an inbound guest is matched to a customer of the restaurant. */
export interface CustomerContact {
  readonly restaurantId: RestaurantId
  readonly phone?: string | undefined
  readonly email?: string | undefined
}

export type CustomerRepo = Repo<typeof E.customer> & {
  /** Inbound customer upsert: the restaurant's customer with this phone, else this email. */
  readonly findByContact: (
    restaurantId: RestaurantId,
    contact: { readonly phone?: string | undefined; readonly email?: string | undefined }
  ) => Effect.Effect<ReadonlyArray<E.Customer>>
  /** Batch look-up: every customer matching any of the contacts by phone or email, oldest first. */
  readonly findManyByContact: (contacts: ReadonlyArray<CustomerContact>) => Effect.Effect<ReadonlyArray<E.Customer>>
}
export type ReservationRepo = Repo<typeof E.reservation, E.Reservation> & {
  /** Availability: the restaurant's reservations starting in [from, to). */
  readonly listBetween: (
    restaurantId: RestaurantId,
    from: string,
    to: string
  ) => Effect.Effect<ReadonlyArray<E.Reservation>>
  /** The reservations linked to this service, offer, room or customer (to detach them before it goes). */
  readonly listLinkedTo: (link: ReservationLink, id: string) => Effect.Effect<ReadonlyArray<E.Reservation>>
  /** The restaurant's reservations that name this table among theirs (to detach it before it goes). */
  readonly listAtTable: (restaurantId: string, tableId: string) => Effect.Effect<ReadonlyArray<E.Reservation>>
}
export type ReservationLink = "serviceId" | "offerId" | "diningRoomId" | "customerId"
export type OrderRepo = Repo<typeof E.order, E.Order> & {
  /** The customer's orders (to detach them before the customer goes). */
  readonly listOfCustomer: (customerId: string) => Effect.Effect<ReadonlyArray<E.Order>>
}

export class DiningServiceRepository
  extends Context.Tag("DiningServiceRepository")<DiningServiceRepository, DiningServiceRepo>()
{}
export class OfferRepository extends Context.Tag("OfferRepository")<OfferRepository, OfferRepo>() {}
export class DiningRoomRepository extends Context.Tag("DiningRoomRepository")<DiningRoomRepository, DiningRoomRepo>() {}
export class DiningTableRepository
  extends Context.Tag("DiningTableRepository")<DiningTableRepository, DiningTableRepo>()
{}
export class MenuItemRepository extends Context.Tag("MenuItemRepository")<MenuItemRepository, MenuItemRepo>() {}
export class CustomerRepository extends Context.Tag("CustomerRepository")<CustomerRepository, CustomerRepo>() {}
export class ReservationRepository
  extends Context.Tag("ReservationRepository")<ReservationRepository, ReservationRepo>()
{}
export class OrderRepository extends Context.Tag("OrderRepository")<OrderRepository, OrderRepo>() {}

/** Runs several repository calls atomically (the change and its outbox row, R-5.7). */
export class Transactor extends Context.Tag("Transactor")<Transactor, {
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * Inside a transaction: waits until no other transaction, of any instance, holds `key`, and holds
   * it until commit. Two deliveries about the same booking are then applied one after the other.
   */
  readonly serialize: (key: string) => Effect.Effect<void>
  /** `serialize` for several keys at once, taken in one consistent order so batches cannot deadlock. */
  readonly serializeAll: (keys: ReadonlyArray<string>) => Effect.Effect<void>
}>() {}
