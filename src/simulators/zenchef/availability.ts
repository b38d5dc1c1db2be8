import { atMinutes, toWallMinutes } from "./local-time.js"
import { peakCovers } from "./placement.js"
import type { Restaurant } from "./state.js"
import type { BookingTime, BookingTimeStatus, Shift } from "./wire.js"

/** The shifts open on `date`: every day, except the restaurant's closed dates. */
export const openShifts = (restaurant: Restaurant, date: string): ReadonlyArray<Shift> =>
  restaurant.config.closedDates.includes(date) ? [] : restaurant.config.shifts

const slotStatus = (
  restaurant: Restaurant,
  dateTime: string,
  people: number,
  nowLocal: string
): { readonly status: BookingTimeStatus; readonly duration: number; readonly spotsOpen: number } => {
  const { capacity, defaultDuration, slotMinutes } = restaurant.config
  const start = toWallMinutes(dateTime)
  const fullWindow = { start, end: start + defaultDuration }
  const spotsOpen = Math.max(0, capacity - peakCovers(restaurant, fullWindow, null))
  if (dateTime < nowLocal) return { status: "PASSED", duration: 0, spotsOpen }
  if (spotsOpen >= people) return { status: "AVAILABLE", duration: defaultDuration, spotsOpen }
  // SHORT: a seat is free now, but not for the whole default duration.
  let duration = 0
  while (
    duration < defaultDuration &&
    capacity - peakCovers(restaurant, { start, end: start + duration + slotMinutes }, null) >= people
  ) {
    duration += slotMinutes
  }
  return { status: duration > 0 ? "SHORT" : "UNAVAILABLE", duration, spotsOpen }
}

/**
 * One BookingTime per slot of every shift of the restaurant's usual week; on a closed date the same
 * slots come back CLOSED, so a client can tell "closed" from "full".
 */
export const dayAvailability = (
  restaurant: Restaurant,
  date: string,
  people: number,
  nowLocal: string,
  productUid: string | null
): ReadonlyArray<BookingTime> => {
  const closed = restaurant.config.closedDates.includes(date)
  const shifts = restaurant.config.shifts.filter((s) => productUid === null || s.productUid === productUid)
  return shifts.flatMap((shift) => {
    const times: Array<BookingTime> = []
    for (let minute = shift.startTime; minute < shift.endTime; minute += restaurant.config.slotMinutes) {
      const dateTime = atMinutes(date, minute)
      const slot = closed
        ? { status: "CLOSED" as const, duration: 0, spotsOpen: 0 }
        : slotStatus(restaurant, dateTime, people, nowLocal)
      times.push({ dateTime, productUid: shift.productUid, ...slot })
    }
    return times
  })
}

/** Whether `people` more covers fit at `dateTime` for `duration` minutes, ignoring `exceptUid`. */
export const hasCapacity = (
  restaurant: Restaurant,
  dateTime: string,
  duration: number,
  people: number,
  exceptUid: string | null
) => {
  const start = toWallMinutes(dateTime)
  return peakCovers(restaurant, { start, end: start + duration }, exceptUid) + people <= restaurant.config.capacity
}
