import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { matchByName, normalizeName, tableCapacityCompatible } from "../../src/domain/backfill-matching.js"

interface Named {
  readonly id: string
  readonly name: string
}
const byName = { localName: (l: Named) => l.name, remoteName: (r: Named) => r.name }
const ids = (xs: ReadonlyArray<{ readonly id: string }>) => xs.map((x) => x.id)

describe("normalizeName (R-10.1)", () => {
  it.each([
    ["Salle Principale", "salle principale"],
    ["  SALLE   principale ", "salle principale"],
    ["Salle-Principale", "salle principale"],
    ["Été, terrasse!", "ete terrasse"],
    ["Dîner (service 2)", "diner service 2"],
    ["Ça'Vá", "ca va"],
    ["---", ""]
  ])("%j → %j", (name, expected) => {
    expect(normalizeName(name)).toBe(expected)
  })

  it.prop("is idempotent and yields only lower-case words separated by single spaces", [FastCheck.string()], ([s]) => {
    const n = normalizeName(s)
    expect(normalizeName(n)).toBe(n)
    expect(n).toBe(n.trim())
    expect(n).not.toMatch(/ {2}|\p{M}|[A-Z]/u)
  })
})

describe("matchByName (R-10.1)", () => {
  it("matches \"Salle Principale\" with \"salle principale\" and reports the rest as unmatched", () => {
    const result = matchByName(
      [{ id: "l1", name: "Salle Principale" }, { id: "l2", name: "Terrasse" }],
      [{ id: "r1", name: "salle principale" }, { id: "r2", name: "Bar" }],
      byName
    )
    expect(result.matched.map((m) => [m.local.id, m.remote.id])).toEqual([["l1", "r1"]])
    expect(ids(result.unmatchedLocal)).toEqual(["l2"])
    expect(ids(result.unmatchedRemote)).toEqual(["r2"])
    expect(result.ambiguous).toEqual([])
  })

  it("reports two candidates for one name as ambiguous, never guessing", () => {
    const result = matchByName(
      [{ id: "l1", name: "Terrasse" }],
      [{ id: "r1", name: "terrasse" }, { id: "r2", name: "TERRASSE" }],
      byName
    )
    expect(result.matched).toEqual([])
    expect(result.ambiguous.map((a) => [a.local.id, ids(a.candidates)])).toEqual([["l1", ["r1", "r2"]]])
    expect(result.unmatchedLocal).toEqual([])
    expect(result.unmatchedRemote).toEqual([])
  })

  it("reports two locals claiming one remote as ambiguous, linking neither", () => {
    const result = matchByName(
      [{ id: "l1", name: "Bar" }, { id: "l2", name: "bar" }],
      [{ id: "r1", name: "Bar" }],
      byName
    )
    expect(result.matched).toEqual([])
    expect(result.ambiguous.map((a) => [a.local.id, ids(a.candidates)])).toEqual([["l1", ["r1"]], ["l2", ["r1"]]])
  })

  it("never matches names that normalize to nothing", () => {
    const result = matchByName([{ id: "l1", name: "--" }], [{ id: "r1", name: "!!" }], byName)
    expect(ids(result.unmatchedLocal)).toEqual(["l1"])
    expect(ids(result.unmatchedRemote)).toEqual(["r1"])
  })

  it("uses capacity to tell same-named tables apart", () => {
    type Table = { id: string; label: string; seats: number; minSeats?: number }
    const options = {
      localName: (t: Table) => t.label,
      remoteName: (t: Table) => t.label,
      compatible: tableCapacityCompatible
    }
    const remotes: Array<Table> = [{ id: "r1", label: "T1", seats: 2 }, {
      id: "r2",
      label: "T1",
      seats: 6,
      minSeats: 4
    }]
    const four = matchByName([{ id: "l1", label: "t1", seats: 4 }], remotes, options)
    expect(four.matched.map((m) => [m.local.id, m.remote.id])).toEqual([["l1", "r2"]])
    expect(ids(four.unmatchedRemote)).toEqual(["r1"])
    const three = matchByName([{ id: "l1", label: "T1", seats: 3 }], remotes, options)
    expect(ids(three.unmatchedLocal)).toEqual(["l1"])
    expect(three.matched).toEqual([])
  })

  it("fits a table within the platform's [minSeats, seats], exactly when no minimum is given", () => {
    expect(tableCapacityCompatible({ seats: 4 }, { seats: 4 })).toBe(true)
    expect(tableCapacityCompatible({ seats: 3 }, { seats: 4 })).toBe(false)
    expect(tableCapacityCompatible({ seats: 2 }, { seats: 4, minSeats: 2 })).toBe(true)
    expect(tableCapacityCompatible({ seats: 1 }, { seats: 4, minSeats: 2 })).toBe(false)
    expect(tableCapacityCompatible({ seats: 5 }, { seats: 4, minSeats: 2 })).toBe(false)
  })

  const names = FastCheck.constantFrom("Salle", "salle", "SALLE ", "Terrasse", "terrassé", "Bar", "Patio", "--")
  const items = (prefix: string) =>
    FastCheck.array(names, { maxLength: 6 }).map((ns) => ns.map((name, i) => ({ id: `${prefix}${i}`, name })))

  it.prop("sorts every item into exactly one list and links only same-named, uncontested pairs", [
    items("l"),
    items("r")
  ], ([locals, remotes]) => {
    const result = matchByName(locals, remotes, byName)
    const localIds = [
      ...result.matched.map((m) => m.local.id),
      ...ids(result.unmatchedLocal),
      ...result.ambiguous.map((a) => a.local.id)
    ]
    expect(localIds.sort()).toEqual(ids(locals).sort())
    const linked = result.matched.map((m) => m.remote.id)
    expect(new Set(linked).size).toBe(linked.length)
    const contested = result.ambiguous.flatMap((a) => ids(a.candidates))
    expect([...new Set([...linked, ...contested, ...ids(result.unmatchedRemote)])].sort()).toEqual(ids(remotes).sort())
    expect(ids(result.unmatchedRemote).filter((id) => linked.includes(id) || contested.includes(id))).toEqual([])
    for (const { local, remote } of result.matched) {
      expect(normalizeName(local.name)).toBe(normalizeName(remote.name))
      expect(remotes.filter((r) => normalizeName(r.name) === normalizeName(local.name))).toHaveLength(1)
      expect(locals.filter((l) => normalizeName(l.name) === normalizeName(local.name))).toHaveLength(1)
    }
  })
})
