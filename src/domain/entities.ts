import { Schema } from "effect"
import {
  Currency,
  DayOfWeek,
  EachOnce,
  Email,
  Instant,
  Label,
  LocalDate,
  Money,
  Name,
  NonNegativeInt,
  Percent,
  Phone,
  PositiveInt,
  Tags,
  Text,
  TimeOfDay,
  Timestamps
} from "./fields.js"
import {
  CustomerId,
  DiningRoomId,
  DiningServiceId,
  DiningTableId,
  MenuItemId,
  OfferId,
  OrderId,
  Platform,
  ReservationId,
  RestaurantId
} from "./ids.js"
import { LocalChannel, OrderStatus, OrderType, ReservationStatus } from "./status.js"

/**
 * Each entity is described once by its editable fields. From them come the stored entity, the
 * create payload (with defaults) and the patch payload (every field optional).
 */
type Fields = { readonly [key: string]: Schema.Schema.All }
type Defaults<F extends Fields> = { readonly [K in keyof F]?: Schema.Schema.Type<F[K]> }
type Creatable<F extends Fields, D extends Defaults<F>> = {
  readonly [K in keyof F]: K extends keyof D ? Schema.optionalWith<F[K], { default: () => Schema.Schema.Type<F[K]> }>
    : F[K]
}

const creatable = <F extends Fields, const D extends Defaults<F>>(fields: F, defaults: D) => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(fields)) {
    const field = fields[key] as Schema.Schema.Any
    out[key] = key in defaults
      ? Schema.optionalWith(field, { default: () => (defaults as Record<string, unknown>)[key] as never })
      : field
  }
  return out as Creatable<F, D>
}

const entity = <Id extends Schema.Schema.Any, F extends Fields, const D extends Defaults<F>>(
  id: Id,
  fields: F,
  defaults: D
) => ({
  fields,
  Entity: Schema.Struct({ id, restaurantId: RestaurantId, ...fields, ...Timestamps }),
  Create: Schema.Struct({ restaurantId: RestaurantId, ...creatable(fields, defaults) }),
  Patch: Schema.partial(Schema.Struct(fields))
})

export const diningService = entity(DiningServiceId, {
  name: Name,
  type: Schema.Literal("standard", "brunch", "evenement"),
  dayOfWeek: EachOnce(Schema.Array(DayOfWeek).pipe(Schema.minItems(1), Schema.maxItems(7))),
  startTime: TimeOfDay,
  endTime: TimeOfDay,
  lastSeatingTime: Schema.NullOr(TimeOfDay),
  maxCovers: PositiveInt,
  slotIntervalMin: PositiveInt,
  defaultDurationMin: PositiveInt,
  requiresPrepayment: Schema.Boolean,
  prepaymentAmount: Schema.NullOr(Money),
  autoConfirm: Schema.Boolean,
  diningRoomIds: Schema.NullOr(EachOnce(Schema.Array(DiningRoomId))),
  isPrivate: Schema.Boolean,
  isActive: Schema.Boolean
}, {
  type: "standard",
  lastSeatingTime: null,
  slotIntervalMin: 15,
  defaultDurationMin: 90,
  requiresPrepayment: false,
  prepaymentAmount: null,
  autoConfirm: true,
  diningRoomIds: null,
  isPrivate: false,
  isActive: true
})
export const DiningService = diningService.Entity
export type DiningService = typeof DiningService.Type

/**
 * One step of a formula (R-2.3, the design's "étapes, items éligibles"): the guest chooses one of
 * the eligible menu items, e.g. a starter among three.
 */
export const OfferStep = Schema.Struct({
  name: Name,
  menuItemIds: Schema.Array(MenuItemId).pipe(Schema.minItems(1), Schema.maxItems(100))
})
export type OfferStep = typeof OfferStep.Type

export const offer = entity(OfferId, {
  name: Name,
  description: Schema.NullOr(Text),
  type: Schema.Literal("menu", "promo", "happy_hour", "evenement"),
  menuItemId: Schema.NullOr(MenuItemId),
  discountPercent: Schema.NullOr(Percent),
  startDate: Schema.NullOr(LocalDate),
  endDate: Schema.NullOr(LocalDate),
  isPermanent: Schema.Boolean,
  minPartySize: Schema.NullOr(PositiveInt),
  maxPartySize: Schema.NullOr(PositiveInt),
  hasPrepayment: Schema.Boolean,
  prepaymentAmount: Schema.NullOr(Money),
  prepaymentType: Schema.NullOr(Schema.Literal("per_person", "flat")),
  isBookable: Schema.Boolean,
  isActive: Schema.Boolean,
  /** A formula's steps; none for a plain promotion. */
  steps: Schema.Array(OfferStep).pipe(Schema.maxItems(20)),
  /** What the formula costs, in the menu's currency; null: the linked menu item's price. */
  price: Schema.NullOr(Money)
}, {
  description: null,
  type: "menu",
  menuItemId: null,
  discountPercent: null,
  startDate: null,
  endDate: null,
  isPermanent: true,
  minPartySize: null,
  maxPartySize: null,
  hasPrepayment: false,
  prepaymentAmount: null,
  prepaymentType: null,
  isBookable: true,
  isActive: true,
  steps: [],
  price: null
})
export const Offer = offer.Entity
export type Offer = typeof Offer.Type

export const diningRoom = entity(DiningRoomId, {
  name: Name,
  capacity: NonNegativeInt,
  isActive: Schema.Boolean
}, { capacity: 0, isActive: true })
export const DiningRoom = diningRoom.Entity
export type DiningRoom = typeof DiningRoom.Type

export const diningTable = entity(DiningTableId, {
  label: Label,
  seats: PositiveInt,
  diningRoomId: Schema.NullOr(DiningRoomId),
  isActive: Schema.Boolean
}, { diningRoomId: null, isActive: true })
export const DiningTable = diningTable.Entity
export type DiningTable = typeof DiningTable.Type

export const MenuItemOption = Schema.Struct({
  name: Name,
  required: Schema.Boolean,
  maxChoices: PositiveInt,
  choices: Schema.Array(Schema.Struct({ name: Name, priceDelta: Money })).pipe(Schema.maxItems(100))
}).pipe(
  // A guest could never complete an order of the item, and a marketplace refuses such a menu.
  Schema.filter((option) =>
    !option.required || option.choices.length > 0 ||
    { path: ["choices"], message: "a required option needs at least one choice" }
  )
)
export type MenuItemOption = typeof MenuItemOption.Type

export const menuItem = entity(MenuItemId, {
  name: Name,
  description: Schema.NullOr(Text),
  price: Money,
  currency: Currency,
  category: Schema.NullOr(Name),
  allergens: Tags,
  options: Schema.Array(MenuItemOption).pipe(Schema.maxItems(50)),
  isAvailable: Schema.Boolean
}, { description: null, currency: "EUR", category: null, allergens: [], options: [], isAvailable: true })
export const MenuItem = menuItem.Entity
export type MenuItem = typeof MenuItem.Type

export const customer = entity(CustomerId, {
  name: Name,
  phone: Schema.NullOr(Phone),
  email: Schema.NullOr(Email),
  allergies: Tags,
  isVip: Schema.Boolean,
  notes: Schema.NullOr(Text)
}, { phone: null, email: null, allergies: [], isVip: false, notes: null })
export const Customer = customer.Entity
export type Customer = typeof Customer.Type

export const ReservationSource = Schema.Union(Platform, LocalChannel)
export type ReservationSource = typeof ReservationSource.Type

export const reservation = entity(ReservationId, {
  customerId: Schema.NullOr(CustomerId),
  customerName: Name,
  customerPhone: Phone,
  customerEmail: Schema.NullOr(Email),
  partySize: PositiveInt,
  adults: Schema.NullOr(NonNegativeInt),
  children: Schema.NullOr(NonNegativeInt),
  reservationTime: Instant,
  durationMin: Schema.NullOr(PositiveInt),
  status: ReservationStatus,
  source: ReservationSource,
  notes: Schema.NullOr(Text),
  allergies: Tags,
  dietaryRestrictions: Tags,
  occasion: Schema.NullOr(Label),
  serviceId: Schema.NullOr(DiningServiceId),
  offerId: Schema.NullOr(OfferId),
  diningRoomId: Schema.NullOr(DiningRoomId),
  tableIds: EachOnce(Schema.Array(DiningTableId).pipe(Schema.maxItems(50)))
}, {
  customerId: null,
  customerEmail: null,
  adults: null,
  children: null,
  durationMin: null,
  status: "confirmed",
  source: "phone",
  notes: null,
  allergies: [],
  dietaryRestrictions: [],
  occasion: null,
  serviceId: null,
  offerId: null,
  diningRoomId: null,
  tableIds: []
})
/** `version` counts every change, so stale platform events can be recognised. */
export const Reservation = Schema.Struct({ ...reservation.Entity.fields, version: Schema.Int })
export type Reservation = typeof Reservation.Type

// Inside an order, as at its top level, what a caller may leave out has a default.
export const OrderItem = Schema.Struct({
  menuItemId: Schema.optionalWith(Schema.NullOr(MenuItemId), { default: () => null }),
  name: Name,
  quantity: PositiveInt,
  unitPrice: Money,
  options: Schema.optionalWith(Schema.Array(Name).pipe(Schema.maxItems(50)), { default: () => [] })
})
export type OrderItem = typeof OrderItem.Type

export const Address = Schema.Struct({
  street: Name,
  city: Name,
  postalCode: Label,
  country: Schema.optionalWith(Schema.NullOr(Label), { default: () => null }),
  instructions: Schema.optionalWith(Schema.NullOr(Text), { default: () => null })
})
export type Address = typeof Address.Type

export const order = entity(OrderId, {
  type: OrderType,
  status: OrderStatus,
  source: ReservationSource,
  customerId: Schema.NullOr(CustomerId),
  customerName: Name,
  customerPhone: Schema.NullOr(Phone),
  items: Schema.Array(OrderItem).pipe(Schema.minItems(1), Schema.maxItems(500)),
  total: Money,
  currency: Currency,
  deliveryAddress: Schema.NullOr(Address),
  scheduledFor: Schema.NullOr(Instant),
  notes: Schema.NullOr(Text)
}, {
  status: "pending",
  source: "web",
  customerId: null,
  customerPhone: null,
  currency: "EUR",
  deliveryAddress: null,
  scheduledFor: null,
  notes: null
})
export const Order = Schema.Struct({ ...order.Entity.fields, version: Schema.Int })
export type Order = typeof Order.Type
