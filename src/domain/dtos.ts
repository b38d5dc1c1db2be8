import { Schema } from "effect"
import { OrderItem } from "./entities.js"
import { Platform } from "./ids.js"
import { OrderStatus, OrderType, ReservationStatus } from "./status.js"

/**
 * The neutral shapes exchanged between the sync engine and the connectors. Every `*ExternalId`
 * holds an id of the target platform, never a local id: translation goes through the mappings.
 */
const optional = Schema.optional

export const ReservationSyncDTO = Schema.Struct({
  customerName: Schema.String,
  customerPhone: Schema.String,
  customerEmail: optional(Schema.String),
  partySize: Schema.Int,
  adults: optional(Schema.Int),
  children: optional(Schema.Int),
  /** ISO 8601 instant with offset. */
  reservationTime: Schema.String,
  durationMin: optional(Schema.Int),
  /** A link: undefined when the platform says nothing of it, null when it states there is none. */
  serviceExternalId: optional(Schema.NullOr(Schema.String)),
  diningRoomExternalId: optional(Schema.NullOr(Schema.String)),
  tableExternalIds: optional(Schema.Array(Schema.String)),
  offerExternalId: optional(Schema.NullOr(Schema.String)),
  status: optional(ReservationStatus),
  notes: optional(Schema.String),
  allergies: optional(Schema.Array(Schema.String)),
  dietaryRestrictions: optional(Schema.Array(Schema.String)),
  occasion: optional(Schema.String),
  /** Our local reservation id, carried by the platform so a retried create finds its booking. */
  externalReferenceId: optional(Schema.String)
})
export type ReservationSyncDTO = typeof ReservationSyncDTO.Type

export const AddressDTO = Schema.Struct({
  street: Schema.String,
  city: Schema.String,
  postalCode: Schema.String,
  country: optional(Schema.String),
  instructions: optional(Schema.String)
})

export const OrderSyncDTO = Schema.Struct({
  type: OrderType,
  status: OrderStatus,
  customerName: Schema.String,
  customerPhone: optional(Schema.String),
  items: Schema.Array(OrderItem),
  total: Schema.Number,
  currency: Schema.String,
  deliveryAddress: optional(AddressDTO),
  scheduledFor: optional(Schema.String),
  notes: optional(Schema.String),
  displayId: optional(Schema.String)
})
export type OrderSyncDTO = typeof OrderSyncDTO.Type

export const MenuItemOptionDTO = Schema.Struct({
  name: Schema.String,
  required: Schema.Boolean,
  maxChoices: Schema.Int,
  choices: Schema.Array(Schema.Struct({ name: Schema.String, priceDelta: Schema.Number }))
})

export const MenuItemSyncDTO = Schema.Struct({
  /** Local id: platforms that let us choose item ids (PLU, external_data) carry it. */
  localId: Schema.String,
  name: Schema.String,
  description: optional(Schema.String),
  price: Schema.Number,
  currency: Schema.String,
  category: optional(Schema.String),
  allergens: Schema.Array(Schema.String),
  options: Schema.Array(MenuItemOptionDTO),
  isAvailable: Schema.Boolean
})
export type MenuItemSyncDTO = typeof MenuItemSyncDTO.Type

export const OfferSyncDTO = Schema.Struct({
  localId: Schema.String,
  name: Schema.String,
  description: optional(Schema.String),
  type: Schema.String,
  discountPercent: optional(Schema.Number),
  menuItemLocalId: optional(Schema.String),
  startDate: optional(Schema.String),
  endDate: optional(Schema.String),
  minPartySize: optional(Schema.Int),
  maxPartySize: optional(Schema.Int),
  isActive: Schema.Boolean,
  /** A formula's price (the offer's own, else its linked menu item's); absent for a promotion. */
  price: optional(Schema.Number),
  /** A formula's steps: the guest picks one of each step's items (the design's "étapes, items éligibles"). */
  steps: optional(Schema.Array(Schema.Struct({ name: Schema.String, itemLocalIds: Schema.Array(Schema.String) })))
})
export type OfferSyncDTO = typeof OfferSyncDTO.Type

export const MenuSyncDTO = Schema.Struct({
  categories: Schema.Array(Schema.Struct({ name: Schema.String, itemLocalIds: Schema.Array(Schema.String) })),
  items: Schema.Array(MenuItemSyncDTO),
  offers: Schema.Array(OfferSyncDTO)
})
export type MenuSyncDTO = typeof MenuSyncDTO.Type

export const TableSyncDTO = Schema.Struct({
  label: Schema.String,
  seats: Schema.Int,
  minSeats: optional(Schema.Int),
  diningRoomExternalId: optional(Schema.String)
})
export type TableSyncDTO = typeof TableSyncDTO.Type

export const DiningRoomSyncDTO = Schema.Struct({ name: Schema.String, capacity: optional(Schema.Int) })
export type DiningRoomSyncDTO = typeof DiningRoomSyncDTO.Type

export const ServiceSyncDTO = Schema.Struct({
  name: Schema.String,
  /** HH:MM, restaurant-local. */
  startTime: Schema.String,
  endTime: Schema.String,
  offerExternalId: optional(Schema.String)
})
export type ServiceSyncDTO = typeof ServiceSyncDTO.Type

export const CustomerSyncDTO = Schema.Struct({
  name: Schema.String,
  phone: optional(Schema.String),
  email: optional(Schema.String),
  allergies: Schema.Array(Schema.String),
  isVip: Schema.Boolean
})
export type CustomerSyncDTO = typeof CustomerSyncDTO.Type

export const AvailabilitySlot = Schema.Struct({
  /** ISO 8601 instant with offset. */
  time: Schema.String,
  remainingCovers: Schema.Int,
  serviceExternalId: optional(Schema.String)
})
export type AvailabilitySlot = typeof AvailabilitySlot.Type

/** What a platform answered for one pushed entity. */
export const SyncEntityResult = Schema.Struct({
  externalId: Schema.String,
  externalSecondaryId: optional(Schema.String),
  raw: optional(Schema.Unknown)
})
export type SyncEntityResult = typeof SyncEntityResult.Type

export const WebhookEventType = Schema.Literal(
  "reservation.created",
  "reservation.updated",
  "reservation.cancelled",
  "reservation.status_changed",
  "order.created",
  "order.updated",
  "order.cancelled",
  "order.status_changed",
  "store.status_changed",
  /** The platform revoked, or granted again, this integration's access to the store. */
  "store.deprovisioned",
  "store.provisioned",
  "menu.updated",
  "unknown"
)
export type WebhookEventType = typeof WebhookEventType.Type

/**
 * A platform delivery, parsed to neutral terms. It is what the inbox stores, so an inbound
 * retry re-processes it without the original signature.
 */
export const WebhookEvent = Schema.Struct({
  platform: Platform,
  /** Stable across redeliveries of the same event: the dedupe key. */
  eventId: Schema.String,
  eventType: WebhookEventType,
  externalRestaurantId: Schema.String,
  externalId: Schema.String,
  /** When the platform says the change happened; orders events for one record. */
  occurredAt: optional(Schema.String),
  /** Our own id when the platform carries it (externalReferenceId). */
  externalReferenceId: optional(Schema.String),
  reservation: optional(ReservationSyncDTO),
  order: optional(OrderSyncDTO),
  /** Thin events (TheFork) carry no record: the engine fetches it through the connector. */
  needsFetch: optional(Schema.Boolean),
  rawPayload: Schema.Unknown
})
export type WebhookEvent = typeof WebhookEvent.Type
