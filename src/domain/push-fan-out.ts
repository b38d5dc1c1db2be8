import type { EntityType, Platform } from "./ids.js"

/** A local change to push: a record of one type, of one restaurant. */
export interface LocalChange {
  readonly restaurantId: string
  readonly entityType: EntityType
}

/** The part of a platform's config the fan-out reads. */
export interface PushSubscription {
  readonly restaurantId: string
  readonly platform: Platform
  readonly isActive: boolean
  readonly syncEntities: ReadonlyArray<EntityType>
}

/**
 * The entity types a push of this type carries. A menu is uploaded whole, its offers published in
 * it as bundles (issue 20, item 2): the menu's push goes to a config that syncs either.
 */
export const typesCarriedBy = (entityType: EntityType): ReadonlyArray<EntityType> =>
  isMenuPart(entityType) ? ["menu_item", "offer"] : [entityType]

/** Menu items and offers are pushed as their restaurant's whole menu, not one by one. */
export const isMenuPart = (entityType: EntityType) => entityType === "menu_item" || entityType === "offer"

/** A config that syncs menu items or offers takes the restaurant's whole menu. */
export const takesMenu = (config: Pick<PushSubscription, "syncEntities">): boolean =>
  typesCarriedBy("menu_item").some((type) => config.syncEntities.includes(type))

/**
 * the configs a local change goes to: those of its restaurant, active, that sync one of
 * the entity types its push carries. Stated as the values a config must hold, so that a store
 * can also select by them.
 */
export const pushAudience = (change: LocalChange) =>
  ({ restaurantId: change.restaurantId, ...pushSubscribersOf(change.entityType) }) as const

/** What a config of the change's restaurant must hold to get its push (see `pushAudience`). */
export const pushSubscribersOf = (entityType: EntityType) =>
  ({ isActive: true, syncsAnyOf: typesCarriedBy(entityType) }) as const

export const isPushTarget = (config: PushSubscription, change: LocalChange): boolean => {
  const audience = pushAudience(change)
  return config.restaurantId === audience.restaurantId && config.isActive === audience.isActive &&
    audience.syncsAnyOf.some((type) => config.syncEntities.includes(type))
}

/** the platforms that get a push for this change, in the order of the configs given. */
export const pushTargets = (configs: ReadonlyArray<PushSubscription>, change: LocalChange): ReadonlyArray<Platform> =>
  configs.filter((config) => isPushTarget(config, change)).map((config) => config.platform)

/**
 * A change a platform made reaches the restaurant's other platforms that hold the record (a guest
 * who cancels on Zenchef frees the table on TheFork too), never the sender, and never one that
 * does not hold it: a platform's booking is not copied to another by its first change. The menu
 * is the restaurant's, uploaded whole to every platform that takes it: each of them holds it.
 */
export const relayTargets = (
  configs: ReadonlyArray<PushSubscription>,
  change: LocalChange,
  holders: ReadonlySet<Platform>,
  from: Platform
): ReadonlyArray<Platform> =>
  pushTargets(configs, change).filter((platform) =>
    platform !== from && (holdsEveryRecord(change.entityType) || holders.has(platform))
  )

/** Whether every platform a push of this type goes to holds its record (see `relayTargets`). */
export const holdsEveryRecord = (entityType: EntityType): boolean => isMenuPart(entityType)
