import { describe, expect, it } from "@effect/vitest"
import { newEntity, patchedEntity } from "../../src/domain/versioning.js"

interface Row {
  readonly id: string
  readonly name: string
  readonly notes: string | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly version?: number
}

const t0 = "2030-01-01T00:00:00.000Z"
const t1 = "2030-01-02T00:00:00.000Z"

describe("entity versioning (R-2.4)", () => {
  it("a new entity starts at version 1 when versioned, with no version otherwise", () => {
    expect(newEntity<Row>({ name: "a", notes: null }, "id-1", t0, true)).toEqual({
      id: "id-1",
      name: "a",
      notes: null,
      createdAt: t0,
      updatedAt: t0,
      version: 1
    })
    expect(newEntity<Row>({ name: "a", notes: null }, "id-1", t0, false)).not.toHaveProperty("version")
  })

  it("a patch counts as one change, and clears with null, not with undefined", () => {
    const row = newEntity<Row>({ name: "a", notes: "window" }, "id-1", t0, true)
    const { changes, entity } = patchedEntity(row, { name: "b", notes: undefined }, t1, true)
    expect(changes).toEqual({ name: "b" })
    expect(entity).toEqual({ ...row, name: "b", updatedAt: t1, version: 2 })
    expect(patchedEntity(row, { notes: null }, t1, true).entity.notes).toBeNull()
  })

  it("a patch that says nothing changes nothing: neither the time nor the version", () => {
    const row = newEntity<Row>({ name: "a", notes: null }, "id-1", t0, true)
    expect(patchedEntity(row, { name: undefined }, t1, true)).toEqual({ changes: undefined, entity: row })
  })

  it("an unversioned entity only moves its time", () => {
    const row = newEntity<Row>({ name: "a", notes: null }, "id-1", t0, false)
    expect(patchedEntity(row, { name: "b" }, t1, false).entity).toEqual({ ...row, name: "b", updatedAt: t1 })
  })
})
