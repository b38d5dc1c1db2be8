import { Either, HashMap } from "effect"
import { toWallMinutes } from "./local-time.js"
import type { Problem } from "./problems.js"
import { fieldProblem } from "./problems.js"
import type { Restaurant } from "./state.js"
import { isActive } from "./state.js"
import type { Booking, BookingTable } from "./wire.js"

/** A time window in wall-clock minutes, end excluded. */
export interface Window {
  readonly start: number
  readonly end: number
}

export const windowOf = (bookingDateTime: string, durationMinutes: number): Window => {
  const start = toWallMinutes(bookingDateTime)
  return { start, end: start + durationMinutes }
}

export const overlaps = (a: Window, b: Window) => a.start < b.end && b.start < a.end

// A stored booking is never changed in place (an update stores a new object), so its window is
// worked out once: placement compares a new booking with every booking of its restaurant.
const bookingWindows = new WeakMap<Booking, Window>()

const bookingWindow = (booking: Booking): Window => {
  let window = bookingWindows.get(booking)
  if (window === undefined) {
    window = windowOf(booking.bookingDateTime, booking.bookingDuration)
    bookingWindows.set(booking, window)
  }
  return window
}

/** Active bookings other than `exceptUid` overlapping `window`. */
export const overlappingBookings = (restaurant: Restaurant, window: Window, exceptUid: string | null) => {
  // Unsorted on purpose: placement only asks which tables are held, and sorting every booking of
  // the restaurant on each placement made a busy simulator's CPU grow with its history.
  const found: Array<Booking> = []
  for (const { booking } of HashMap.values(restaurant.bookings)) {
    if (
      booking.uid !== exceptUid && isActive(booking) &&
      overlaps(window, bookingWindow(booking))
    ) found.push(booking)
  }
  return found
}

const takenTables = (restaurant: Restaurant, window: Window, exceptUid: string | null) => {
  const taken = new Map<number, string>()
  for (const booking of overlappingBookings(restaurant, window, exceptUid)) {
    for (const t of booking.tables) taken.set(t.id, booking.uid)
  }
  return taken
}

/** The smallest free table that seats the party, best priority first; none when nothing fits. */
export const autoPlace = (
  restaurant: Restaurant,
  people: number,
  window: Window,
  exceptUid: string | null
): ReadonlyArray<number> => {
  const taken = takenTables(restaurant, window, exceptUid)
  const best = restaurant.config.tables
    .filter((t) => !taken.has(t.id) && t.minPeople <= people && people <= t.maxPeople)
    .sort((a, b) => a.maxPeople - b.maxPeople || a.priority - b.priority || a.id - b.id)[0]
  return best === undefined ? [] : [best.id]
}

export interface Placement {
  readonly tableIds: ReadonlyArray<number>
  readonly warnings: ReadonlyArray<string>
}

/**
 * Assigns the requested tables. A table held by another booking at an overlapping time is left
 * out with a warning, unless `force` (then it is double-booked on purpose).
 */
export const placeRequested = (
  restaurant: Restaurant,
  requested: ReadonlyArray<number>,
  force: boolean,
  window: Window,
  exceptUid: string | null
): Either.Either<Placement, Problem> => {
  const unknown = requested.filter((id) => !restaurant.config.tables.some((t) => t.id === id))
  if (unknown.length > 0) return Either.left(fieldProblem("Tables", `Unknown table id(s): ${unknown.join(", ")}`))
  const taken = takenTables(restaurant, window, exceptUid)
  const conflicting = force ? [] : requested.filter((id) => taken.has(id))
  return Either.right({
    tableIds: [...new Set(requested.filter((id) => !conflicting.includes(id)))],
    warnings: conflicting.map((id) =>
      `Table ${id} is already taken by booking ${taken.get(id)} at an overlapping time; not assigned.`
    )
  })
}

export const expandTables = (restaurant: Restaurant, ids: ReadonlyArray<number>): ReadonlyArray<BookingTable> =>
  ids.flatMap((id) => {
    const t = restaurant.config.tables.find((table) => table.id === id)
    return t === undefined
      ? []
      : [{ id: t.id, posId: t.posId, name: t.name, minPeople: t.minPeople, maxPeople: t.maxPeople, areaId: t.areaId }]
  })

/** Covers booked at any minute of `window` (peak), by active bookings other than `exceptUid`. */
export const peakCovers = (restaurant: Restaurant, window: Window, exceptUid: string | null): number => {
  const bookings = overlappingBookings(restaurant, window, exceptUid)
  const starts = [
    window.start,
    ...bookings.map((b) => bookingWindow(b).start).filter((m) => m > window.start && m < window.end)
  ]
  return Math.max(
    0,
    ...starts.map((minute) =>
      bookings
        .filter((b) => overlaps({ start: minute, end: minute + 1 }, bookingWindow(b)))
        .reduce((sum, b) => sum + b.numberOfPeople, 0)
    )
  )
}
