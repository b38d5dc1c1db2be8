import * as Upstream from "@effect/sql/SqlSchema"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import * as SqlSchema from "../../../src/adapters/sql/sql-schema.js"

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
