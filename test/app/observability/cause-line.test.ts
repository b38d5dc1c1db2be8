import { SqlError } from "@effect/sql/SqlError"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, FiberId } from "effect"
import { causeLine } from "../../../src/app/observability/cause-line.js"

class Refused extends Data.TaggedError("Refused")<{ readonly message: string }> {}

describe("causeLine", () => {
  it("gives a wrapped database error's own reason, on one line, without its detail", () => {
    const pg = Object.assign(
      new Error("insert or update on table \"reservations\" violates foreign key constraint \"fk_room\""),
      { detail: "Key (dining_room_id)=(4b1c) is not present in table \"dining_rooms\"." }
    )
    const line = causeLine(Cause.die(new SqlError({ cause: pg, message: "Failed to execute statement" })))
    assert.strictEqual(
      line,
      "SqlError: Failed to execute statement (insert or update on table \"reservations\" violates foreign key constraint \"fk_room\")"
    )
  })

  it("keeps the first line of a multi-line message and names a tagged failure", () => {
    assert.strictEqual(causeLine(Cause.fail(new Refused({ message: "no\nsecond line" }))), "Refused: no")
    assert.strictEqual(causeLine(Cause.interrupt(FiberId.none)), "interrupted")
  })
})
