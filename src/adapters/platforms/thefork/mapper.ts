import { Either, Option } from "effect"
import type { AvailabilitySlot, CustomerSyncDTO, OfferSyncDTO, ReservationSyncDTO } from "../../../domain/dtos.js"
import type { ReservationStatus } from "../../../domain/status.js"
import type { AvailabilityWindow, PulledRecord } from "../../../ports/connector-capabilities.js"
import {
  type CommentParts,
  composeComments,
  fullName,
  parseComments,
  present,
  splitName
} from "../shared/guest-text.js"
import type {
  TheForkCustomer,
  TheForkMealStatus,
  TheForkOffer,
  TheForkReservation,
  TheForkReservationCreate,
  TheForkReservationPatch,
  TheForkStatus,
  TheForkTimeslot
} from "./types.js"

export interface GuestSettings {
  readonly locale: string
  readonly civility: string
}

// ---- status (both ways) ----

/**
 * Status first, then mealStatus for a confirmed booking (the guest at the restaurant). Anything
 * outside the documented enums gives `undefined`: the local status is kept.
 */
export const reservationStatusOf = (
  status: string,
  mealStatus: string | null | undefined
): ReservationStatus | undefined => {
  switch (status) {
    case "CANCELED":
    case "REFUSED":
    case "REJECTED": // POS-flow value, as captured by a third party
      return "cancelled"
    case "NO_SHOW":
      return "no_show"
    case "REQUESTED":
      return "pending"
    case "RECORDED":
    case "CONFIRMED": // POS-flow value
      switch (mealStatus) {
        case "LEFT":
          return "completed"
        case "PARTIALLY_ARRIVED":
        case "ARRIVED":
        case "SEATED":
        case "BILL":
          return "seated"
        default:
          return "confirmed"
      }
    default:
      return undefined
  }
}

/** How TheFork would show a local status. The API itself can only cancel: the rest is the restaurant's to set. */
export const theForkStatusOf = (
  status: ReservationStatus
): { readonly status: TheForkStatus; readonly mealStatus: TheForkMealStatus | null } => {
  switch (status) {
    case "pending":
      return { status: "REQUESTED", mealStatus: null }
    case "confirmed":
      return { status: "RECORDED", mealStatus: null }
    case "seated":
      return { status: "RECORDED", mealStatus: "SEATED" }
    case "completed":
      return { status: "RECORDED", mealStatus: "LEFT" }
    case "cancelled":
      return { status: "CANCELED", mealStatus: null }
    case "no_show":
      return { status: "NO_SHOW", mealStatus: null }
  }
}

// ---- our reference: TheFork has no external-reference field, so it rides in the internal note ----

const referencePattern = /\[alloresto:([^\]\s]+)\]/

const referenceNote = (localId: string): string => `[alloresto:${localId}]`

export const referenceOf = (restaurantNote: string | null | undefined): string | undefined =>
  referencePattern.exec(restaurantNote ?? "")?.[1]

// ---- guest notes: customerNote is limited to 1000 characters; the free notes give way first ----

const CUSTOMER_NOTE_MAX = 1000

export const customerNoteOf = (parts: CommentParts): string => {
  const full = composeComments(parts)
  if (full.length <= CUSTOMER_NOTE_MAX) return full
  const labelled = composeComments({ ...parts, notes: undefined })
  const room = CUSTOMER_NOTE_MAX - labelled.length - 2
  const notes = room > 1 ? `${(parts.notes ?? "").trim().slice(0, room - 1)}…` : undefined
  return composeComments({ ...parts, notes }).slice(0, CUSTOMER_NOTE_MAX)
}

const union = (a: ReadonlyArray<string> | undefined, b: ReadonlyArray<string> | null | undefined) => {
  const first = new Map<string, string>()
  for (const x of [...(a ?? []), ...(b ?? [])]) {
    if (!first.has(x.trim().toLowerCase())) first.set(x.trim().toLowerCase(), x.trim())
  }
  return first.size === 0 ? undefined : [...first.values()]
}

// ---- reservation → neutral ----

/** `customer` is the embedded one or the one fetched by `customerUuid`; without it the guest is nameless. */
export const toReservation = (
  r: TheForkReservation,
  customer: TheForkCustomer | undefined
): Either.Either<ReservationSyncDTO, string> => {
  const at = r.mealDate === null ? Number.NaN : Date.parse(r.mealDate)
  if (Number.isNaN(at)) return Either.left("mealDate is not an ISO date-time")
  const note = parseComments(r.customerNote)
  const guest = customer ?? r.customer ?? undefined
  return Either.right({
    customerName: fullName(guest?.firstName, guest?.lastName),
    customerPhone: guest?.phone?.trim() ?? "",
    customerEmail: present(guest?.email) ? guest.email.trim() : undefined,
    partySize: r.partySize,
    reservationTime: new Date(at).toISOString(),
    // TheFork exposes no shift, area or table ids on a B2B reservation: only the offer.
    offerExternalId: r.offerUuid,
    status: reservationStatusOf(r.status, r.mealStatus),
    notes: note.notes,
    allergies: union(note.allergies, guest?.allergiesAndIntolerances),
    dietaryRestrictions: union(note.dietaryRestrictions, guest?.dietaryRestrictions),
    occasion: note.occasion,
    externalReferenceId: referenceOf(r.restaurantNote)
  })
}

// ---- neutral → TheFork ----

const mealDateOf = (iso: string): Either.Either<string, string> => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms)
    ? Either.left(`reservationTime ${iso} is not an ISO date-time`)
    : Either.right(new Date(ms).toISOString())
}

/** The spec's phone pattern is E.164; separators are dropped, anything else is left out (phone is optional). */
export const e164 = (phone: string): string | undefined => {
  const compact = phone.replace(/[\s.\-()]/g, "")
  return /^\+[1-9]\d{1,14}$/.test(compact) ? compact : undefined
}

export const toReservationCreate = (
  dto: ReservationSyncDTO,
  guest: GuestSettings
): Either.Either<TheForkReservationCreate, string> =>
  Either.gen(function*() {
    const mealDate = yield* mealDateOf(dto.reservationTime)
    // Required by TheFork's create; a phone-only guest cannot be booked there.
    if (!present(dto.customerEmail)) {
      return yield* Either.left(
        "TheFork needs the guest's e-mail to create a reservation: none was given, and TheFork knows no guest by this phone number"
      )
    }
    const { firstName, lastName } = splitName(dto.customerName)
    const phone = e164(dto.customerPhone)
    const customerNote = customerNoteOf(dto)
    return {
      mealDate,
      partySize: dto.partySize,
      ...(dto.offerExternalId == null ? {} : { offerUuid: dto.offerExternalId }),
      ...(customerNote === "" ? {} : { customerNote }),
      ...(dto.externalReferenceId === undefined ? {} : { restaurantNote: referenceNote(dto.externalReferenceId) }),
      customer: {
        email: dto.customerEmail.trim(),
        firstName,
        lastName,
        ...(phone === undefined ? {} : { phone }),
        locale: guest.locale,
        civility: guest.civility,
        optins: { restaurantNewsletter: false }
      }
    }
  })

/** Only the meal date and the party size can change through the API; other fields stay as TheFork has them. */
export const toReservationPatch = (dto: ReservationSyncDTO): Either.Either<TheForkReservationPatch, string> =>
  Either.map(mealDateOf(dto.reservationTime), (mealDate) => ({ mealDate, partySize: dto.partySize }))

/** Whether a PATCH would change anything: TheFork refuses a slot the guest already holds (409 DOUBLE_BOOKING). */
export const patchChanges = (current: TheForkReservation, patch: TheForkReservationPatch): boolean =>
  current.partySize !== patch.partySize || current.mealDate === null ||
  Date.parse(current.mealDate) !== Date.parse(patch.mealDate)

// ---- pulled records ----

/** A timeslot says "bookable for this party size", not how many covers remain: the party size is the floor. */
export const toAvailabilitySlot = (t: TheForkTimeslot, partySize: number): Option.Option<AvailabilitySlot> => {
  const ms = t.datetime === null ? Number.NaN : Date.parse(t.datetime)
  const bookable = t.hasNormalStock || (t.offers ?? []).length > 0
  return !bookable || Number.isNaN(ms)
    ? Option.none()
    : Option.some({ time: new Date(ms).toISOString(), remainingCovers: partySize })
}

export const toOffer = (o: TheForkOffer): PulledRecord<OfferSyncDTO> => ({
  externalId: o.uuid,
  // The list does not say promotion or preset menu (only a reservation's offerDetails does): "menu" as for Zenchef products.
  data: { localId: "", name: o.name ?? o.uuid, description: o.description ?? undefined, type: "menu", isActive: true }
})

/** A guest record in our terms; an unnamed guest keeps TheFork's id as a name, so it stays findable. */
export const toCustomer = (uuid: string, c: TheForkCustomer): PulledRecord<CustomerSyncDTO> => ({
  externalId: uuid,
  data: {
    name: [c.firstName, c.lastName].filter((p): p is string => typeof p === "string" && p.trim() !== "").join(" ") ||
      uuid,
    ...(c.phone == null ? {} : { phone: c.phone }),
    ...(c.email == null ? {} : { email: c.email }),
    allergies: [...(c.allergiesAndIntolerances ?? [])],
    isVip: c.isVip ?? false
  }
})

/** The override body (thefork.md, `PUT …/availabilities/override`): `{date, startTime, endTime?, isOpen}`. */
export const toAvailabilityOverride = (w: AvailabilityWindow) => ({
  date: w.date,
  startTime: w.startTime,
  ...(w.endTime === undefined ? {} : { endTime: w.endTime }),
  isOpen: w.isOpen
})
