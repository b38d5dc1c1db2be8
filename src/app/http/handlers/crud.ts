import { Effect } from "effect"
import type { RestaurantId } from "../../../domain/ids.js"
import type { EntityNotFound, EntityRepository } from "../../../ports/entity-repository.js"
import { Conflict, notFound } from "../../errors.js"
import { LocalChanges } from "../../services/local-changes.js"

const toNotFound = (resource: string) => (e: EntityNotFound) => notFound(resource, e.id)

/** The handlers shared by every resource group: one implementation over its repository. */
export const crudHandlers = <
  I,
  A extends { readonly id: string; readonly restaurantId: string },
  C extends { readonly restaurantId: string },
  P extends object
>(
  repositoryTag: Effect.Effect<EntityRepository<A, C, P>, never, I>,
  resource: string
) =>
  Effect.gen(function*() {
    const repository = yield* repositoryTag
    const changes = yield* LocalChanges
    return {
      list: (
        { urlParams }: {
          readonly urlParams: {
            readonly restaurantId?: RestaurantId | undefined
            readonly limit: number
            readonly offset: number
          }
        }
      ) => changes.list(repository, urlParams),
      get: ({ path }: { readonly path: { readonly id: string } }) =>
        changes.get(repository, path.id).pipe(Effect.mapError(toNotFound(resource))),
      create: ({ payload }: { readonly payload: C }) => changes.create(repository, payload),
      update: ({ path, payload }: { readonly path: { readonly id: string }; readonly payload: P }) => {
        // A versioned record's PATCH may say which version it was made on (see `patchOf`).
        const { version, ...patch } = payload as P & { readonly version?: number }
        return changes.update(repository, path.id, patch as P, version).pipe(
          Effect.catchTags({
            EntityNotFound: (e) => Effect.fail(toNotFound(resource)(e)),
            StaleVersion: (e) =>
              Effect.fail(
                new Conflict({
                  message: `${resource} ${e.id} is at version ${e.current}, not ${e.expected}: ` +
                    "another change came first; read it again and apply yours to it",
                  currentVersion: e.current
                })
              )
          })
        )
      },
      remove: ({ path }: { readonly path: { readonly id: string } }) =>
        changes.remove(repository, path.id).pipe(Effect.mapError(toNotFound(resource)))
    }
  })
