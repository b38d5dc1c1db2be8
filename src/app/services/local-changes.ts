import { Effect, Option } from "effect"
import { hasRecordRules, recordRuleProblems } from "../../domain/availability.js"
import type { Order } from "../../domain/entities.js"
import type { EntityType } from "../../domain/ids.js"
import { orderStatusChangeProblem } from "../../domain/order-lifecycle.js"
import { isMenuPart } from "../../domain/push-fan-out.js"
import { referencesOf } from "../../domain/references.js"
import type { ReservationPatch } from "../../domain/reservation-dto.js"
import type { OrderStatus } from "../../domain/status.js"
import * as Repos from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { SyncJobQueue } from "../../ports/sync-job-queue.js"
import { traced } from "../../ports/traced.js"
import { invalidField, invalidFields } from "../errors.js"
import { menuJobOf } from "../sync/outbound-menu.js"
import { callerScope, requireRestaurant, scopeOfList } from "./access.js"

interface Owned {
  readonly id: string
  readonly restaurantId: string
}

/**
 * Every local create or update goes through here: the referenced entities must exist in the same
 * restaurant, and the change is written together with its outbound jobs. Reads
 * and writes are limited to the caller's restaurants (issue 17): another restaurant's record is
 * not found, and naming another restaurant is refused.
 */
export class LocalChanges extends Effect.Service<LocalChanges>()("LocalChanges", {
  effect: Effect.gen(function*() {
    const transactor = yield* Repos.Transactor
    const queue = yield* SyncJobQueue
    const reservations = yield* Repos.ReservationRepository
    const orders = yield* Repos.OrderRepository
    const tables = yield* Repos.DiningTableRepository
    const offers = yield* Repos.OfferRepository
    const mappings = yield* MappingRepository
    const lookups: Record<EntityType, Pick<Repos.EntityRepository<Owned, never, never>, "ownedIds">> = {
      dining_service: yield* Repos.DiningServiceRepository,
      offer: yield* Repos.OfferRepository,
      dining_room: yield* Repos.DiningRoomRepository,
      table: yield* Repos.DiningTableRepository,
      menu_item: yield* Repos.MenuItemRepository,
      customer: yield* Repos.CustomerRepository,
      reservation: yield* Repos.ReservationRepository,
      order: yield* Repos.OrderRepository
    }

    /**
     * `current`: the record a PATCH changes. What it already names is not checked again: a record
     * read and sent back whole is taken even where something it names has gone since (deleted
     * straight in the database), as the README promises; only what the change adds must exist.
     */
    const checkReferences = (entityType: EntityType, restaurantId: string, fields: object, current?: object) =>
      Effect.gen(function*() {
        const named = new Map(
          current === undefined ? [] : referencesOf(entityType, current as Record<string, unknown>).map((
            reference
          ) => [reference.field, new Set(reference.ids)])
        )
        const added = referencesOf(entityType, fields as Record<string, unknown>)
          .map((reference) => ({
            ...reference,
            ids: reference.ids.filter((id) => !named.get(reference.field)?.has(id))
          }))
          .filter((reference) => reference.ids.length > 0)
        // A reservation names a room and tables: their lookups go out side by side, not in turn.
        const issues = (yield* Effect.forEach(
          added,
          (reference) =>
            Effect.map(lookups[reference.entityType].ownedIds(restaurantId, reference.ids), (found) => {
              const owned = new Set(found)
              const missing = reference.ids.filter((id) => !owned.has(id))
              return missing.length === 0 ? [] : [{
                path: reference.field,
                message: `no ${reference.entityType} ${missing.join(", ")} in restaurant ${restaurantId}`
              }]
            }),
          { concurrency: "unbounded" }
        )).flat()
        if (issues.length > 0) return yield* invalidFields(issues)
      })

    /** An order's status moves only where its lifecycle allows (refused before anything is written). */
    const movesStatus = (entityType: EntityType, patch: object): patch is { readonly status: OrderStatus } =>
      entityType === "order" && "status" in patch && patch.status !== undefined
    const checkStatusChange = (current: object, patch: { readonly status: OrderStatus }) =>
      Option.match(orderStatusChangeProblem((current as Order).status, patch.status), {
        onNone: () => Effect.void,
        onSome: (message) => Effect.fail(invalidField("status", message))
      })
    const checkRules = (entityType: EntityType, fields: object) => {
      // Rules across fields of one entity, checked on the entity as it would be written.
      const issues = recordRuleProblems(entityType, fields)
      return issues.length === 0 ? Effect.void : Effect.fail(invalidFields(issues))
    }

    // Issue 20, item 7: a record losing what it named is a change like any other, a new version in
    // the change feed, before a foreign key could null the link silently, or a list go on naming
    // what no longer exists: a reservation its room, offer, service, customer or one of its tables,
    // a table its room, an offer its menu item, an order its customer. Each is pushed as its own
    // write would be, but for the customer, which no platform is sent, and the offer, which the menu
    // push the deletion queues carries.
    const detachDependents = (entityType: EntityType, row: Owned) => {
      const each = <A extends Owned>(
        linked: Effect.Effect<ReadonlyArray<A>>,
        write: (record: A) => Effect.Effect<unknown, Repos.EntityNotFound | Repos.StaleVersion>
      ) =>
        Effect.flatMap(linked, (records) => Effect.forEach(records, (a) => Effect.orDie(write(a)), { discard: true }))
      const reservationsLosing = (link: Repos.ReservationLink, queuePush: boolean) =>
        each(
          reservations.listLinkedTo(link, row.id),
          (r) => reservations.update(r.id, { [link]: null } as ReservationPatch, undefined, { queuePush })
        )
      switch (entityType) {
        case "table":
          return each(
            reservations.listAtTable(row.restaurantId, row.id),
            (r) =>
              reservations.update(r.id, { tableIds: r.tableIds.filter((table) => table !== row.id) }, undefined, {
                queuePush: true
              })
          )
        case "dining_room":
          return Effect.zipRight(
            reservationsLosing("diningRoomId", true),
            each(
              tables.listInRoom(row.id),
              (t) => tables.update(t.id, { diningRoomId: null }, undefined, { queuePush: true })
            )
          )
        case "dining_service":
          return reservationsLosing("serviceId", true)
        case "offer":
          return reservationsLosing("offerId", true)
        case "menu_item":
          return each(offers.listOfMenuItem(row.id), (o) => offers.update(o.id, { menuItemId: null }))
        case "customer":
          return Effect.zipRight(
            reservationsLosing("customerId", false),
            each(orders.listOfCustomer(row.id), (o) => orders.update(o.id, { customerId: null }))
          )
        default:
          return Effect.void
      }
    }

    // A menu is uploaded whole: all of a restaurant's menu changes share one job (see outbound-menu).
    const announce = <A extends Owned>(entityType: EntityType) => (row: A) => {
      const job = menuJobOf(entityType, row.restaurantId) ?? { entityType, entityId: row.id }
      return Effect.as(queue.enqueuePush(row.restaurantId as never, job.entityType, job.entityId), row)
    }
    /**
     * A write with its push: a record pushed on its own is queued by the repository in the write
     * itself (one statement on PostgreSQL); a menu's shared job is queued beside it, in one transaction.
     */
    const writeAnnounced = <A extends Owned, E>(
      entityType: EntityType,
      write: (options: Repos.WriteOptions) => Effect.Effect<A, E>
    ) =>
      isMenuPart(entityType)
        ? transactor.withTransaction(Effect.flatMap(write({}), announce(entityType)))
        : write({ queuePush: true })

    return {
      list: <A, C, P>(
        repository: Repos.EntityRepository<A, C, P>,
        query: Repos.ListQuery
      ) =>
        Effect.flatMap(
          scopeOfList(query.restaurantId),
          (restaurantIds) => repository.list({ ...query, restaurantIds })
        ),
      get: <A, C, P>(repository: Repos.EntityRepository<A, C, P>, id: string) =>
        Effect.flatMap(callerScope, (within) => repository.get(id, within)),
      /**
       * A deleted record's reservations are detached and its mappings removed (issue 19); a deleted
       * menu item or offer must leave the platforms' menus too: the menu is pushed again.
       */
      remove: <A extends Owned, C, P>(repository: Repos.EntityRepository<A, C, P>, id: string) =>
        Effect.flatMap(callerScope, (within) =>
          transactor.withTransaction(Effect.gen(function*() {
            const row = yield* repository.get(id, within)
            yield* detachDependents(repository.entityType, row)
            yield* repository.remove(id, within)
            yield* mappings.removeForEntity({ entityType: repository.entityType, entityId: id })
            if (isMenuPart(repository.entityType)) {
              yield* announce(repository.entityType)(row)
            }
          }))),
      create: <A extends Owned, C extends { readonly restaurantId: string }, P>(
        repository: Repos.EntityRepository<A, C, P>,
        input: C
      ) => {
        const { entityType } = repository
        const checked = Effect.zipRight(
          checkReferences(entityType, input.restaurantId, input),
          writeAnnounced(entityType, (options) => repository.create(input, options)) as Effect.Effect<A>
        )
        const references = referencesOf(entityType, input)
        // A record pushed on its own has its references checked by the write itself; only a refused
        // write reads which reference failed (and one that has become valid since gets the checked write).
        const write = references.length === 0 || isMenuPart(entityType) ? checked : Effect.flatMap(
          repository.createReferencing(input, references, { queuePush: true }),
          Option.match({ onNone: () => checked, onSome: Effect.succeed })
        )
        return requireRestaurant(input.restaurantId).pipe(
          Effect.zipRight(checkRules(entityType, input)),
          Effect.zipRight(write),
          traced("LocalChanges.create", { attributes: { entityType }, captureStackTrace: false })
        )
      },
      /** `version`: the version the change was made on (a versioned entity); refused once replaced. */
      update: <A extends Owned, C, P extends object>(
        repository: Repos.EntityRepository<A, C, P>,
        id: string,
        patch: P,
        version?: number
      ) =>
        Effect.gen(function*() {
          const within = yield* callerScope
          // The record is read first only when a rule or a reference needs it: the update itself is
          // limited to the caller's restaurants and fails as not found the same way.
          const statusMove = movesStatus(repository.entityType, patch) ? patch : undefined
          if (
            hasRecordRules(repository.entityType) || statusMove !== undefined ||
            referencesOf(repository.entityType, patch as Record<string, unknown>).length > 0
          ) {
            const current = yield* repository.get(id, within)
            if (statusMove !== undefined) yield* checkStatusChange(current, statusMove)
            yield* checkRules(repository.entityType, { ...current, ...patch })
            yield* checkReferences(repository.entityType, current.restaurantId, patch, current)
          }
          return yield* writeAnnounced(
            repository.entityType,
            (options): Effect.Effect<A, Repos.EntityNotFound | Repos.StaleVersion> =>
              version === undefined
                ? repository.update(id, patch, within, options)
                : repository.updateAtVersion(id, version, patch, within, options)
          )
        }).pipe(traced("LocalChanges.update", {
          attributes: { entityType: repository.entityType, id },
          captureStackTrace: false
        }))
    }
  })
}) {}
