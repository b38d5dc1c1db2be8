import type { ReservationSyncDTO } from "./dtos.js"
import type { Reservation, reservation } from "./entities.js"
import type { ReservationExternalIds, ReservationLocalIds } from "./id-resolution.js"
import type { Platform } from "./ids.js"
import { definedFields, normalizeTags } from "./normalize.js"

/** The fields an inbound booking may change (the `remote` side of resolveConflict). */
export type ReservationPatch = typeof reservation.Patch.Type
/** What creating a reservation from a platform booking needs, the restaurant aside. */
export type NewReservation = Omit<typeof reservation.Create.Type, "restaurantId">

const orUndefined = <A>(value: A | null): A | undefined => value ?? undefined

/** a local reservation as a platform should see it, links already translated. */
export const reservationToSyncDTO = (r: Reservation, external: ReservationExternalIds): ReservationSyncDTO =>
  definedFields({
    customerName: r.customerName,
    customerPhone: r.customerPhone,
    customerEmail: orUndefined(r.customerEmail),
    partySize: r.partySize,
    adults: orUndefined(r.adults),
    children: orUndefined(r.children),
    reservationTime: r.reservationTime,
    durationMin: orUndefined(r.durationMin),
    ...external,
    status: r.status,
    notes: orUndefined(r.notes),
    allergies: r.allergies,
    dietaryRestrictions: r.dietaryRestrictions,
    occasion: orUndefined(r.occasion),
    // the platform keeps our id, so a retried create finds the booking it already made.
    externalReferenceId: r.id
  })

/** Platforms send "" for a phone or name they do not have: that is not a change. */
const nonBlank = (s: string): string | undefined => (s.trim() === "" ? undefined : s)

/**
 * only what the booking defines. A link the platform names but we cannot map is left out
 * too, so an unmapped platform id never erases a local link (an empty table list does clear).
 */
export const reservationFieldsFromSyncDTO = (dto: ReservationSyncDTO, local: ReservationLocalIds): ReservationPatch =>
  definedFields({
    customerName: nonBlank(dto.customerName),
    customerPhone: nonBlank(dto.customerPhone),
    customerEmail: dto.customerEmail,
    partySize: dto.partySize,
    adults: dto.adults,
    children: dto.children,
    reservationTime: dto.reservationTime,
    durationMin: dto.durationMin,
    status: dto.status,
    notes: dto.notes,
    allergies: dto.allergies && normalizeTags(dto.allergies),
    dietaryRestrictions: dto.dietaryRestrictions && normalizeTags(dto.dietaryRestrictions),
    occasion: dto.occasion,
    // A link the platform states as none (null) clears ours; one we cannot map leaves ours alone.
    serviceId: dto.serviceExternalId === null ? null : orUndefined(local.serviceId),
    offerId: dto.offerExternalId === null ? null : orUndefined(local.offerId),
    diningRoomId: dto.diningRoomExternalId === null ? null : orUndefined(local.diningRoomId),
    tableIds: dto.tableExternalIds !== undefined && (dto.tableExternalIds.length === 0 || local.tableIds.length > 0)
      ? local.tableIds
      : undefined
  })

/** Issue 19: the name stored for a platform booking that came without one. */
export const missingGuestName = "Guest (name not given)"

/**
 * A platform booking without a guest name (a phone-only Zenchef booking) is stored, not refused:
 * under a neutral name, with a note saying so, so staff see it and can complete it.
 */
const guestNameOf = (dto: ReservationSyncDTO, platform: Platform) => {
  if (dto.customerName.trim() !== "") return { customerName: dto.customerName, notes: dto.notes ?? null }
  const note = `Guest name not given by ${platform}; "${missingGuestName}" stored in its place.`
  return { customerName: missingGuestName, notes: dto.notes ? `${dto.notes}\n${note}` : note }
}

/** a booking born on `platform`; unmapped links are null. */
export const newReservationFromSyncDTO = (
  dto: ReservationSyncDTO,
  local: ReservationLocalIds,
  platform: Platform
): NewReservation => ({
  customerId: null,
  ...guestNameOf(dto, platform),
  customerPhone: dto.customerPhone ?? "",
  customerEmail: dto.customerEmail ?? null,
  partySize: dto.partySize,
  adults: dto.adults ?? null,
  children: dto.children ?? null,
  reservationTime: dto.reservationTime,
  durationMin: dto.durationMin ?? null,
  status: dto.status ?? "confirmed",
  source: platform,
  allergies: normalizeTags(dto.allergies ?? []),
  dietaryRestrictions: normalizeTags(dto.dietaryRestrictions ?? []),
  occasion: dto.occasion ?? null,
  serviceId: local.serviceId,
  offerId: local.offerId,
  diningRoomId: local.diningRoomId,
  tableIds: local.tableIds
})
