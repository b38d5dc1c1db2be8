import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { EntityType, Platform } from "../../src/domain/ids.js"
import {
  isPushTarget,
  pushAudience,
  type PushSubscription,
  pushTargets,
  relayTargets,
  takesMenu
} from "../../src/domain/push-fan-out.js"

const config = (platform: PushSubscription["platform"], fields: Partial<PushSubscription> = {}): PushSubscription => ({
  restaurantId: "resto-1",
  platform,
  isActive: true,
  syncEntities: ["reservation"],
  ...fields
})

describe("pushTargets (R-5.1)", () => {
  it("every active config of the restaurant that syncs the entity type, in the order given", () => {
    const configs = [
      config("zenchef"),
      config("thefork", { isActive: false }),
      config("sevenrooms", { restaurantId: "resto-2" }),
      config("ubereats", { syncEntities: ["menu_item", "order"] }),
      config("deliveroo", { syncEntities: ["menu_item", "reservation"] })
    ]
    expect(pushTargets(configs, { restaurantId: "resto-1", entityType: "reservation" })).toEqual([
      "zenchef",
      "deliveroo"
    ])
    expect(pushTargets(configs, { restaurantId: "resto-1", entityType: "menu_item" })).toEqual([
      "ubereats",
      "deliveroo"
    ])
    expect(pushTargets(configs, { restaurantId: "resto-3", entityType: "reservation" })).toEqual([])
  })

  it("a menu's push (items and offers together) goes to a config that syncs offers only (issue 20, item 6)", () => {
    const configs = [config("ubereats", { syncEntities: ["offer"] }), config("zenchef")]
    expect(pushTargets(configs, { restaurantId: "resto-1", entityType: "menu_item" })).toEqual(["ubereats"])
    expect(pushTargets(configs, { restaurantId: "resto-1", entityType: "offer" })).toEqual(["ubereats"])
    expect(pushTargets(configs, { restaurantId: "resto-1", entityType: "customer" })).toEqual([])
  })

  it.prop(
    "a config is a target exactly when it holds the audience's values",
    {
      platform: Platform,
      isActive: Schema.Boolean,
      syncEntities: Schema.Array(EntityType),
      entityType: EntityType,
      same: Schema.Boolean
    },
    ({ entityType, isActive, platform, same, syncEntities }) => {
      const change = { restaurantId: "resto-1", entityType }
      const subscription = { restaurantId: same ? "resto-1" : "resto-2", platform, isActive, syncEntities }
      const audience = pushAudience(change)
      expect(isPushTarget(subscription, change)).toBe(
        subscription.restaurantId === audience.restaurantId && isActive === audience.isActive &&
          audience.syncsAnyOf.some((type) => syncEntities.includes(type))
      )
    }
  )
})

describe("relayTargets (a platform's change passed on)", () => {
  const change = { restaurantId: "resto-1", entityType: "reservation" } as const
  const configs = [
    config("zenchef"),
    config("thefork"),
    config("sevenrooms"),
    config("ubereats", { syncEntities: ["order"] })
  ]

  it("is the push's targets that hold the record, the sender excepted", () => {
    expect(relayTargets(configs, change, new Set(["zenchef", "thefork", "ubereats"]), "zenchef")).toEqual(["thefork"])
    expect(relayTargets(configs, change, new Set(["zenchef"]), "zenchef")).toEqual([])
    expect(relayTargets(configs, change, new Set(["thefork", "sevenrooms"]), "zenchef")).toEqual([
      "thefork",
      "sevenrooms"
    ])
  })

  it("leaves out an inactive config even when its platform holds the record", () => {
    const paused = [config("zenchef"), config("thefork", { isActive: false })]
    expect(relayTargets(paused, change, new Set(["zenchef", "thefork"]), "zenchef")).toEqual([])
  })

  it("passes a menu on to every other platform that takes it: the restaurant's menu is on each", () => {
    const marketplaces = [
      config("ubereats", { syncEntities: ["menu_item"] }),
      config("deliveroo", { syncEntities: ["offer", "order"] }),
      config("zenchef")
    ]
    const menu = { restaurantId: "resto-1", entityType: "menu_item" } as const
    expect(relayTargets(marketplaces, menu, new Set(), "ubereats")).toEqual(["deliveroo"])
    expect(relayTargets(marketplaces, { ...menu, entityType: "offer" }, new Set(), "deliveroo")).toEqual(["ubereats"])
  })

  it("takesMenu: a config syncing menu items or offers", () => {
    expect(takesMenu({ syncEntities: ["offer"] })).toBe(true)
    expect(takesMenu({ syncEntities: ["menu_item", "order"] })).toBe(true)
    expect(takesMenu({ syncEntities: ["order", "reservation"] })).toBe(false)
  })
})
