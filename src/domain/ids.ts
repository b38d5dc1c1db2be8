import { Schema } from "effect"

const uuid = <B extends string>(brand: B) => Schema.UUID.pipe(Schema.brand(brand))

export const ReservationId = uuid("ReservationId")
export type ReservationId = typeof ReservationId.Type
export const OrderId = uuid("OrderId")
export type OrderId = typeof OrderId.Type
export const MenuItemId = uuid("MenuItemId")
export type MenuItemId = typeof MenuItemId.Type
export const OfferId = uuid("OfferId")
export type OfferId = typeof OfferId.Type
export const DiningTableId = uuid("DiningTableId")
export type DiningTableId = typeof DiningTableId.Type
export const DiningRoomId = uuid("DiningRoomId")
export type DiningRoomId = typeof DiningRoomId.Type
export const DiningServiceId = uuid("DiningServiceId")
export type DiningServiceId = typeof DiningServiceId.Type
export const CustomerId = uuid("CustomerId")
export type CustomerId = typeof CustomerId.Type
export const PlatformConfigId = uuid("PlatformConfigId")
export type PlatformConfigId = typeof PlatformConfigId.Type

/** The restaurant as the main AlloResto app names it (opaque to this service). */
export const RestaurantId = Schema.Trim.pipe(
  Schema.nonEmptyString(),
  Schema.maxLength(100),
  Schema.brand("RestaurantId")
)
export type RestaurantId = typeof RestaurantId.Type

/** An id on a platform: never mixed up with a local id. */
export const ExternalId = Schema.String.pipe(Schema.nonEmptyString(), Schema.maxLength(255), Schema.brand("ExternalId"))
export type ExternalId = typeof ExternalId.Type

export const Platform = Schema.Literal("zenchef", "thefork", "sevenrooms", "ubereats", "deliveroo")
export type Platform = typeof Platform.Type
export const platforms: ReadonlyArray<Platform> = Platform.literals

export const EntityType = Schema.Literal(
  "reservation",
  "order",
  "menu_item",
  "offer",
  "table",
  "dining_room",
  "dining_service",
  "customer"
)
export type EntityType = typeof EntityType.Type
export const entityTypes: ReadonlyArray<EntityType> = EntityType.literals
