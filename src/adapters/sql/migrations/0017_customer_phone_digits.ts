import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * A guest is matched by the digits of their phone (`phoneDigits`): `+33 6 12 34 56 78` from one
 * platform and `+33612345678` from another are one customer, with one history and one list of
 * allergies. The lookups go along this expression's index instead of the phone as written.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX customers_restaurant_phone_digits
    ON customers (restaurant_id, regexp_replace(phone, '[^0-9]', '', 'g'))`
  yield* sql`DROP INDEX customers_restaurant_phone`
})
