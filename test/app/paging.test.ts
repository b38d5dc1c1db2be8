import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { allOfRestaurant, allPages, type PageQuery } from "../../src/app/paging.js"
import type { RestaurantId } from "../../src/domain/ids.js"

/** A paged source of `count` rows answering `total` as its count, recording what it was asked. */
const source = (count: number, total = count) => {
  const asked: Array<PageQuery> = []
  const rows = Array.from({ length: count }, (_, i) => i)
  const load = (page: PageQuery) =>
    Effect.sync(() => {
      asked.push(page)
      return { items: rows.slice(page.offset, page.offset + page.limit), total }
    })
  return { asked, load }
}

describe("lists read whole", () => {
  it.effect("reads page after page until the last row, none skipped or read twice", () =>
    Effect.gen(function*() {
      const { asked, load } = source(1_201)
      const rows = yield* allPages(load)
      assert.deepStrictEqual(rows, Array.from({ length: 1_201 }, (_, i) => i))
      assert.deepStrictEqual(asked, [{ limit: 500, offset: 0 }, { limit: 500, offset: 500 }, {
        limit: 500,
        offset: 1_000
      }])
    }))

  it.effect("stops at a short page even when the count said more (rows deleted meanwhile)", () =>
    Effect.gen(function*() {
      const { asked, load } = source(700, 900)
      assert.strictEqual((yield* allPages(load)).length, 700)
      assert.strictEqual(asked.length, 2)
    }))

  it.effect("reads one restaurant's records through its repository's list", () =>
    Effect.gen(function*() {
      const restaurants: Array<string> = []
      const { load } = source(3)
      const rows = yield* allOfRestaurant({
        list: (query) => {
          restaurants.push(query.restaurantId ?? "")
          const page = { limit: query.limit, offset: query.offset }
          return Effect.map(load(page), (answer) => ({ ...answer, ...page }))
        }
      }, "resto-1" as RestaurantId)
      assert.deepStrictEqual(rows, [0, 1, 2])
      assert.deepStrictEqual(restaurants, ["resto-1"])
    }))
})
