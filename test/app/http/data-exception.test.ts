import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { dataExceptionMessage } from "../../../src/app/http/error-responses.js"

const refused = (code: string) => dataExceptionMessage(new SqlError({ cause: { code }, message: "refused" }))

describe("a value PostgreSQL refused", () => {
  it("is named by its kind, as far as the SQLSTATE tells", () => {
    expect([refused("22021"), refused("22P05")]).toEqual([
      "a value contains characters that cannot be stored",
      "a value contains characters that cannot be stored"
    ])
    expect([refused("22007"), refused("22008")]).toEqual([
      "a date or time is outside what can be stored",
      "a date or time is outside what can be stored"
    ])
    expect(refused("22003")).toBe("a number is outside what can be stored")
    expect(refused("22001")).toBe("a value cannot be stored as given")
  })

  it("is not the caller's error when the database itself failed", () => {
    expect([refused("08006"), refused("57P01"), refused("")]).toEqual([undefined, undefined, undefined])
  })
})
