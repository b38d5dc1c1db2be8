import { HashMap, Schema } from "effect"
import type { RestaurantConfig } from "./seed.js"
import type { Booking } from "./wire.js"

/** A booking plus what the `latest` endpoint needs to know about its history (epoch ms). */
export interface StoredBooking {
  readonly booking: Booking
  /** Restaurant-local time of the check-out: Formitable keeps it, no Booking field shows it. */
  readonly checkedOutAt: string | null
  readonly createdAt: number
  readonly changedAt: number | null
  readonly canceledAt: number | null
}

export interface Restaurant {
  readonly config: RestaurantConfig
  readonly bookings: HashMap.HashMap<string, StoredBooking>
}

export const BookingEvent = Schema.Literal(
  "booking.created",
  "booking.accepted",
  "booking.changed",
  "booking.canceled",
  "booking.checkin",
  "booking.checkout"
)
export type BookingEvent = typeof BookingEvent.Type

/** What a change did: the booking as it now is, and the webhook event it raises (none for no-ops). */
export interface BookingChange {
  readonly restaurant: Restaurant
  readonly booking: Booking
  readonly event: BookingEvent | null
  readonly warnings: ReadonlyArray<string>
}

export const SimulatorMode = Schema.Struct({
  /** `merge`: null or omitted fields keep their value (the v1.2 spec); `replace`: they are cleared. */
  updateMode: Schema.Literal("merge", "replace"),
  /** `GET booking/latest/...` is unconfirmed; when off it answers 404. */
  latestEndpoint: Schema.Boolean,
  /** Whether changes made through the API raise webhooks (platform-side changes always do). */
  apiChangesEmitWebhooks: Schema.Boolean
})
export type SimulatorMode = typeof SimulatorMode.Type

export const defaultMode: SimulatorMode = { updateMode: "merge", latestEndpoint: true, apiChangesEmitWebhooks: true }

/** Statuses that hold a table and covers. */
export const isActive = (booking: Booking) => booking.status === "ACCEPTED" || booking.status === "CREATED"

export const bookingsOf = (restaurant: Restaurant): ReadonlyArray<StoredBooking> =>
  Array.from(HashMap.values(restaurant.bookings)).sort(
    (a, b) => a.booking.bookingDateTime.localeCompare(b.booking.bookingDateTime) || a.createdAt - b.createdAt
  )
