import { Schema } from "effect"

const isLoopbackUrl = (text: string) => {
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)
  } catch {
    return false
  }
}

/** ASSUMPTION (sevenrooms.md): push is not public; when enabled, Standard Webhooks signing. */
export const WebhookTarget = Schema.Struct({
  url: Schema.String.pipe(Schema.filter(isLoopbackUrl, { message: () => "must be an http URL on loopback" })),
  secret: Schema.String,
  signing: Schema.optionalWith(Schema.Literal("standard", "none"), { default: () => "standard" as const })
})
export type WebhookTarget = typeof WebhookTarget.Type

const HourMinute = Schema.String.pipe(Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/))

export const Shift = Schema.Struct({
  persistentId: Schema.String,
  category: Schema.String,
  /** Venue-local slot times. */
  times: Schema.Array(HourMinute),
  accessPersistentIds: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})
export type Shift = typeof Shift.Type

export const SeatingArea = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  tables: Schema.Array(Schema.Struct({ id: Schema.String, number: Schema.String }))
})
export type SeatingArea = typeof SeatingArea.Type

/** An API client: credentials are bound to the venue group; reads and writes go through its concierge id. */
export const Client = Schema.Struct({
  clientId: Schema.String,
  clientSecret: Schema.String,
  conciergeId: Schema.String
})

export const VenueSeed = Schema.Struct({
  id: Schema.optional(Schema.String),
  venueGroupId: Schema.optional(Schema.String),
  name: Schema.optionalWith(Schema.String, { default: () => "Simulated venue" }),
  clients: Schema.Array(Client).pipe(Schema.minItems(1)),
  shifts: Schema.optional(Schema.Array(Shift)),
  seatingAreas: Schema.optional(Schema.Array(SeatingArea)),
  coversPerSlot: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 40 }),
  defaultDuration: Schema.optionalWith(Schema.Int.pipe(Schema.between(15, 600)), { default: () => 120 }),
  webhook: Schema.optionalWith(Schema.NullOr(WebhookTarget), { default: () => null })
})
export type VenueSeedInput = typeof VenueSeed.Encoded

export interface VenueConfig extends Omit<typeof VenueSeed.Type, "id" | "venueGroupId" | "shifts" | "seatingAreas"> {
  readonly id: string
  readonly venueGroupId: string
  readonly shifts: ReadonlyArray<Shift>
  readonly seatingAreas: ReadonlyArray<SeatingArea>
}

/** Ids look like SevenRooms': long URL-safe datastore keys. */
export const opaqueId = (kind: string) =>
  `ahNzfnNldmVucm9vbXMtc2VjdXJlch${Buffer.from(`${kind}:${crypto.randomUUID()}`).toString("base64url")}`

export const sampleShifts: ReadonlyArray<Shift> = [
  {
    persistentId: "lunch-2030",
    category: "LUNCH",
    times: ["12:00", "12:30", "13:00", "13:30"],
    accessPersistentIds: ["access-lunch-menu"]
  },
  {
    persistentId: "dinner-2030",
    category: "DINNER",
    times: ["18:30", "19:00", "19:30", "20:00", "20:30", "21:00"],
    accessPersistentIds: ["access-tasting"]
  }
]

export const sampleSeatingAreas: ReadonlyArray<SeatingArea> = [
  {
    id: "area-main",
    name: "Main room",
    tables: [{ id: "table-1", number: "1" }, { id: "table-2", number: "2" }, { id: "table-12", number: "12" }]
  },
  { id: "area-terrace", name: "Terrace", tables: [{ id: "table-20", number: "20" }] }
]

export const venueConfig = (seed: typeof VenueSeed.Type): VenueConfig => ({
  ...seed,
  id: seed.id ?? opaqueId("Venue"),
  venueGroupId: seed.venueGroupId ?? opaqueId("VenueGroup"),
  shifts: seed.shifts ?? sampleShifts,
  seatingAreas: seed.seatingAreas ?? sampleSeatingAreas
})
