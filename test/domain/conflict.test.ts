import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { isDeepStrictEqual } from "node:util"
import { resolveConflict, unionAllergies } from "../../src/domain/conflict.js"
import type { Reservation } from "../../src/domain/entities.js"
import { Platform } from "../../src/domain/ids.js"
import type { Master } from "../../src/domain/mastering.js"
import { remoteArb, reservationArb } from "./arbitraries.js"

const master = FastCheck.constantFrom<Master>("self", ...Platform.literals)
const fieldsOf = (r: Reservation) => Object.keys(r) as Array<keyof Reservation>

describe("resolveConflict when the platform is master (R-7.3)", () => {
  it.prop("takes every field the remote defines and keeps every one it leaves undefined", [
    reservationArb,
    remoteArb,
    Platform
  ], ([local, remote, platform]) => {
    const { merged, winner } = resolveConflict({ local, remote, platform, master: platform })
    expect(winner).toBe("remote")
    for (const field of fieldsOf(local)) {
      if (field === "allergies") continue
      expect(merged[field]).toEqual(remote[field] === undefined ? local[field] : remote[field])
    }
  })

  it.prop(
    "never drops a known allergy: the result is the union of both sides",
    [reservationArb, remoteArb, Platform],
    ([local, remote, platform]) => {
      const { merged } = resolveConflict({ local, remote, platform, master: platform })
      expect(merged.allergies).toEqual(unionAllergies(local.allergies, remote.allergies ?? []))
    }
  )

  it("lets null clear a field and carries the link fields", () => {
    const local = {
      notes: "window seat" as string | null,
      serviceId: "s-1" as string | null,
      offerId: "o-1",
      diningRoomId: "r-1",
      tableIds: ["t-1"],
      partySize: 2
    }
    const { merged, changedFields } = resolveConflict({
      local,
      remote: {
        notes: null,
        serviceId: "s-2",
        offerId: "o-2",
        diningRoomId: "r-2",
        tableIds: ["t-2", "t-3"],
        partySize: undefined
      },
      platform: "zenchef",
      master: "zenchef"
    })
    expect(merged).toEqual({
      notes: null,
      serviceId: "s-2",
      offerId: "o-2",
      diningRoomId: "r-2",
      tableIds: ["t-2", "t-3"],
      partySize: 2
    })
    expect(changedFields).toEqual(["notes", "serviceId", "offerId", "diningRoomId", "tableIds"])
  })

  it("keeps a local allergy that a remote master leaves out, and says so", () => {
    const resolution = resolveConflict({
      local: { partySize: 2, allergies: ["peanuts"] },
      remote: { partySize: 4, allergies: [] },
      platform: "thefork",
      master: "thefork"
    })
    expect(resolution.merged).toEqual({ partySize: 4, allergies: ["peanuts"] })
    expect(resolution.description).toBe("thefork is master: took remote partySize; took allergy union (kept peanuts)")
  })
})

describe("resolveConflict when the platform is not master (R-7.3)", () => {
  const otherMaster = FastCheck.tuple(FastCheck.constantFrom(...Platform.literals), master)
    .filter(([platform, master]) => master !== platform)

  it.prop(
    "keeps every local field except allergies, which become the union",
    [reservationArb, remoteArb, otherMaster],
    ([local, remote, [platform, master]]) => {
      const { merged, winner, changedFields } = resolveConflict({ local, remote, platform, master })
      expect(winner).toBe("local")
      expect({ ...merged, allergies: local.allergies }).toEqual(local)
      expect(merged.allergies).toEqual(unionAllergies(local.allergies, remote.allergies ?? []))
      expect(changedFields.filter((field) => field !== "allergies")).toEqual([])
    }
  )

  it("describes what it kept and which allergies it added", () => {
    const { description, merged } = resolveConflict({
      local: { partySize: 2, notes: "a", allergies: ["peanuts"] },
      remote: { partySize: 4, notes: "b", allergies: ["Peanuts ", "gluten"] },
      platform: "zenchef",
      master: "self"
    })
    expect(merged.allergies).toEqual(["peanuts", "gluten"])
    expect(description).toBe("self is master: kept local partySize, notes; took allergy union (+gluten)")
  })

  it("names the other platform when it is master", () => {
    const { description } = resolveConflict({
      local: { partySize: 2 },
      remote: { partySize: 3 },
      platform: "zenchef",
      master: "thefork"
    })
    expect(description).toBe("thefork is master, not zenchef: kept local partySize")
  })
})

describe("resolveConflict changedFields", () => {
  it.prop("lists exactly the fields whose merged value differs from local", [
    reservationArb,
    remoteArb,
    Platform,
    master
  ], ([local, remote, platform, master]) => {
    const { merged, changedFields } = resolveConflict({ local, remote, platform, master })
    expect([...changedFields].sort()).toEqual(
      fieldsOf(merged).filter((field) => !isDeepStrictEqual(merged[field], local[field])).sort()
    )
  })

  it("sees equal arrays as unchanged", () => {
    const { changedFields } = resolveConflict({
      local: { tableIds: ["t-1", "t-2"], allergies: ["gluten"] },
      remote: { tableIds: ["t-1", "t-2"], allergies: ["gluten"] },
      platform: "zenchef",
      master: "zenchef"
    })
    expect(changedFields).toEqual([])
  })
})
