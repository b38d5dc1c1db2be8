import { describe, expect, it } from "@effect/vitest"
import { unionAllergies } from "../../src/domain/conflict.js"
import { tagKey } from "../../src/domain/normalize.js"
import { allergies } from "./arbitraries.js"

const keys = (tags: ReadonlyArray<string>) => new Set(tags.map(tagKey).filter((key) => key !== ""))

describe("unionAllergies (R-7.3)", () => {
  it("keeps first-seen order and spelling, trimmed, blanks dropped", () => {
    expect(
      unionAllergies([" Gluten ", "peanuts", ""], ["gluten", "PEANUTS", "  ", "sesame", "Tree  Nuts", "tree nuts"])
    )
      .toEqual(["Gluten", "peanuts", "sesame", "Tree  Nuts"])
  })

  it.prop("never loses an allergy from either side", [allergies, allergies], ([a, b]) => {
    const union = keys(unionAllergies(a, b))
    for (const key of [...keys(a), ...keys(b)]) expect(union).toContain(key)
  })

  it.prop("adds nothing that neither side had", [allergies, allergies], ([a, b]) => {
    const known = new Set([...keys(a), ...keys(b)])
    for (const tag of unionAllergies(a, b)) expect(known).toContain(tagKey(tag))
  })

  it.prop("is commutative as a set", [allergies, allergies], ([a, b]) => {
    expect(keys(unionAllergies(a, b))).toEqual(keys(unionAllergies(b, a)))
  })

  it.prop("is associative", [allergies, allergies, allergies], ([a, b, c]) => {
    expect(unionAllergies(unionAllergies(a, b), c)).toEqual(unionAllergies(a, unionAllergies(b, c)))
  })

  it.prop("is idempotent", [allergies, allergies], ([a, b]) => {
    const union = unionAllergies(a, b)
    expect(unionAllergies(a, a)).toEqual(unionAllergies(a, []))
    expect(unionAllergies(union, union)).toEqual(union)
    expect(unionAllergies(union, a)).toEqual(union)
  })

  it.prop("holds each allergy once, trimmed and non-empty", [allergies, allergies], ([a, b]) => {
    const union = unionAllergies(a, b)
    expect(new Set(union.map(tagKey)).size).toBe(union.length)
    for (const tag of union) {
      expect(tag).toBe(tag.trim())
      expect(tag).not.toBe("")
    }
  })
})
