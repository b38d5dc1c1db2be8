import { Either, Option } from "effect"
import type {
  AvailabilitySlot,
  DiningRoomSyncDTO,
  OfferSyncDTO,
  ReservationSyncDTO,
  ServiceSyncDTO,
  TableSyncDTO
} from "../../../domain/dtos.js"
import type { ReservationStatus } from "../../../domain/status.js"
import type { PulledRecord } from "../../../ports/connector-capabilities.js"
import { composeComments, fullName, parseComments, present, splitName } from "../shared/guest-text.js"
import { fromLocalDateTime, toIsoInstant, toLocalDateTime } from "../shared/local-time.js"
import type {
  LocalizedText,
  ZenchefArea,
  ZenchefBooking,
  ZenchefBookingCreate,
  ZenchefBookingStatus,
  ZenchefBookingTime,
  ZenchefBookingUpdate,
  ZenchefShift,
  ZenchefTable,
  ZenchefTicketProduct
} from "./types.js"

export interface RestaurantSettings {
  readonly timezone: string
  readonly culture: string
}

// ---- status (both ways) ----

/**
 * Never "completed": a check-out shows in no BookingViewModel field, so a checked-in booking reads
 * as seated (R-7.2 keeps our own completed).
 */
export const reservationStatusOf = (b: Pick<ZenchefBooking, "status" | "checkInDateTime">): ReservationStatus => {
  switch (b.status) {
    case "CANCELLED":
    case "FAILED":
    case "EXPIRED":
      return "cancelled"
    case "CREATED":
    case "ACCEPTED":
      if (b.checkInDateTime) return "seated"
      return b.status === "CREATED" ? "pending" : "confirmed"
  }
}

/** Seated and completed are ACCEPTED plus check-in/out; Zenchef has no no-show, so it is a cancellation. */
export const zenchefStatusOf = (status: ReservationStatus): ZenchefBookingStatus => {
  switch (status) {
    case "pending":
      return "CREATED"
    case "confirmed":
    case "seated":
    case "completed":
      return "ACCEPTED"
    case "cancelled":
    case "no_show":
      return "CANCELLED"
  }
}

// ---- guest name ----

const guestName = (b: Pick<ZenchefBooking, "firstName" | "lastName" | "companyName">): string =>
  fullName(b.firstName, b.lastName) || (present(b.companyName) ? b.companyName.trim() : "")

// ---- reference ids ----

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`

/** A shift has no id in v1.2: its window and product make one that stays the same across pulls. */
export const shiftExternalId = (s: Pick<ZenchefShift, "startTime" | "endTime" | "productUid">): string =>
  `shift:${s.startTime}-${s.endTime}:${s.productUid ?? ""}`

const productOfShiftId = (serviceExternalId: string): Option.Option<string> => {
  const m = /^shift:\d+-\d+:(.+)$/.exec(serviceExternalId)
  return m === null ? Option.none() : Option.some(m[1]!)
}

const idString = (id: string | number | null | undefined): string | undefined =>
  id === undefined || id === null || id === "" ? undefined : String(id)

const tableIdsOf = (b: ZenchefBooking): ReadonlyArray<string> | undefined => {
  const ids = (b.tables ?? []).map((t) => idString(t.id ?? t.uid)).filter((x): x is string => x !== undefined)
  return ids.length === 0 ? undefined : ids
}

// ---- booking → neutral ----

export const toReservation = (b: ZenchefBooking, zone: string): Either.Either<ReservationSyncDTO, string> => {
  const at = fromLocalDateTime(b.bookingDateTime, zone)
  if (Option.isNone(at)) return Either.left(`bookingDateTime is not a date-time`)
  const comments = parseComments(b.comments)
  const reservation: ReservationSyncDTO = {
    customerName: guestName(b),
    customerPhone: b.telephone?.trim() ?? "",
    customerEmail: present(b.email) ? b.email.trim() : undefined,
    partySize: b.numberOfPeople,
    reservationTime: toIsoInstant(at.value),
    durationMin: b.bookingDuration ?? undefined,
    serviceExternalId: b.service_uid ?? (b.shift ? shiftExternalId(b.shift) : undefined),
    diningRoomExternalId: idString(b.areaId) ?? idString(b.section_uid) ?? idString(b.tables?.[0]?.areaId),
    tableExternalIds: tableIdsOf(b),
    // A booking read whole lists its tickets: none there (and no product) is no offer.
    offerExternalId: b.productUid ?? b.offer_uid ?? b.tickets?.[0]?.uid ?? (b.tickets == null ? undefined : null),
    status: reservationStatusOf(b),
    notes: comments.notes,
    allergies: comments.allergies,
    dietaryRestrictions: comments.dietaryRestrictions,
    occasion: comments.occasion,
    // Whatever `source` Formitable stored (we cannot set it): the engine takes the reference as ours
    // only when it names one of the restaurant's reservations.
    externalReferenceId: present(b.externalReferenceId) ? b.externalReferenceId : undefined
  }
  return Either.right(reservation)
}

// ---- neutral → booking ----

const localTimeOf = (iso: string, zone: string): Either.Either<string, string> => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms)
    ? Either.left(`reservationTime ${iso} is not an ISO date-time`)
    : Either.right(toLocalDateTime(ms, zone))
}

const tableNumbers = (ids: ReadonlyArray<string>): Either.Either<ReadonlyArray<number>, string> => {
  const bad = ids.find((id) => !/^\d+$/.test(id))
  return bad === undefined ? Either.right(ids.map(Number)) : Either.left(`table id ${bad} is not a Zenchef table id`)
}

const productOf = (dto: ReservationSyncDTO): string | undefined =>
  dto.offerExternalId ??
    (dto.serviceExternalId == null ? undefined : Option.getOrUndefined(productOfShiftId(dto.serviceExternalId)))

export const toBookingCreate = (
  dto: ReservationSyncDTO,
  settings: RestaurantSettings
): Either.Either<ZenchefBookingCreate, string> =>
  Either.gen(function*() {
    const bookingDateTime = yield* localTimeOf(dto.reservationTime, settings.timezone)
    const tables = dto.tableExternalIds !== undefined && dto.tableExternalIds.length > 0
      ? yield* tableNumbers(dto.tableExternalIds)
      : undefined
    const { firstName, lastName } = splitName(dto.customerName)
    const product = productOf(dto)
    const comments = composeComments(dto)
    return {
      bookingDateTime,
      bookingDuration: dto.durationMin ?? null,
      numberOfPeople: dto.partySize,
      culture: settings.culture,
      company: false,
      ...(tables === undefined ? {} : { tables }),
      ...(product === undefined ? {} : { productUid: product }),
      ...(dto.externalReferenceId === undefined ? {} : { externalReferenceId: dto.externalReferenceId }),
      ...(firstName === "" ? {} : { firstName }),
      ...(lastName === "" ? {} : { lastName }),
      ...(dto.customerPhone === "" ? {} : { telephone: dto.customerPhone }),
      ...(dto.customerEmail === undefined ? {} : { email: dto.customerEmail }),
      ...(comments === "" ? {} : { comments })
    }
  })

/**
 * The whole booking after our change: the current booking overlaid with what the DTO defines.
 * Undefined or empty DTO fields keep Zenchef's value (no table list means "keep the placement").
 */
export const toBookingUpdate = (
  current: ZenchefBooking,
  dto: ReservationSyncDTO,
  settings: RestaurantSettings
): Either.Either<ZenchefBookingUpdate, string> =>
  Either.gen(function*() {
    const bookingDateTime = yield* localTimeOf(dto.reservationTime, settings.timezone)
    const currentTables = yield* tableNumbers(tableIdsOf(current) ?? [])
    const tables = dto.tableExternalIds !== undefined && dto.tableExternalIds.length > 0
      ? yield* tableNumbers(dto.tableExternalIds)
      : currentTables
    const name = present(dto.customerName)
      ? splitName(dto.customerName)
      : { firstName: current.firstName, lastName: current.lastName }
    const was = parseComments(current.comments)
    const comments = composeComments({
      notes: dto.notes ?? was.notes,
      allergies: dto.allergies ?? was.allergies,
      dietaryRestrictions: dto.dietaryRestrictions ?? was.dietaryRestrictions,
      occasion: dto.occasion ?? was.occasion
    })
    const fields = {
      firstName: name.firstName,
      lastName: name.lastName,
      telephone: present(dto.customerPhone) ? dto.customerPhone : current.telephone,
      email: dto.customerEmail ?? current.email,
      comments
    }
    return {
      bookingDateTime,
      bookingDuration: dto.durationMin ?? current.bookingDuration ?? null,
      numberOfPeople: dto.partySize,
      culture: current.culture ?? settings.culture,
      company: false,
      tables,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => present(v))),
      ...(present(current.title) ? { title: current.title } : {}),
      ...(present(current.color) ? { color: current.color } : {}),
      ...(present(current.companyName) ? { companyName: current.companyName } : {}),
      ...(typeof current.newsletter === "boolean" ? { newsletter: current.newsletter } : {})
    }
  })

// ---- pulled records ----

const textOf = (t: LocalizedText | null | undefined): string | undefined =>
  t === undefined || t === null ? undefined : typeof t === "string" ? t : t.fr ?? t.en ?? Object.values(t)[0]

export const toAvailabilitySlot = (
  t: ZenchefBookingTime,
  zone: string,
  partySize: number
): Option.Option<AvailabilitySlot> => {
  const local = t.time ?? t.dateTime
  if ((t.status !== "AVAILABLE" && t.status !== "SHORT") || local === undefined || local === null) return Option.none()
  return Option.map(fromLocalDateTime(local, zone), (ms) => ({
    time: toIsoInstant(ms),
    // BookingTime says "free for this party", not how many seats remain.
    remainingCovers: t.spotsOpen ?? partySize
  }))
}

export const toDiningRoom = (a: ZenchefArea): PulledRecord<DiningRoomSyncDTO> => ({
  externalId: String(a.id),
  data: { name: textOf(a.displayName) ?? a.name ?? `Area ${a.id}`, capacity: a.capacity ?? undefined }
})

export const toTable = (t: ZenchefTable): PulledRecord<TableSyncDTO> => ({
  externalId: String(t.id),
  data: {
    label: t.name ?? String(t.id),
    seats: t.maxPeople ?? t.minPeople ?? 0,
    minSeats: t.minPeople ?? undefined,
    diningRoomExternalId: idString(t.areaId)
  }
})

export const toService = (s: ZenchefShift): PulledRecord<ServiceSyncDTO> => ({
  externalId: shiftExternalId(s),
  data: {
    name: s.name ?? `${hhmm(s.startTime)}–${hhmm(s.endTime)}`,
    startTime: hhmm(s.startTime),
    endTime: hhmm(s.endTime),
    offerExternalId: s.productUid ?? undefined
  }
})

export const toOffer = (p: ZenchefTicketProduct): PulledRecord<OfferSyncDTO> => ({
  externalId: p.uid,
  data: {
    localId: "",
    name: textOf(p.title) ?? p.uid,
    description: textOf(p.description),
    type: "menu",
    isActive: true
  }
})
