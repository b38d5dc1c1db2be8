import { describe, expect, it } from "@effect/vitest"
import { String } from "effect"
import { columnName, fieldName, remembered } from "../../../src/adapters/sql/names.js"

describe("row and statement names", () => {
  it("converts as effect's String does, both ways", () => {
    for (const field of ["id", "partySize", "restaurantId", "dietaryRestrictions", "nextAttemptAt"]) {
      expect(columnName(field)).toBe(String.camelToSnake(field))
      expect(fieldName(columnName(field))).toBe(field)
    }
    expect(fieldName("sync_status")).toBe("syncStatus")
  })

  it("converts each name once, and again only after the bound forgot it", () => {
    const seen: Array<string> = []
    const upper = remembered((name) => {
      seen.push(name)
      return name.toUpperCase()
    }, 3)
    expect([upper("a"), upper("b"), upper("a"), upper("b")]).toEqual(["A", "B", "A", "B"])
    expect(seen).toEqual(["a", "b"])
    // A fourth name past a bound of three: the remembered ones are dropped, never wrong.
    expect([upper("c"), upper("d"), upper("a")]).toEqual(["C", "D", "A"])
    expect(seen).toEqual(["a", "b", "c", "d", "a"])
  })
})
