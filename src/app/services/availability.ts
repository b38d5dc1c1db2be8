import { Clock, Effect, Either, Option } from "effect"
import { type BookingInput, checkBooking, computeAvailability, type Slot } from "../../domain/availability.js"
import type { DiningService } from "../../domain/entities.js"
import { refKey } from "../../domain/id-resolution.js"
import type { DiningServiceId, Platform, RestaurantId } from "../../domain/ids.js"
import {
  addDays,
  DEFAULT_TIMEZONE,
  FIRST_INSTANT_MS,
  instantToLocal,
  LAST_INSTANT_MS
} from "../../domain/local-time.js"
import type { GuestContact, GuestDetail } from "../../ports/connector-capabilities.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { DiningServiceRepository, ReservationRepository } from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { PlatformConfigRepository } from "../../ports/platform-config-repository.js"
import { traced } from "../../ports/traced.js"
import { allOfRestaurant } from "../paging.js"
import { ConfigCache } from "../sync/config-cache.js"

/** Restaurants are assumed to be in France unless the caller says otherwise. */

/** A slot as offered to a caller: a platform's slot names a service only when one matches. */
export interface AvailableSlot extends Omit<Slot, "serviceId" | "serviceName"> {
  readonly serviceId: DiningServiceId | null
  readonly serviceName: string | null
}

/** A guest's details the platform master of a restaurant's bookings needs before it can book them. */
export interface MasterLack {
  readonly platform: Platform
  readonly missing: ReadonlyArray<GuestDetail>
}

const DAY_MS = 86_400_000

/** The local service whose seating window holds this instant: the platform's slot gets a name. */
const serviceAt = (services: ReadonlyArray<DiningService>, time: string, timezone: string) =>
  Either.getRight(checkBooking({ time, partySize: 1, timezone, services, reservations: [] })).pipe(
    Option.map((m) => m.service)
  )

/**
 * slots for a date and party size, computed from the restaurant's active services minus
 * its reservations, or, when a platform is master for reservations, asked of that platform (its
 * book is the truth then; ours may lag behind it).
 */
export class Availability extends Effect.Service<Availability>()("Availability", {
  effect: Effect.gen(function*() {
    const services = yield* DiningServiceRepository
    const reservations = yield* ReservationRepository
    const configs = yield* PlatformConfigRepository
    const mappings = yield* MappingRepository
    const registry = yield* ConnectorRegistry
    const cache = yield* ConfigCache

    // One query, wide enough for any zone's day plus stays that run over from the evening before.
    // The first and last days kept (0001-01-01, 9999-12-31) have their window cut at the calendar's ends.
    const reservationsAround = (restaurantId: RestaurantId, fromMs: number, toMs: number) =>
      reservations.listBetween(
        restaurantId,
        new Date(Math.max(fromMs, FIRST_INSTANT_MS)).toISOString(),
        new Date(Math.min(toMs, LAST_INSTANT_MS)).toISOString()
      )

    const masterPlatform = (restaurantId: RestaurantId) =>
      Effect.map(
        configs.list({ restaurantId, limit: 100, offset: 0 }),
        (page) => Option.fromNullable(page.items.find((c) => c.isActive && c.masterFor.includes("reservation")))
      )

    const loadedConfig = (restaurantId: RestaurantId, platform: Platform) =>
      cache.byRestaurant(restaurantId, platform).pipe(
        Effect.flatMap(
          Option.match({ onNone: () => Effect.dieMessage(`the ${platform} config vanished`), onSome: Effect.succeed })
        )
      )

    const fromPlatform = (
      restaurantId: RestaurantId,
      platform: Platform,
      date: string,
      partySize: number,
      timezone: string,
      local: ReadonlyArray<DiningService>
    ) =>
      Effect.gen(function*() {
        const connector = yield* registry.connectorFor((yield* loadedConfig(restaurantId, platform)).connector)
        const slots = yield* connector.availability(date, partySize)
        const refs = [...new Set(slots.flatMap((s) => s.serviceExternalId ?? []))].map((externalId) => ({
          entityType: "dining_service" as const,
          externalId
        }))
        const localIds = refs.length === 0
          ? new Map<string, string>()
          : yield* mappings.localIdsOf(restaurantId, platform, refs)
        return slots.map((slot): AvailableSlot => {
          const mappedId = slot.serviceExternalId === undefined
            ? undefined
            : localIds.get(refKey("dining_service", slot.serviceExternalId))
          const service = mappedId === undefined
            ? serviceAt(local, slot.time, timezone)
            : Option.fromNullable(local.find((s) => s.id === mappedId))
          return {
            time: new Date(slot.time).toISOString(),
            localTime: instantToLocal(new Date(slot.time), timezone).time,
            serviceId: Option.match(service, { onNone: () => null, onSome: (s) => s.id }),
            serviceName: Option.match(service, { onNone: () => null, onSome: (s) => s.name }),
            remainingCovers: slot.remainingCovers
          }
        })
      })

    /** The master platform's slots (none when no platform is master of reservations). */
    const masterSlots = (restaurantId: RestaurantId, date: string, partySize: number, timezone: string) =>
      Effect.gen(function*() {
        const master = yield* masterPlatform(restaurantId)
        if (Option.isNone(master)) return Option.none<ReadonlyArray<AvailableSlot>>()
        const local = yield* allOfRestaurant(services, restaurantId)
        return Option.some(yield* fromPlatform(restaurantId, master.value.platform, date, partySize, timezone, local))
      })

    const slots = (restaurantId: RestaurantId, date: string, partySize: number, timezone: string = DEFAULT_TIMEZONE) =>
      Effect.gen(function*() {
        const fromMaster = yield* masterSlots(restaurantId, date, partySize, timezone)
        if (Option.isSome(fromMaster)) return fromMaster.value
        const local = yield* allOfRestaurant(services, restaurantId)
        const dayStart = Date.parse(`${date}T00:00:00Z`)
        const booked = yield* reservationsAround(
          restaurantId,
          Date.parse(`${addDays(date, -1)}T00:00:00Z`),
          dayStart + 2 * DAY_MS
        )
        const now = new Date(yield* Clock.currentTimeMillis)
        return computeAvailability({ date, partySize, timezone, services: local, reservations: booked, now })
      }).pipe(traced("Availability.slots", { attributes: { restaurantId, date, partySize } }))

    /** Whether a booking fits, against the same services and reservations (capacity, last seating, offer rules). */
    const check = (restaurantId: RestaurantId, input: Omit<BookingInput, "services" | "reservations" | "now">) =>
      Effect.gen(function*() {
        const at = Date.parse(input.time)
        const local = yield* allOfRestaurant(services, restaurantId)
        const booked = yield* reservationsAround(restaurantId, at - DAY_MS, at + DAY_MS)
        const now = new Date(yield* Clock.currentTimeMillis)
        return checkBooking({ ...input, services: local, reservations: booked, now })
      }).pipe(traced("Availability.check", { attributes: { restaurantId, time: input.time } }))

    /** Whether an active platform config is master of the restaurant's reservations. */
    const hasMaster = (restaurantId: RestaurantId) => Effect.map(masterPlatform(restaurantId), Option.isSome)

    /**
     * What the platform master of the restaurant's bookings lacks to book this guest there (none
     * when no platform is master, or it needs nothing more than name and phone).
     */
    const masterLacks = (restaurantId: RestaurantId, guest: GuestContact) =>
      Effect.gen(function*() {
        const master = yield* masterPlatform(restaurantId)
        if (Option.isNone(master)) return Option.none<MasterLack>()
        const connector = yield* registry.connectorFor(
          (yield* loadedConfig(restaurantId, master.value.platform)).connector
        )
        const lacks = connector.reservations?.missingGuestDetails
        if (lacks === undefined) return Option.none<MasterLack>()
        const missing = yield* lacks(guest)
        return missing.length === 0
          ? Option.none<MasterLack>()
          : Option.some({ platform: master.value.platform, missing })
      })

    return { slots, masterSlots, hasMaster, masterLacks, check }
  })
}) {}
