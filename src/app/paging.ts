import { Effect } from "effect"
import type { RestaurantId } from "../domain/ids.js"
import type { ListQuery, Page } from "../ports/entity-repository.js"

/** How many rows a list read whole asks for at a time. */
const PAGE = 500

/** The window of a list query that a page read sets. */
export type PageQuery = Pick<ListQuery, "limit" | "offset">

/** Every row of a paged list, page after page: a silently truncated list would hide records. */
export const allPages = <A>(
  load: (page: PageQuery) => Effect.Effect<Pick<Page<A>, "items" | "total">>
): Effect.Effect<ReadonlyArray<A>> =>
  Effect.gen(function*() {
    const rows: Array<A> = []
    for (let offset = 0;; offset += PAGE) {
      const page = yield* load({ limit: PAGE, offset })
      rows.push(...page.items)
      if (page.items.length < PAGE || rows.length >= page.total) return rows
    }
  })

/** Every record of a restaurant in one repository (its services, tables, menu items...). */
export const allOfRestaurant = <A>(
  repository: { readonly list: (query: ListQuery) => Effect.Effect<Page<A>> },
  restaurantId: RestaurantId
) => allPages((page) => repository.list({ restaurantId, ...page }))
