import { Effect } from "effect"
import type { RestaurantId } from "../../../domain/ids.js"
import type { EntityNotFound, EntityRepository } from "../../../ports/entity-repository.js"
import { notFound } from "../../errors.js"
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
      update: ({ path, payload }: { readonly path: { readonly id: string }; readonly payload: P }) =>
        changes.update(repository, path.id, payload).pipe(
          Effect.catchTag("EntityNotFound", (e) => Effect.fail(toNotFound(resource)(e)))
        ),
      remove: ({ path }: { readonly path: { readonly id: string } }) =>
        changes.remove(repository, path.id).pipe(Effect.mapError(toNotFound(resource)))
    }
  })
