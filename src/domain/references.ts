import type { EntityType } from "./ids.js"

/** A field of an entity that points at other entities of the same restaurant. */
export interface Reference {
  readonly field: string
  readonly entityType: EntityType
  readonly ids: ReadonlyArray<string>
}

type Fields = Readonly<Record<string, unknown>>

const one = (field: string, entityType: EntityType, value: unknown): ReadonlyArray<Reference> =>
  typeof value === "string" ? [{ field, entityType, ids: [value] }] : []

const many = (field: string, entityType: EntityType, value: unknown): ReadonlyArray<Reference> =>
  Array.isArray(value) && value.length > 0
    ? [{ field, entityType, ids: value.filter((v): v is string => typeof v === "string") }]
    : []

/** Every reference that a create or patch of `entityType` sets, so they can be checked at once. */
export const referencesOf = (entityType: EntityType, fields: Fields): ReadonlyArray<Reference> => {
  switch (entityType) {
    case "reservation":
      return [
        ...one("customerId", "customer", fields.customerId),
        ...one("serviceId", "dining_service", fields.serviceId),
        ...one("offerId", "offer", fields.offerId),
        ...one("diningRoomId", "dining_room", fields.diningRoomId),
        ...many("tableIds", "table", fields.tableIds)
      ]
    case "order": {
      const items = Array.isArray(fields.items) ? (fields.items as ReadonlyArray<Fields>) : []
      return [
        ...one("customerId", "customer", fields.customerId),
        ...many("items", "menu_item", items.map((item) => item.menuItemId).filter((id) => typeof id === "string"))
      ]
    }
    case "table":
      return one("diningRoomId", "dining_room", fields.diningRoomId)
    case "offer": {
      const steps = Array.isArray(fields.steps) ? (fields.steps as ReadonlyArray<Fields>) : []
      return [
        ...one("menuItemId", "menu_item", fields.menuItemId),
        ...many("steps", "menu_item", steps.flatMap((step) => Array.isArray(step.menuItemIds) ? step.menuItemIds : []))
      ]
    }
    case "dining_service":
      return many("diningRoomIds", "dining_room", fields.diningRoomIds)
    default:
      return []
  }
}
