import { Either } from "effect"
import type { ChangeContext } from "./bookings.js"
import { changed, findBooking, refuseCancelled, ticketsFor } from "./bookings.js"
import { normalizeLocalDateTime } from "./local-time.js"
import { autoPlace, expandTables, placeRequested, windowOf } from "./placement.js"
import type { Problem } from "./problems.js"
import { validationProblem } from "./problems.js"
import type { BookingChange, Restaurant } from "./state.js"
import type { Booking, BookingUpdate } from "./wire.js"

export type UpdateMode = "merge" | "replace"

/** `merge` keeps what a null or omitted field would have changed; `replace` clears it. */
const pick = <A>(mode: UpdateMode, sent: A | null | undefined, current: A, cleared: A): A =>
  sent !== null && sent !== undefined ? sent : mode === "merge" ? current : cleared

const requireForReplace = (input: BookingUpdate): Either.Either<BookingUpdate, Problem> => {
  const missing = [
    input.bookingDateTime == null ? "BookingDateTime" : null,
    input.numberOfPeople == null ? "NumberOfPeople" : null
  ].filter((field): field is string => field !== null)
  return missing.length === 0
    ? Either.right(input)
    : Either.left(
      validationProblem(Object.fromEntries(missing.map((field) => [field, [`The ${field} field is required.`]])))
    )
}

/**
 * PUT booking/{uid}. `tables` follows the spec in both modes: omitted keeps them, `[]` places
 * the booking again, a list assigns those tables (conflicts become `warnings`).
 */
export const updateBooking = (
  restaurant: Restaurant,
  uid: string,
  input: BookingUpdate,
  mode: UpdateMode,
  ctx: ChangeContext
): Either.Either<BookingChange, Problem> =>
  Either.gen(function*() {
    const stored = yield* Either.flatMap(findBooking(restaurant, uid), refuseCancelled)
    if (mode === "replace") yield* requireForReplace(input)
    const current = stored.booking
    const bookingDateTime = normalizeLocalDateTime(
      pick(mode, input.bookingDateTime, current.bookingDateTime, current.bookingDateTime)
    )
    const bookingDuration = pick(
      mode,
      input.bookingDuration,
      current.bookingDuration,
      restaurant.config.defaultDuration
    )
    const numberOfPeople = pick(mode, input.numberOfPeople, current.numberOfPeople, current.numberOfPeople)
    const window = windowOf(bookingDateTime, bookingDuration)
    const placement = input.tables === undefined || input.tables === null
      ? { tableIds: current.tables.map((t) => t.id), warnings: [] }
      : input.tables.length === 0
      ? { tableIds: autoPlace(restaurant, numberOfPeople, window, uid), warnings: [] }
      : yield* placeRequested(restaurant, input.tables, input.forceTablePlacement ?? false, window, uid)
    const booking: Booking = {
      ...current,
      bookingDateTime,
      bookingDuration,
      numberOfPeople,
      culture: pick(mode, input.culture, current.culture, "en"),
      company: pick(mode, input.company, current.company, false),
      title: pick(mode, input.title, current.title, "NONE"),
      firstName: pick(mode, input.firstName, current.firstName, null),
      lastName: pick(mode, input.lastName, current.lastName, null),
      telephone: pick(mode, input.telephone, current.telephone, null),
      email: pick(mode, input.email, current.email, null),
      companyName: pick(mode, input.companyName, current.companyName, null),
      comments: pick(mode, input.comments, current.comments, null),
      newsletter: pick(mode, input.newsletter, current.newsletter, false),
      color: pick(mode, input.color, current.color, null),
      tickets: ticketsFor(restaurant, current.tickets[0]?.uid ?? null, numberOfPeople),
      tables: expandTables(restaurant, placement.tableIds)
    }
    return changed(restaurant, { ...stored, booking, changedAt: ctx.nowMs }, "booking.changed", placement.warnings)
  })
