import { Schema } from "effect"
import { randomBytes } from "node:crypto"
import { isTimeZone } from "./local-time.js"
import { Area, LocalDate, Shift, Table, TicketProduct } from "./wire.js"

const isLoopbackUrl = (text: string) => {
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)
  } catch {
    return false
  }
}

export const WebhookSigning = Schema.Literal("standard", "url-token", "none")
export type WebhookSigning = typeof WebhookSigning.Type

/** Where the restaurant's webhooks go. Loopback only: the simulator never calls out of the machine. */
export const WebhookTarget = Schema.Struct({
  url: Schema.String.pipe(
    Schema.filter(isLoopbackUrl, { message: () => "must be an http URL on 127.0.0.1, localhost or [::1]" })
  ),
  /** `whsec_<base64>` for `standard`; the query token for `url-token`. */
  secret: Schema.String,
  signing: Schema.optionalWith(WebhookSigning, { default: () => "standard" as const })
})
export type WebhookTarget = typeof WebhookTarget.Type

export const RestaurantUid = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{8}$/, { message: () => "must be 8 lower-case hex characters" })
)

/** A restaurant to seed. Floor plan, products and shifts default to a small sample when omitted. */
export const RestaurantSeed = Schema.Struct({
  uid: Schema.optional(RestaurantUid),
  name: Schema.optionalWith(Schema.String, { default: () => "Simulated restaurant" }),
  timeZone: Schema.optionalWith(
    Schema.String.pipe(Schema.filter(isTimeZone, { message: () => "must be an IANA time zone" })),
    {
      default: () => "Europe/Amsterdam"
    }
  ),
  apiKeys: Schema.Array(Schema.String.pipe(Schema.minLength(1))).pipe(Schema.minItems(1)),
  areas: Schema.optional(Schema.Array(Area)),
  tables: Schema.optional(Schema.Array(Table)),
  products: Schema.optional(Schema.Array(TicketProduct)),
  shifts: Schema.optional(Schema.Array(Shift)),
  /** Covers served at once; the sum of the tables' maxPeople when omitted. */
  capacity: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  defaultDuration: Schema.optionalWith(Schema.Int.pipe(Schema.between(15, 600)), { default: () => 120 }),
  slotMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(5, 120)), { default: () => 15 }),
  closedDates: Schema.optionalWith(Schema.Array(LocalDate), { default: () => [] }),
  /** When false, new bookings stay CREATED (an "option") until accepted on the platform side. */
  autoAccept: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** When true, a create beyond the covers capacity is refused with 400. */
  enforceCapacity: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The app settings every webhook body carries. */
  settings: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), {
    default: () => ({ serverSettings: { companyIdentifier: "SIM-1" } })
  }),
  webhook: Schema.optionalWith(Schema.NullOr(WebhookTarget), { default: () => null })
})
export type RestaurantSeedInput = typeof RestaurantSeed.Encoded
export type RestaurantSeed = typeof RestaurantSeed.Type

/** A seeded restaurant: the seed with its uid, floor plan, products, shifts and capacity filled in. */
export interface RestaurantConfig
  extends Omit<RestaurantSeed, "uid" | "areas" | "tables" | "products" | "shifts" | "capacity">
{
  readonly uid: string
  readonly areas: ReadonlyArray<Area>
  readonly tables: ReadonlyArray<Table>
  readonly products: ReadonlyArray<TicketProduct>
  readonly shifts: ReadonlyArray<Shift>
  readonly capacity: number
}

const area = (id: number, en: string, nl: string, priority: number): Area => ({
  id,
  posId: null,
  name: en,
  displayName: { en, nl },
  priority
})

const table = (id: number, areaId: number, minPeople: number, maxPeople: number): Table => ({
  id,
  posId: null,
  name: `T${id}`,
  minPeople,
  maxPeople,
  areaId,
  priority: id
})

const product = (uid: string, title: string, price: number): TicketProduct => ({
  uid,
  title,
  description: null,
  price,
  imageUrl: null,
  refundPolicy: null,
  posId: null
})

export const sampleAreas: ReadonlyArray<Area> = [area(1, "Main room", "Grote zaal", 1), area(2, "Terrace", "Terras", 2)]
export const sampleTables: ReadonlyArray<Table> = [
  table(1, 1, 1, 2),
  table(2, 1, 1, 2),
  table(3, 1, 2, 4),
  table(4, 1, 2, 4),
  table(5, 1, 4, 6),
  table(6, 2, 1, 2),
  table(7, 2, 2, 4),
  table(8, 2, 4, 8)
]
export const sampleProducts: ReadonlyArray<TicketProduct> = [
  product("lunch-menu", "Lunch menu", 29.5),
  product("dinner-menu", "Dinner menu", 45)
]
export const sampleShifts: ReadonlyArray<Shift> = [
  { startTime: 12 * 60, endTime: 14 * 60 + 30, productUid: "lunch-menu" },
  { startTime: 18 * 60, endTime: 22 * 60 + 30, productUid: "dinner-menu" }
]

export const restaurantConfig = (seed: RestaurantSeed): RestaurantConfig => {
  const tables = seed.tables ?? sampleTables
  return {
    ...seed,
    uid: seed.uid ?? randomBytes(4).toString("hex"),
    areas: seed.areas ?? sampleAreas,
    tables,
    products: seed.products ?? sampleProducts,
    shifts: seed.shifts ?? sampleShifts,
    capacity: seed.capacity ?? tables.reduce((sum, t) => sum + t.maxPeople, 0)
  }
}
