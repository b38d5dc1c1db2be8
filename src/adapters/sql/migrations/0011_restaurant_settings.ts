import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Issue 20: the restaurant's own settings, first its time zone (the voice AI books in it instead
 * of a zone each request names), and the formula of an offer (its steps, each a choice among
 * eligible menu items, and its price), which the marketplaces publish as a bundle.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE restaurant_settings (
      restaurant_id text PRIMARY KEY,
      timezone text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`ALTER TABLE offers ADD COLUMN steps jsonb NOT NULL DEFAULT '[]'::jsonb, ADD COLUMN price numeric(12,2)`
})
