import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ChangeLogSql } from "../../../src/adapters/sql/change-feed.js"
import { EntityRepositoriesSql } from "../../../src/adapters/sql/entity-repositories.js"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { CustomerRepository } from "../../../src/ports/entity-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { pagesReadBy } from "../../support/pages-read.js"

const repositories = EntityRepositoriesSql.pipe(Layer.provide(ChangeLogSql), Layer.provideMerge(TestDatabaseLive))

const restaurants = 100
const perRestaurant = 400

describe("customer lookups and the number of customers", () => {
  layer(repositories)((it) => {
    it.effect("a batch of contacts reads the customers it finds, not every customer", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const customers = yield* CustomerRepository
        // 40,000 customers over 100 restaurants: guest n has phone +33 n and email guest-n@example.com.
        yield* sql`
          INSERT INTO customers (id, restaurant_id, name, phone, email, allergies, is_vip)
          SELECT gen_random_uuid(), 'restaurant-' || (n % ${restaurants}), 'Guest ' || n, '+33' || n,
            'Guest-' || n || '@Example.com', '[]'::jsonb, false
          FROM generate_series(1, ${restaurants * perRestaurant}) AS n`
        yield* sql`ANALYZE customers`
        // An inbound batch's contacts: 25 phones, 25 emails cased otherwise than stored, 10 unknown.
        const contact = (n: number) => ({ restaurantId: `restaurant-${n % restaurants}` as RestaurantId })
        const contacts = [
          ...Array.from({ length: 25 }, (_, i) => ({ ...contact(i * 7 + 1), phone: `+33${i * 7 + 1}` })),
          ...Array.from(
            { length: 25 },
            (_, i) => ({ ...contact(1000 + i * 11), email: `guest-${1000 + i * 11}@example.COM` })
          ),
          ...Array.from(
            { length: 10 },
            (_, i) => ({ ...contact(i), phone: `+34${i}`, email: `nobody-${i}@example.com` })
          )
        ]
        const { pages: pagesRead, result: found } = yield* pagesReadBy(
          "customers",
          customers.findManyByContact(contacts)
        )
        assert.strictEqual(found.length, 50)
        const [table] = yield* sql<{ readonly pages: number }>`
          SELECT relpages AS pages FROM pg_class WHERE relname = 'customers'`
        // Along the phone and email indexes: two pages per customer found (100 of the table's 682).
        // Testing every customer against both lists reads the whole table on each lookup.
        assert.isBelow(pagesRead, table!.pages / 4, `pages of customers read: ${pagesRead} of ${table!.pages}`)
      }))
  })
})
