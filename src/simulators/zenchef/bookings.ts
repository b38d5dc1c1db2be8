import { Either, HashMap, Option } from "effect"
import { randomBytes } from "node:crypto"
import { hasCapacity } from "./availability.js"
import { fromWallMinutes, normalizeLocalDateTime, toWallMinutes } from "./local-time.js"
import { autoPlace, expandTables, placeRequested, windowOf } from "./placement.js"
import type { Problem } from "./problems.js"
import { fieldProblem, notFound } from "./problems.js"
import type { BookingChange, BookingEvent, Restaurant, StoredBooking } from "./state.js"
import type { Booking, PlatformBookingCreate, Ticket } from "./wire.js"

export interface ChangeContext {
  readonly nowMs: number
  /** The restaurant's wall clock now. */
  readonly nowLocal: string
}

const UID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Booking uids look like Formitable's: short random strings. */
export const newBookingUid = (): string =>
  Array.from(randomBytes(10), (byte) => UID_ALPHABET[byte % UID_ALPHABET.length]).join("")

export const findBooking = (restaurant: Restaurant, uid: string): Either.Either<StoredBooking, Problem> =>
  Option.match(HashMap.get(restaurant.bookings, uid), {
    onNone: () => Either.left(notFound(`Booking ${uid} not found`)),
    onSome: Either.right
  })

const save = (restaurant: Restaurant, stored: StoredBooking): Restaurant => ({
  ...restaurant,
  bookings: HashMap.set(restaurant.bookings, stored.booking.uid, stored)
})

export const changed = (
  restaurant: Restaurant,
  stored: StoredBooking,
  event: BookingEvent | null,
  warnings: ReadonlyArray<string> = []
): BookingChange => ({ restaurant: save(restaurant, stored), booking: stored.booking, event, warnings })

export const ticketsFor = (
  restaurant: Restaurant,
  productUid: string | null,
  people: number
): ReadonlyArray<Ticket> => {
  const product = restaurant.config.products.find((p) => p.uid === productUid)
  if (product === undefined) return []
  const price = product.price ?? 0
  return [
    {
      uid: product.uid,
      title: product.title,
      quantity: people,
      amount: price * people,
      fullPrice: price,
      imageUrl: product.imageUrl,
      refundPolicy: product.refundPolicy,
      posId: product.posId
    }
  ]
}

export const createBooking = (
  restaurant: Restaurant,
  input: PlatformBookingCreate,
  uid: string,
  source: string | null,
  ctx: ChangeContext
): Either.Either<BookingChange, Problem> =>
  Either.gen(function*() {
    const config = restaurant.config
    const productUid = input.productUid ?? null
    if (productUid !== null && !config.products.some((p) => p.uid === productUid)) {
      return yield* Either.left(fieldProblem("ProductUid", `Unknown product ${productUid}`))
    }
    const bookingDateTime = normalizeLocalDateTime(input.bookingDateTime)
    const duration = input.bookingDuration ?? config.defaultDuration
    const walkIn = input.walkIn ?? false
    if (
      config.enforceCapacity && !walkIn &&
      !hasCapacity(restaurant, bookingDateTime, duration, input.numberOfPeople, null)
    ) {
      return yield* Either.left(
        fieldProblem("BookingDateTime", `No availability for ${input.numberOfPeople} people at ${bookingDateTime}`)
      )
    }
    const window = windowOf(bookingDateTime, duration)
    const placement = input.tables === undefined || input.tables === null
      ? { tableIds: autoPlace(restaurant, input.numberOfPeople, window, null), warnings: [] }
      : yield* placeRequested(restaurant, input.tables, input.forceTablePlacement ?? false, window, null)
    const accepted = config.autoAccept
    const booking: Booking = {
      uid,
      created: ctx.nowLocal,
      bookingDateTime,
      bookingDuration: duration,
      checkInDateTime: null,
      numberOfPeople: input.numberOfPeople,
      title: input.title ?? "NONE",
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      telephone: input.telephone ?? null,
      email: input.email ?? null,
      companyName: input.companyName ?? null,
      company: input.company,
      newsletter: input.newsletter ?? false,
      comments: input.comments ?? null,
      culture: input.culture,
      status: accepted ? "ACCEPTED" : "CREATED",
      optionExpires: accepted ? null : fromWallMinutes(toWallMinutes(ctx.nowLocal) + 24 * 60),
      color: input.color ?? null,
      source: input.source ?? source,
      externalReferenceId: input.externalReferenceId ?? null,
      walkIn,
      posId: input.posId ?? null,
      prePaidAmount: 0,
      payments: [],
      tickets: ticketsFor(restaurant, productUid, input.numberOfPeople),
      tables: expandTables(restaurant, placement.tableIds)
    }
    return changed(
      restaurant,
      { booking, checkedOutAt: null, createdAt: ctx.nowMs, changedAt: null, canceledAt: null },
      "booking.created",
      placement.warnings
    )
  })

export const refuseCancelled = (stored: StoredBooking): Either.Either<StoredBooking, Problem> =>
  stored.booking.status === "CANCELLED"
    ? Either.left(fieldProblem("Status", "A cancelled booking cannot be changed."))
    : Either.right(stored)

/** DELETE: idempotent; a second cancel changes nothing and raises no event. */
export const cancelBooking = (
  restaurant: Restaurant,
  uid: string,
  ctx: ChangeContext
): Either.Either<BookingChange, Problem> =>
  Either.map(findBooking(restaurant, uid), (stored) =>
    stored.booking.status === "CANCELLED"
      ? changed(restaurant, stored, null)
      : changed(
        restaurant,
        { ...stored, booking: { ...stored.booking, status: "CANCELLED" }, canceledAt: ctx.nowMs },
        "booking.canceled"
      ))

/** Check-in and check-out are toggles (BookingApi.md: "Call this method again to undo"). */
export const toggleVisit = (
  restaurant: Restaurant,
  uid: string,
  which: "checkin" | "checkout",
  ctx: ChangeContext
): Either.Either<BookingChange, Problem> =>
  Either.map(Either.flatMap(findBooking(restaurant, uid), refuseCancelled), (stored) => {
    const setting = (which === "checkin" ? stored.booking.checkInDateTime : stored.checkedOutAt) === null
    const event: BookingEvent = !setting
      ? "booking.changed"
      : which === "checkin"
      ? "booking.checkin"
      : "booking.checkout"
    const at = setting ? ctx.nowLocal : null
    const next: StoredBooking = which === "checkin"
      ? { ...stored, booking: { ...stored.booking, checkInDateTime: at } }
      : { ...stored, checkedOutAt: at }
    return changed(restaurant, { ...next, changedAt: ctx.nowMs }, event)
  })

/** A restaurant employee confirms an option (status CREATED). */
export const acceptBooking = (
  restaurant: Restaurant,
  uid: string,
  ctx: ChangeContext
): Either.Either<BookingChange, Problem> =>
  Either.map(
    Either.flatMap(findBooking(restaurant, uid), refuseCancelled),
    (stored) =>
      stored.booking.status === "ACCEPTED"
        ? changed(restaurant, stored, null)
        : changed(restaurant, {
          ...stored,
          booking: { ...stored.booking, status: "ACCEPTED", optionExpires: null },
          changedAt: ctx.nowMs
        }, "booking.accepted")
  )
