import { Schema } from "effect"
import { Offer } from "./wire.js"

const isLoopbackUrl = (text: string) => {
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)
  } catch {
    return false
  }
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Where thin events go; TheFork appends nothing: the partner's URL already carries `?token=`. */
export const WebhookTarget = Schema.Struct({
  url: Schema.String.pipe(Schema.filter(isLoopbackUrl, { message: () => "must be an http URL on loopback" })),
  token: Schema.String.pipe(Schema.minLength(1))
})
export type WebhookTarget = typeof WebhookTarget.Type

export const ClientCredentials = Schema.Struct({
  clientId: Schema.String.pipe(Schema.minLength(1)),
  clientSecret: Schema.String.pipe(Schema.minLength(1))
})

const HourMinute = Schema.String.pipe(Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/))

export const RestaurantSeed = Schema.Struct({
  uuid: Schema.optional(Schema.UUID),
  groupUuid: Schema.optional(Schema.UUID),
  name: Schema.optionalWith(Schema.String, { default: () => "Simulated restaurant" }),
  timeZone: Schema.optionalWith(Schema.String.pipe(Schema.filter(isTimeZone)), { default: () => "Europe/Paris" }),
  /** API clients (TheFork hands out client credentials per partner) allowed on this restaurant. */
  clients: Schema.Array(ClientCredentials).pipe(Schema.minItems(1)),
  offers: Schema.optional(Schema.Array(Offer)),
  /** Restaurant-local start times offered online every day. */
  slots: Schema.optionalWith(Schema.Array(HourMinute), {
    default: () => ["12:00", "12:30", "13:00", "19:00", "19:30", "20:00", "20:30", "21:00"]
  }),
  coversPerSlot: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 40 }),
  /** When false, new reservations wait as REQUESTED (on-request restaurants). */
  autoConfirm: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  webhook: Schema.optionalWith(Schema.NullOr(WebhookTarget), { default: () => null })
})
export type RestaurantSeedInput = typeof RestaurantSeed.Encoded

export interface RestaurantConfig extends Omit<typeof RestaurantSeed.Type, "uuid" | "groupUuid" | "offers"> {
  readonly uuid: string
  readonly groupUuid: string
  readonly offers: ReadonlyArray<Offer>
}

export const sampleOffers: ReadonlyArray<Offer> = [
  { uuid: "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b", name: "-30% on the à la carte menu", description: null, price: null },
  { uuid: "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", name: "Tasting menu", description: "Five courses", price: 65 }
]

export const restaurantConfig = (seed: typeof RestaurantSeed.Type): RestaurantConfig => ({
  ...seed,
  uuid: seed.uuid ?? crypto.randomUUID(),
  groupUuid: seed.groupUuid ?? crypto.randomUUID(),
  offers: seed.offers ?? sampleOffers
})
