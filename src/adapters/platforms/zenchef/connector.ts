import { Clock, Effect, Option, Schema } from "effect"
import type { WebhookEvent } from "../../../domain/dtos.js"
import {
  type ConnectorConfig,
  type ConnectorError,
  PlatformPermanentError,
  type PlatformConnector,
  type ReservationCapability,
  type ReservationRecord
} from "../../../ports/platform-connector.js"
import { connectorKit, sha256 } from "../connector-kit.js"
import { isNotFound, makePlatformHttp, retryTransient } from "../http-support.js"
import { toLocalDate } from "../local-time.js"
import * as M from "./mapper.js"
import {
  ZenchefArea,
  ZenchefBooking,
  ZenchefBookingLookup,
  ZenchefBookingTime,
  ZenchefCredentials,
  ZenchefRestaurant,
  ZenchefShift,
  ZenchefTable,
  ZenchefTicketProduct
} from "./types.js"
import { bookingEvent } from "./webhooks.js"

const platform = "zenchef" as const
const kit = connectorKit(platform)
const { orInvalid } = kit
const invalid = (message: string) => new PlatformPermanentError({ platform, reason: "validation", message })

export const decodeCredentials = kit.decodeCredentials(ZenchefCredentials)

/** The `booking/latest` filters and the neutral event each stands for. */
const pollFilters = ["accepted", "changed", "canceled"] as const

export const makeZenchefConnector = (config: ConnectorConfig) =>
  Effect.gen(function* () {
    const credentials = yield* decodeCredentials(config.credentials)
    if (credentials.restaurantUid.toLowerCase() !== config.externalRestaurantId.toLowerCase()) {
      return yield* invalid("the config's external restaurant id is not the credentials' restaurantUid")
    }
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      headers: { ApiKey: credentials.apiKey },
      rateLimitKey: `zenchef:${sha256(credentials.apiKey).slice(0, 16)}`
    })
    const retry = retryTransient(http.policy)
    const settings: M.RestaurantSettings = { timezone: credentials.timezone, culture: credentials.culture }
    const at = (path: string) => `/${encodeURIComponent(credentials.restaurantUid)}${path}`
    const seg = encodeURIComponent

    const getBooking = (uid: string) => http.call({ method: "GET", path: at(`/booking/${seg(uid)}`), idempotent: true }, ZenchefBooking)
    const result = (b: ZenchefBooking) => ({ externalId: b.uid, raw: Schema.encodeSync(ZenchefBooking)(b) })
    const record = (b: ZenchefBooking): Effect.Effect<ReservationRecord, ConnectorError> =>
      Effect.map(orInvalid(`booking ${b.uid}`, M.toReservation(b, settings.timezone)), (reservation) => ({
        externalId: b.uid,
        reservation,
        updatedAt: b.modified ?? undefined
      }))

    const findByReference: ReservationCapability["findByReference"] = (localId) =>
      http.call({ method: "GET", path: at(`/booking/external/${M.ALLORESTO_SOURCE}/${seg(localId)}`), idempotent: true }, ZenchefBookingLookup).pipe(
        Effect.map((found) => Option.map(Option.fromNullable(Array.isArray(found) ? found[0] : found), result)),
        Effect.catchIf(isNotFound, () => Effect.succeed(Option.none()))
      )

    const post: ReservationCapability["create"] = (dto) =>
      orInvalid("reservation", M.toBookingCreate(dto, settings)).pipe(
        Effect.flatMap((body) => http.call({ method: "POST", path: at("/booking"), body, idempotent: false }, ZenchefBooking)),
        Effect.map(result)
      )

    // POST is not idempotent, but "look up our reference, then POST" is: a create whose answer
    // was lost finds its booking on the next attempt instead of making a second.
    const create: ReservationCapability["create"] = (dto, options) =>
      dto.externalReferenceId === undefined || options?.knownAbsent === true
        ? post(dto)
        : retry(Effect.flatMap(findByReference(dto.externalReferenceId), Option.match({ onSome: Effect.succeed, onNone: () => post(dto) })))

    // PUT always carries the whole booking: right whether Zenchef merges (v1.2 spec) or replaces (design).
    const update: ReservationCapability["update"] = (uid, dto) =>
      getBooking(uid).pipe(
        Effect.flatMap((current) => orInvalid("reservation", M.toBookingUpdate(current, dto, settings))),
        Effect.flatMap((body) => http.call({ method: "PUT", path: at(`/booking/${seg(uid)}`), body, idempotent: true }, ZenchefBooking)),
        Effect.map(result)
      )

    // The check-in and check-out endpoints toggle: call them only to move forward, re-reading first.
    const toggle = (kind: "checkin" | "checkout", uid: string) =>
      http.call({ method: "PUT", path: at(`/booking/${kind}/${seg(uid)}`), idempotent: false }, ZenchefBooking)
    const checkIn = (uid: string) =>
      retry(Effect.flatMap(getBooking(uid), (b) => (b.checkInDateTime ? Effect.void : Effect.asVoid(toggle("checkin", uid)))))
    const checkOut = (uid: string) =>
      retry(Effect.gen(function* () {
        const b = yield* getBooking(uid)
        if (b.checkOutDateTime) return
        if (!b.checkInDateTime) yield* toggle("checkin", uid)
        yield* toggle("checkout", uid)
      }))

    const reservations: ReservationCapability = {
      create,
      findByReference,
      get: (uid) => Effect.flatMap(getBooking(uid), record),
      update,
      // Zenchef's DELETE takes no reason; the sync log keeps ours.
      cancel: (uid) => http.send({ method: "DELETE", path: at(`/booking/${seg(uid)}`), idempotent: true }).pipe(Effect.asVoid),
      checkIn,
      checkOut
    }

    const getList = <A, I>(path: string, schema: Schema.Schema<A, I>) =>
      http.call({ method: "GET", path: at(path), idempotent: true }, Schema.Array(schema))

    const pullServices = () =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        // Shifts are per date: a week covers every weekday's.
        const dates = Array.from({ length: 7 }, (_, i) => toLocalDate(now + i * 24 * 3600 * 1000, settings.timezone))
        const perDay = yield* Effect.forEach(dates, (d) => getList(`/availability/open/${d}`, ZenchefShift), { concurrency: 3 })
        const byId = new Map(perDay.flat().map((s) => [M.shiftExternalId(s), M.toService(s)]))
        return [...byId.values()]
      })

    const pollEvents = (minutes: number, filter: (typeof pollFilters)[number]) =>
      getList(`/booking/latest/${minutes}/${filter}`, ZenchefBooking).pipe(
        Effect.catchIf(isNotFound, () =>
          Effect.fail(new PlatformPermanentError({ platform, reason: "unsupported", message: "zenchef booking/latest is not enabled for this account" }))),
        Effect.flatMap((bookings) =>
          Effect.forEach(bookings, (booking) =>
            orInvalid(`booking ${booking.uid}`, bookingEvent({
              booking,
              eventType: booking.status === "ACCEPTED" || booking.status === "CREATED" ? "reservation.updated" : "reservation.cancelled",
              // The same booking state always yields the same id, so re-polling dedupes.
              eventId: `zenchef:poll:${booking.uid}:${sha256(JSON.stringify(Schema.encodeSync(ZenchefBooking)(booking))).slice(0, 24)}`,
              restaurantUid: credentials.restaurantUid,
              timezone: settings.timezone,
              rawPayload: Schema.encodeSync(ZenchefBooking)(booking)
            }))))
      )

    const recentChanges = (sinceMinutes: number) =>
      Number.isInteger(sinceMinutes) && sinceMinutes > 0
        ? Effect.forEach(pollFilters, (filter) => pollEvents(sinceMinutes, filter)).pipe(
          Effect.map((lists) => [...new Map(lists.flat().map((e): [string, WebhookEvent] => [e.eventId, e])).values()])
        )
        : Effect.fail(invalid(`sinceMinutes must be a positive integer, got ${sinceMinutes}`))

    const availability = (date: string, partySize: number) =>
      !/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(partySize) || partySize < 1
        ? Effect.fail(invalid("availability needs a YYYY-MM-DD date and a positive party size"))
        : getList(`/availability/day/${date}/${partySize}/en`, ZenchefBookingTime).pipe(
          Effect.map((times) => times.flatMap((t) => Option.toArray(M.toAvailabilitySlot(t, settings.timezone, partySize))))
        )

    const connector: PlatformConnector = {
      platform,
      authenticate: () =>
        http.call({ method: "GET", path: `/restaurants/${seg(credentials.restaurantUid)}`, idempotent: true }, ZenchefRestaurant).pipe(Effect.asVoid),
      availability,
      reservations,
      floorPlan: {
        pullDiningRooms: () => Effect.map(getList("/areas", ZenchefArea), (areas) => areas.map(M.toDiningRoom)),
        pullTables: () => Effect.map(getList("/tables", ZenchefTable), (tables) => tables.map(M.toTable)),
        pullServices
      },
      offers: { pullOffers: () => Effect.map(getList("/product/ticket", ZenchefTicketProduct), (products) => products.map(M.toOffer)) },
      polling: { recentChanges }
    }
    return connector
  })
