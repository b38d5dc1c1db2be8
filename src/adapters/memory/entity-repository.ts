import { Clock, Context, Effect, FiberRef, identity, Layer, Option, Ref } from "effect"
import type { RestaurantScope } from "../../domain/access.js"
import { type ChangeAction, updateAction } from "../../domain/changes.js"
import type { EntityType } from "../../domain/ids.js"
import { newEntity, patchedEntity } from "../../domain/versioning.js"
import { ChangeLog, changeOf, currentChangeOrigin } from "../../ports/change-feed.js"
import {
  EntityNotFound,
  type EntityRepository,
  StaleVersion,
  type WriteOptions
} from "../../ports/entity-repository.js"
import { SyncJobQueue } from "../../ports/sync-job-queue.js"
import { pageOf } from "./page.js"

interface Stored {
  readonly id: string
  readonly restaurantId: string
  readonly version?: number
}

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** The repositories of one memory layer by type: a create checks the records it references with theirs. */
export class MemoryEntityStores extends Context.Tag("MemoryEntityStores")<
  MemoryEntityStores,
  Map<EntityType, Pick<EntityRepository<Stored, never, never>, "ownedIds">>
>() {
  static readonly layer = Layer.sync(MemoryEntityStores, () => new Map())
}

/** The same repository on a Map held in a Ref: insertion order is creation order. */
export const makeMemoryEntityRepository = <A extends Stored, C extends object, P extends object>(options: {
  readonly entityType: EntityType
  readonly versioned: boolean
}) =>
  Effect.gen(function*() {
    const store = yield* Ref.make(new Map<string, A>())
    const stores = yield* MemoryEntityStores
    const owns = (restaurantId: string, entityType: EntityType, ids: ReadonlyArray<string>) => {
      const others = stores.get(entityType)
      return others === undefined
        ? Effect.succeed(false)
        : Effect.map(others.ownedIds(restaurantId, ids), (owned) => ids.every((id) => owned.includes(id)))
    }
    const changeLog = yield* ChangeLog
    const queue = yield* SyncJobQueue
    const queued = (row: A, write: WriteOptions | undefined) =>
      write?.queuePush === true
        ? Effect.as(queue.enqueuePush(row.restaurantId as never, options.entityType, row.id), row)
        : Effect.succeed(row)
    // Issue 21: single writes are logged here; batch writes by their caller (the unit of work).
    const log = (action: ChangeAction, row: A, occurredAt?: string) =>
      Effect.flatMap(FiberRef.get(currentChangeOrigin), (origin) =>
        changeLog.append([changeOf(options.entityType, action, origin, row, occurredAt)]))
    const notFound = (id: string) =>
      new EntityNotFound({ entityType: options.entityType, id })
    const inScope = (row: Stored, within: RestaurantScope) =>
      within === undefined || within.some((restaurantId) => restaurantId === row.restaurantId)
    const get = (id: string, within?: RestaurantScope) =>
      Effect.flatMap(Ref.get(store), (rows) => {
        const row = rows.get(id)
        return row === undefined || !inScope(row, within) ? Effect.fail(notFound(id)) : Effect.succeed(row)
      })

    const write = (id: string, patch: P, within?: RestaurantScope) =>
      Effect.gen(function*() {
        const { changes, entity } = patchedEntity(yield* get(id, within), patch, yield* nowIso, options.versioned)
        if (changes === undefined) return { entity, changed: false }
        yield* Ref.update(store, (rows) => new Map(rows).set(id, entity))
        return { entity, changed: true }
      })
    const update = (id: string, patch: P, within?: RestaurantScope, writeOptions?: WriteOptions) =>
      Effect.flatMap(write(id, patch, within), ({ changed, entity }) =>
        changed
          ? Effect.zipRight(log(updateAction(patch), entity), queued(entity, writeOptions))
          : Effect.succeed(entity))

    const repository: EntityRepository<A, C, P> = {
      entityType: options.entityType,
      create: (input, writeOptions) =>
        Effect.gen(function*() {
          const row = newEntity<A>(input, crypto.randomUUID(), yield* nowIso, options.versioned)
          yield* Ref.update(store, (rows) => new Map(rows).set(row.id, row))
          yield* log("create", row)
          return yield* queued(row, writeOptions)
        }),
      createReferencing: (input, references, writeOptions) =>
        Effect.gen(function*() {
          const restaurantId = (input as { readonly restaurantId: string }).restaurantId
          for (const { entityType, ids } of references) {
            if (!(yield* owns(restaurantId, entityType, ids))) return Option.none()
          }
          return Option.some(yield* repository.create(input, writeOptions))
        }),
      get,
      getMany: (ids) => Effect.map(Ref.get(store), (rows) => ids.flatMap((id) => rows.get(id) ?? [])),
      ownedIds: (restaurantId, ids) =>
        Effect.map(Ref.get(store), (rows) => ids.filter((id) => rows.get(id)?.restaurantId === restaurantId)),
      list: (query) =>
        Effect.map(Ref.get(store), (rows) => {
          const all = [...rows.values()].filter((r) =>
            (query.restaurantId === undefined || r.restaurantId === query.restaurantId) &&
            inScope(r, query.restaurantIds)
          )
          return pageOf(all, query, identity)
        }),
      update,
      updateAtVersion: (id, version, patch, within, writeOptions) =>
        !options.versioned
          ? Effect.dieMessage(`${options.entityType} records have no version`)
          : Effect.flatMap(get(id, within), (current): Effect.Effect<A, EntityNotFound | StaleVersion> =>
            current.version === version
              ? update(id, patch, within, writeOptions)
              : Effect.fail(
                new StaleVersion({
                  entityType: options.entityType,
                  id,
                  expected: version,
                  current: current.version ?? 0
                })
              )),
      remove: (id, within) =>
        Effect.flatMap(get(id, within), (row) =>
          Ref.update(store, (rows) => {
            const next = new Map(rows)
            next.delete(id)
            return next
          }).pipe(Effect.zipRight(Effect.flatMap(nowIso, (now) => log("delete", row, now))))),
      insertMany: (entities) =>
        Ref.update(store, (rows) => new Map([...rows, ...entities.map((e) => [e.id, e] as const)])),
      updateMany: (changes) =>
        Effect.forEach(changes, ({ id, patch }) => Effect.ignore(write(id, patch)), { discard: true })
    }
    stores.set(options.entityType, repository)
    return { repository, store }
  })
