import { Schema } from "effect"
import type { ReservationSyncDTO } from "./dtos.js"
import type { Reservation } from "./entities.js"
import { DiningRoomId, DiningServiceId, DiningTableId, type EntityType, OfferId } from "./ids.js"

/** A local record that another one points at. */
export interface LocalRef {
  readonly entityType: EntityType
  readonly entityId: string
}

/** A platform's record that one of its bookings points at. */
export interface ExternalRef {
  readonly entityType: EntityType
  readonly externalId: string
}

/** One query's worth of ids: a repository resolves them all at once, never one by one. */
export interface LookupPlan {
  readonly entityType: EntityType
  readonly ids: ReadonlyArray<string>
}

type ReservationLinks = Pick<Reservation, "serviceId" | "offerId" | "diningRoomId" | "tableIds">

/** The platform's ids of a reservation's links; a missing mapping leaves a field undefined. */
export interface ReservationExternalIds {
  readonly serviceExternalId?: string
  readonly offerExternalId?: string
  readonly diningRoomExternalId?: string
  readonly tableExternalIds?: ReadonlyArray<string>
}

/** The local ids of a platform booking's links; a missing mapping gives null. */
export interface ReservationLocalIds {
  readonly serviceId: DiningServiceId | null
  readonly offerId: OfferId | null
  readonly diningRoomId: DiningRoomId | null
  readonly tableIds: ReadonlyArray<DiningTableId>
}

/** The key of a lookup map: the same id string may exist for two entity types. */
export const refKey = (entityType: EntityType, id: string): string => `${entityType}:${id}`

const local = (entityType: EntityType, entityId: string | null): ReadonlyArray<LocalRef> =>
  entityId === null ? [] : [{ entityType, entityId }]

const external = (entityType: EntityType, externalId: string | null | undefined): ReadonlyArray<ExternalRef> =>
  externalId == null ? [] : [{ entityType, externalId }]

/** the links an outbound reservation needs translated (service, offer, room, tables). */
export const reservationLocalRefs = (r: ReservationLinks): ReadonlyArray<LocalRef> => [
  ...local("dining_service", r.serviceId),
  ...local("offer", r.offerId),
  ...local("dining_room", r.diningRoomId),
  ...r.tableIds.flatMap((id) => local("table", id))
]

/** the platform ids an inbound booking carries. */
export const reservationExternalRefs = (dto: ReservationSyncDTO): ReadonlyArray<ExternalRef> => [
  ...external("dining_service", dto.serviceExternalId),
  ...external("offer", dto.offerExternalId),
  ...external("dining_room", dto.diningRoomExternalId),
  ...(dto.tableExternalIds ?? []).flatMap((id) => external("table", id))
]

/** Groups the refs of any number of reservations into one de-duplicated id list per entity type. */
export const planLookups = (refs: Iterable<LocalRef | ExternalRef>): ReadonlyArray<LookupPlan> => {
  const byType = new Map<EntityType, Set<string>>()
  for (const ref of refs) {
    const ids = byType.get(ref.entityType) ?? new Set<string>()
    ids.add("entityId" in ref ? ref.entityId : ref.externalId)
    byType.set(ref.entityType, ids)
  }
  return [...byType].map(([entityType, ids]) => ({ entityType, ids: [...ids] }))
}

const lookUp = (lookup: ReadonlyMap<string, string>, entityType: EntityType) => (id: string): string | undefined =>
  lookup.get(refKey(entityType, id))

/** `lookup` maps refKey(entityType, localId) to the platform's id. */
export const toExternalIds = (r: ReservationLinks, lookup: ReadonlyMap<string, string>): ReservationExternalIds => {
  const tables = r.tableIds.flatMap((id) => lookUp(lookup, "table")(id) ?? [])
  return {
    serviceExternalId: r.serviceId === null ? undefined : lookUp(lookup, "dining_service")(r.serviceId),
    offerExternalId: r.offerId === null ? undefined : lookUp(lookup, "offer")(r.offerId),
    diningRoomExternalId: r.diningRoomId === null ? undefined : lookUp(lookup, "dining_room")(r.diningRoomId),
    tableExternalIds: tables.length > 0 ? tables : undefined
  }
}

/** Only a well-formed local id counts as a mapping: anything else is treated as missing. */
const localId =
  <A>(is: (u: unknown) => u is A, lookup: ReadonlyMap<string, string>, entityType: EntityType) =>
  (externalId: string | null | undefined): A | null => {
    const id = externalId == null ? undefined : lookUp(lookup, entityType)(externalId)
    return is(id) ? id : null
  }

/** `lookup` maps refKey(entityType, externalId) to our local id. */
export const toLocalIds = (dto: ReservationSyncDTO, lookup: ReadonlyMap<string, string>): ReservationLocalIds => {
  const table = localId(Schema.is(DiningTableId), lookup, "table")
  return {
    serviceId: localId(Schema.is(DiningServiceId), lookup, "dining_service")(dto.serviceExternalId),
    offerId: localId(Schema.is(OfferId), lookup, "offer")(dto.offerExternalId),
    diningRoomId: localId(Schema.is(DiningRoomId), lookup, "dining_room")(dto.diningRoomExternalId),
    tableIds: (dto.tableExternalIds ?? []).flatMap((id) => table(id) ?? [])
  }
}
