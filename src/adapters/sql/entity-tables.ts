import type { Schema } from "effect"
import * as E from "../../domain/entities.js"
import type { EntityType } from "../../domain/ids.js"

/** How one entity is stored: its table, the Schema its rows decode with, its jsonb and instant fields. */
export interface EntityTable<A, I = unknown> {
  readonly entityType: EntityType
  readonly table: string
  /** Decodes a row (camelCase) into the entity. */
  readonly schema: Schema.Schema<A, I>
  /** Fields stored as jsonb (arrays and objects). */
  readonly jsonFields: ReadonlyArray<string>
  /** Reservations and orders count their changes. */
  readonly versioned: boolean
  /** timestamptz fields besides createdAt and updatedAt. */
  readonly instantFields?: ReadonlyArray<string>
}

/** Where each entity lives, and which of its fields are jsonb. Shared by SQL and memory adapters. */
export const entityTables = {
  diningService: {
    entityType: "dining_service",
    table: "dining_services",
    schema: E.DiningService,
    jsonFields: ["dayOfWeek", "diningRoomIds"],
    versioned: false
  },
  offer: { entityType: "offer", table: "offers", schema: E.Offer, jsonFields: ["steps"], versioned: false },
  diningRoom: {
    entityType: "dining_room",
    table: "dining_rooms",
    schema: E.DiningRoom,
    jsonFields: [],
    versioned: false
  },
  diningTable: { entityType: "table", table: "dining_tables", schema: E.DiningTable, jsonFields: [], versioned: false },
  menuItem: {
    entityType: "menu_item",
    table: "menu_items",
    schema: E.MenuItem,
    jsonFields: ["allergens", "options"],
    versioned: false
  },
  customer: {
    entityType: "customer",
    table: "customers",
    schema: E.Customer,
    jsonFields: ["allergies"],
    versioned: false
  },
  reservation: {
    entityType: "reservation",
    table: "reservations",
    schema: E.Reservation,
    jsonFields: ["allergies", "dietaryRestrictions", "tableIds"],
    instantFields: ["reservationTime"],
    versioned: true
  },
  order: {
    entityType: "order",
    table: "orders",
    schema: E.Order,
    jsonFields: ["items", "deliveryAddress"],
    instantFields: ["scheduledFor"],
    versioned: true
  }
} satisfies {
  readonly diningService: EntityTable<E.DiningService, typeof E.DiningService.Encoded>
  readonly offer: EntityTable<E.Offer, typeof E.Offer.Encoded>
  readonly diningRoom: EntityTable<E.DiningRoom, typeof E.DiningRoom.Encoded>
  readonly diningTable: EntityTable<E.DiningTable, typeof E.DiningTable.Encoded>
  readonly menuItem: EntityTable<E.MenuItem, typeof E.MenuItem.Encoded>
  readonly customer: EntityTable<E.Customer, typeof E.Customer.Encoded>
  readonly reservation: EntityTable<E.Reservation, typeof E.Reservation.Encoded>
  readonly order: EntityTable<E.Order, typeof E.Order.Encoded>
}
