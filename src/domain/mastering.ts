import { Schema } from "effect"
import type { ReservationSource } from "./entities.js"
import { type EntityType, Platform } from "./ids.js"
import { typesCarriedBy } from "./push-fan-out.js"
import { isTerminalReservationStatus, type ReservationStatus } from "./status.js"

/** Who holds the truth for a record: the restaurant itself or one platform. */
export type Master = "self" | Platform

/** The part of a platform's config that mastering reads (`master_for`, R-3.1). */
export interface MasteringConfig {
  readonly platform: Platform
  readonly masterFor: ReadonlyArray<EntityType>
}

const isPlatform = Schema.is(Platform)

/** `self` unless the platform's config lists the entity type in master_for. */
export const entityMaster = (entityType: EntityType, config: MasteringConfig): Master =>
  config.masterFor.includes(entityType) ? config.platform : "self"

/**
 * a guest at the table (or who never came) is the restaurant's fact; otherwise the platform
 * the booking was born on owns it, whichever platform we are talking to; otherwise.
 */
export const reservationMaster = (
  reservation: { readonly status: ReservationStatus; readonly source: ReservationSource },
  config: MasteringConfig
): Master => {
  if (isTerminalReservationStatus(reservation.status)) return "self"
  if (isPlatform(reservation.source)) return reservation.source
  return entityMaster("reservation", config)
}

export const isMaster = (master: Master, platform: Platform): boolean => master === platform

/**
 * for the menu, uploaded whole with its offers: a platform master of its items or of its
 * offers keeps its menu, which is read from it instead of overwritten.
 */
export const mastersMenu = (config: MasteringConfig): boolean =>
  typesCarriedBy("menu_item").some((type) => isMaster(entityMaster(type, config), config.platform))

/**
 * Issue 20, item 4: a cancellation or a no-show decided here is a fact, like seating: the
 * booking's platform is told, whoever is master of the booking's other fields.
 */
export const isRestaurantFact = (status: ReservationStatus): boolean => status === "cancelled" || status === "no_show"

/** Why a local change to a booking is not pushed to a platform. */
export type PushSkip =
  /** the platform is master of the booking and holds it: its word is kept. */
  | "platform_is_master"
  /** The booking was born on another platform and this one never had it: it is not copied. */
  | "born_elsewhere"

/**
 * a local change is not pushed to the platform that is master of the booking, with two
 * exceptions. A restaurant fact (above) is always told. And a booking taken here (by phone, the
 * voice AI, the staff) that the master platform does not hold yet is created there: the platform
 * that keeps the restaurant's book would otherwise never see it, nor count it in the availability
 * the voice AI reads from it. Once the platform holds it, the platform's word is the one
 * kept, and later local changes to it are skipped.
 *
 * A booking born on one platform lives there: a local change (a guest seated, a note) is not a
 * reason to copy it to the restaurant's other platforms, which would book the guest a second time
 * there (and send them its messages). Only a platform that already holds it is told.
 */
export const pushSkip = (
  reservation: { readonly status: ReservationStatus; readonly source: ReservationSource },
  config: MasteringConfig,
  heldByPlatform: boolean
): PushSkip | undefined => {
  if (isPlatform(reservation.source) && reservation.source !== config.platform && !heldByPlatform) {
    return "born_elsewhere"
  }
  if (isRestaurantFact(reservation.status)) return undefined
  if (!isMaster(reservationMaster(reservation, config), config.platform)) return undefined
  return heldByPlatform || isPlatform(reservation.source) ? "platform_is_master" : undefined
}
