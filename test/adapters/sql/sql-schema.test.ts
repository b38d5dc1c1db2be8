import * as SqlClient from "@effect/sql/SqlClient"
import * as Upstream from "@effect/sql/SqlSchema"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Schema } from "effect"
import * as SqlSchema from "../../../src/adapters/sql/sql-schema.js"
import { TestDatabaseLive } from "../../support/database.js"

const Row = Schema.Struct({
  id: Schema.Number,
  name: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("full_name")),
  tags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})

const queries = (rows: ReadonlyArray<unknown>) => {
  const options = { Request: Schema.Number, Result: Row, execute: () => Effect.succeed(rows) }
  return {
    ours: [SqlSchema.findAll(options), SqlSchema.findOne(options), SqlSchema.single(options)] as const,
    theirs: [Upstream.findAll(options), Upstream.findOne(options), Upstream.single(options)] as const
  }
}

const exits = (rows: ReadonlyArray<unknown>) =>
  Effect.gen(function*() {
    const { ours, theirs } = queries(rows)
    const run = (query: (request: number) => Effect.Effect<unknown, unknown>) => Effect.exit(query(1))
    return {
      ours: yield* Effect.all(ours.map(run)),
      theirs: yield* Effect.all(theirs.map(run))
    }
  })

describe("SqlSchema with rows decoded by the fast decoder", () => {
  it.effect("answers as @effect/sql's SqlSchema does, for rows, no row and a row that does not decode", () =>
    Effect.gen(function*() {
      const cases = [
        [{ id: 1, full_name: "Ana", extra: true }, { id: 2, full_name: "Bo", tags: ["vip"] }],
        [],
        [{ id: "1", full_name: "Ana" }]
      ]
      for (const rows of cases) {
        const { ours, theirs } = yield* exits(rows)
        assert.deepStrictEqual(ours.map(Exit.isSuccess), theirs.map(Exit.isSuccess))
        ours.forEach((exit, i) => {
          const other = theirs[i]!
          if (Exit.isSuccess(exit) && Exit.isSuccess(other)) assert.deepStrictEqual(exit.value, other.value)
          else assert.strictEqual(String(exit), String(other))
        })
      }
      const { ours } = yield* exits(cases[0]!)
      assert.deepStrictEqual(Exit.isSuccess(ours[0]!) && ours[0].value, [
        { id: 1, name: "Ana", tags: [] },
        { id: 2, name: "Bo", tags: ["vip"] }
      ])
    }))
})

class CallerOnly extends Context.Tag("CallerOnly")<CallerOnly, string>() {}

describe("a statement in a context of its own", () => {
  it.scoped("runs in its caller's transaction, and sees nothing else of the caller's context", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE notes_kept (body text)`
      const insert = SqlSchema.void({
        Request: Schema.String,
        execute: (body) => sql`INSERT INTO notes_kept (body) VALUES (${body})`
      })
      const count = SqlSchema.single({
        Request: Schema.Void,
        Result: Schema.Struct({ n: Schema.Number }),
        execute: () => sql`SELECT count(*)::int AS n FROM notes_kept`
      })
      // Rolled back: had the insert left the transaction for a connection of its own, it would stay.
      const rolledBack = yield* Effect.exit(sql.withTransaction(
        Effect.zipRight(insert("in the transaction"), Effect.fail("undo"))
      ))
      assert.isTrue(Exit.isFailure(rolledBack))
      assert.strictEqual((yield* count(undefined)).n, 0)
      // Inside the transaction, the statement sees the transaction's own uncommitted row.
      const inside = yield* sql.withTransaction(Effect.zipRight(insert("kept"), count(undefined)))
      assert.strictEqual(inside.n, 1)
      const seen = yield* SqlSchema.findAll({
        Request: Schema.Void,
        Result: Schema.Struct({ caller: Schema.Boolean }),
        execute: () => Effect.map(Effect.serviceOption(CallerOnly), (caller) => [{ caller: caller._tag === "Some" }])
      })(undefined).pipe(Effect.provideService(CallerOnly, "x"))
      assert.deepStrictEqual(seen, [{ caller: false }])
    }).pipe(Effect.provide(TestDatabaseLive)))
})
