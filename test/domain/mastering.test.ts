import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ReservationSource } from "../../src/domain/entities.js"
import { EntityType, type EntityType as EntityTypeT, entityTypes, Platform, platforms } from "../../src/domain/ids.js"
import {
  entityMaster,
  isMaster,
  isRestaurantFact,
  type MasteringConfig,
  mastersMenu,
  pushSkip,
  reservationMaster
} from "../../src/domain/mastering.js"
import { LocalChannel, ReservationStatus, terminalReservationStatuses } from "../../src/domain/status.js"

const config = { platform: Platform, masterFor: Schema.Array(EntityType) }
const zenchef = (...masterFor: Array<EntityTypeT>): MasteringConfig => ({ platform: "zenchef", masterFor })

describe("entityMaster (R-7.1)", () => {
  it.each(
    [
      { entityType: "reservation", config: zenchef(), master: "self" },
      { entityType: "menu_item", config: zenchef(), master: "self" },
      { entityType: "reservation", config: zenchef("reservation"), master: "zenchef" },
      { entityType: "menu_item", config: zenchef("reservation"), master: "self" },
      {
        entityType: "menu_item",
        config: { platform: "ubereats", masterFor: ["menu_item", "order"] },
        master: "ubereats"
      },
      { entityType: "order", config: { platform: "ubereats", masterFor: ["menu_item", "order"] }, master: "ubereats" },
      { entityType: "customer", config: { platform: "ubereats", masterFor: ["menu_item", "order"] }, master: "self" },
      { entityType: "table", config: { platform: "thefork", masterFor: ["table", "dining_room"] }, master: "thefork" }
    ] as const
  )("$entityType with $config.platform master of [$config.masterFor] → $master", ({ config, entityType, master }) => {
    expect(entityMaster(entityType, config)).toBe(master)
  })

  it.prop("is the platform exactly for the listed types, self for all others", config, ({ platform, masterFor }) => {
    for (const entityType of entityTypes) {
      expect(entityMaster(entityType, { platform, masterFor })).toBe(masterFor.includes(entityType) ? platform : "self")
    }
  })
})

describe("reservationMaster (R-7.2)", () => {
  it.prop(
    "seated, completed and no_show are always self, whatever the source or config",
    { status: Schema.Literal(...terminalReservationStatuses), source: ReservationSource, ...config },
    ({ status, source, platform, masterFor }) => {
      expect(reservationMaster({ status, source }, { platform, masterFor })).toBe("self")
    }
  )

  const live = Schema.Literal("pending", "confirmed", "cancelled")

  it.prop(
    "a live booking born on a platform belongs to that platform, even when another one is asked",
    { status: live, source: Platform, ...config },
    ({ status, source, platform, masterFor }) => {
      expect(reservationMaster({ status, source }, { platform, masterFor })).toBe(source)
    }
  )

  it.prop(
    "a live booking born locally follows master_for",
    { status: live, source: LocalChannel, ...config },
    ({ status, source, platform, masterFor }) => {
      const expected = masterFor.includes("reservation") ? platform : "self"
      expect(reservationMaster({ status, source }, { platform, masterFor })).toBe(expected)
    }
  )

  it("covers every status: only the three terminal ones are forced to self", () => {
    const forced = ReservationStatus.literals.filter(
      (status) => reservationMaster({ status, source: "zenchef" }, zenchef()) === "self"
    )
    expect(forced).toEqual(["seated", "completed", "no_show"])
  })
})

describe("isMaster", () => {
  it("is true only for the platform named as master", () => {
    for (const platform of platforms) {
      expect(isMaster("self", platform)).toBe(false)
      expect(platforms.filter((master) => isMaster(master, platform))).toEqual([platform])
    }
  })
})

describe("mastersMenu (R-7.1, the whole menu)", () => {
  it("a platform master of the menu's items or of its offers keeps the menu", () => {
    expect(mastersMenu({ platform: "ubereats", masterFor: ["menu_item"] })).toBe(true)
    expect(mastersMenu({ platform: "ubereats", masterFor: ["offer"] })).toBe(true)
    expect(mastersMenu({ platform: "ubereats", masterFor: ["order", "reservation"] })).toBe(false)
    expect(mastersMenu({ platform: "ubereats", masterFor: [] })).toBe(false)
  })
})

describe("isRestaurantFact (issue 20, item 4)", () => {
  it("holds for a cancellation and a no-show only: those reach the booking's platform whoever is master", () => {
    expect(ReservationStatus.literals.filter(isRestaurantFact)).toEqual(["cancelled", "no_show"])
  })
})

describe("pushSkip (R-5.2)", () => {
  const booking = (
    source: "phone" | "ai" | "zenchef" | "thefork",
    status: "confirmed" | "cancelled" = "confirmed"
  ) => ({
    source,
    status
  })

  it.each(
    [
      // Born here, Zenchef master of reservations: created there once, then Zenchef's word is kept.
      { booking: booking("phone"), config: zenchef("reservation"), held: false, skip: undefined },
      { booking: booking("ai"), config: zenchef("reservation"), held: false, skip: undefined },
      { booking: booking("phone"), config: zenchef("reservation"), held: true, skip: "platform_is_master" },
      // Nobody master: every change is pushed.
      { booking: booking("phone"), config: zenchef(), held: true, skip: undefined },
      // Born on Zenchef: Zenchef owns it, held or not (no second booking made there).
      { booking: booking("zenchef"), config: zenchef(), held: true, skip: "platform_is_master" },
      { booking: booking("zenchef"), config: zenchef(), held: false, skip: "platform_is_master" },
      // Born on TheFork: Zenchef, which holds it, is told; one that never had it gets no copy.
      { booking: booking("thefork"), config: zenchef("reservation"), held: true, skip: undefined },
      { booking: booking("thefork"), config: zenchef(), held: false, skip: "born_elsewhere" },
      { booking: booking("thefork", "cancelled"), config: zenchef(), held: false, skip: "born_elsewhere" },
      // A cancellation is the restaurant's fact: always told where the booking is.
      { booking: booking("zenchef", "cancelled"), config: zenchef(), held: true, skip: undefined },
      { booking: booking("phone", "cancelled"), config: zenchef("reservation"), held: true, skip: undefined }
    ] as const
  )(
    "$booking.source $booking.status, master of [$config.masterFor], held $held → $skip",
    ({ booking, config, held, skip }) => {
      expect(pushSkip(booking, config, held)).toBe(skip)
    }
  )

  it.prop(
    "a live booking born locally is never skipped before the platform holds it",
    { status: Schema.Literal("pending", "confirmed"), source: LocalChannel, ...config },
    ({ status, source, platform, masterFor }) => {
      expect(pushSkip({ status, source }, { platform, masterFor }, false)).toBeUndefined()
    }
  )
})
