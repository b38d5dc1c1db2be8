import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Amounts were `numeric(12,2)`, which rounds silently: a price of 12.345 came back 12.35, and a
 * Kuwaiti dinar total from a delivery platform (three decimals) lost its last one. Four decimals
 * hold every ISO 4217 currency's minor unit, and `Money` refuses finer amounts before they are
 * written, so what is stored is what was given.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE dining_services ALTER COLUMN prepayment_amount TYPE numeric(16,4)`
  yield* sql`ALTER TABLE menu_items ALTER COLUMN price TYPE numeric(16,4)`
  yield* sql`ALTER TABLE offers ALTER COLUMN prepayment_amount TYPE numeric(16,4), ALTER COLUMN price TYPE numeric(16,4)`
  yield* sql`ALTER TABLE orders ALTER COLUMN total TYPE numeric(16,4)`
})
