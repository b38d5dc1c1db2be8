import { Effect, Either, Ref, Schema } from "effect"
import type { FaultControl, QueueControl } from "../kit/control.js"
import { faultControl, queueControl } from "../kit/control.js"
import type { DeliveryStats } from "../kit/delivery-queue.js"
import { issuesLine } from "../kit/parse-issues.js"
import { getTenant } from "../kit/tenant-core.js"
import { book, cancel, find, type StaffChange, staffChange, type Venue } from "./book.js"
import type { RequestCounters, SimulatorCore, SimulatorMode } from "./core.js"
import { noRequests } from "./core.js"
import { fromEither, rejection, type SevenRoomsRejected } from "./errors.js"
import { type VenueConfig, venueConfig, VenueSeed, type VenueSeedInput, WebhookTarget } from "./seed.js"
import { expireAllTokens } from "./tokens.js"
import { emitReservationEvent } from "./webhooks.js"
import { readStaffForm, type Reservation } from "./wire.js"

/** A booking made by venue staff, in the book form's terms. */
export const StaffBooking = Schema.Struct({
  date: Schema.String,
  time: Schema.String,
  party_size: Schema.Int,
  first_name: Schema.optional(Schema.String),
  last_name: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  phone: Schema.optional(Schema.String),
  notes: Schema.optional(Schema.String),
  status: Schema.optional(Schema.String),
  shift_persistent_id: Schema.optional(Schema.String),
  access_persistent_id: Schema.optional(Schema.String),
  venue_seating_area_id: Schema.optional(Schema.String),
  table_ids: Schema.optional(Schema.String)
})
export type StaffBooking = typeof StaffBooking.Type

export interface SimulatorCounters extends RequestCounters {
  readonly createCalls: number
  readonly reservationsByVenue: Readonly<Record<string, number>>
  readonly webhooks: DeliveryStats
}

export interface WebhookControl extends QueueControl {
  readonly trigger: (
    venueId: string,
    id: string,
    type: "reservation.created" | "reservation.updated" | "reservation.cancelled"
  ) => Effect.Effect<void, SevenRoomsRejected>
}

/** Changes made by venue staff in SevenRooms: they always raise webhooks (when push is on). */
export interface StaffSide {
  readonly create: (venueId: string, booking: StaffBooking) => Effect.Effect<Reservation, SevenRoomsRejected>
  readonly change: (venueId: string, id: string, change: StaffChange) => Effect.Effect<Reservation, SevenRoomsRejected>
  readonly cancel: (venueId: string, id: string) => Effect.Effect<Reservation, SevenRoomsRejected>
}

export interface SevenRoomsSimulatorControl extends FaultControl {
  readonly seedVenue: (seed: VenueSeedInput) => Effect.Effect<VenueConfig, SevenRoomsRejected>
  readonly venue: (id: string) => Effect.Effect<VenueConfig, SevenRoomsRejected>
  readonly setWebhook: (
    venueId: string,
    target: typeof WebhookTarget.Encoded | null
  ) => Effect.Effect<void, SevenRoomsRejected>
  readonly setMode: (mode: Partial<SimulatorMode>) => Effect.Effect<SimulatorMode>
  readonly expireTokens: Effect.Effect<void>
  readonly reservations: (venueId: string) => Effect.Effect<ReadonlyArray<Reservation>, SevenRoomsRejected>
  readonly reservation: (venueId: string, id: string) => Effect.Effect<Reservation, SevenRoomsRejected>
  readonly staff: StaffSide
  readonly webhooks: WebhookControl
  readonly counters: Effect.Effect<SimulatorCounters>
  readonly resetCounters: Effect.Effect<void>
}

export const CREATE_ROUTE = "PUT /venues/{venue_id}/book"
const decode = <A, I>(schema: Schema.Schema<A, I>, value: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(schema, { errors: "all" })(value),
    (error) => rejection(400, `Invalid input: ${issuesLine(error)}`)
  )

export const makeControl = (core: SimulatorCore): SevenRoomsSimulatorControl => {
  const venue = (id: string): Effect.Effect<Venue, SevenRoomsRejected> =>
    getTenant(core.venues, id, () => rejection(404, "Venue not found"))
  const staffId = (v: Venue) => v.config.clients[0]?.clientId ?? "staff"
  return {
    seedVenue: (seed) =>
      Effect.gen(function*() {
        const config = venueConfig(yield* decode(VenueSeed, seed))
        yield* Ref.update(core.venues, (all) => new Map(all).set(config.id, { config, reservations: new Map() }))
        return config
      }),
    venue: (id) => Effect.map(venue(id), (v) => v.config),
    setWebhook: (id, target) =>
      Effect.flatMap(
        target === null ? Effect.succeed(null) : decode(WebhookTarget, target),
        (webhook) =>
          Effect.flatMap(venue(id), (v) =>
            Ref.update(core.venues, (all) => new Map(all).set(id, { ...v, config: { ...v.config, webhook } })))
      ),
    setMode: (mode) => Ref.updateAndGet(core.mode, (current) => ({ ...current, ...mode })),
    ...faultControl(core),
    expireTokens: expireAllTokens(core),
    reservations: (id) =>
      Effect.map(venue(id), (v) => [...v.reservations.values()].sort((a, b) => a.created.localeCompare(b.created))),
    reservation: (id, rid) => Effect.flatMap(venue(id), (v) => fromEither(find(v, rid))),
    staff: {
      create: (id, booking) =>
        Effect.gen(function*() {
          const fields = yield* fromEither(
            readStaffForm(
              new URLSearchParams(Object.entries(booking).map(([k, v]): [string, string] => [k, String(v)]))
            )
          )
          const v = yield* venue(id)
          return (yield* core.apply(id, "staff", (current, now) => book(current, fields, now, staffId(v)))).reservation
        }),
      change: (id, rid, change) =>
        Effect.map(core.apply(id, "staff", (v, now) => staffChange(v, rid, change, now)), (d) => d.reservation),
      cancel: (id, rid) => Effect.map(core.apply(id, "staff", (v, now) => cancel(v, rid, now)), (d) => d.reservation)
    },
    webhooks: {
      ...queueControl(core.webhooks),
      trigger: (id, rid, type) =>
        Effect.flatMap(
          venue(id),
          (v) =>
            Either.match(find(v, rid), {
              onLeft: Effect.fail,
              onRight: (r) => emitReservationEvent(core.webhooks, v.config, type, r)
            })
        )
    },
    counters: Effect.gen(function*() {
      const requests = yield* Ref.get(core.counters)
      const all = yield* Ref.get(core.venues)
      return {
        ...requests,
        createCalls: requests.requestsByRoute[CREATE_ROUTE] ?? 0,
        reservationsByVenue: Object.fromEntries([...all.values()].map((v) => [v.config.id, v.reservations.size])),
        webhooks: yield* core.webhooks.stats
      }
    }),
    resetCounters: Ref.set(core.counters, noRequests).pipe(Effect.zipRight(core.webhooks.resetStats))
  }
}
