import { Clock, Effect, Option, Ref, Schema } from "effect"
import type { SyncEntityResult, WebhookEvent } from "../../../domain/dtos.js"
import { trustedEncoderSync } from "../../../domain/trusted-encode.js"
import type {
  PlatformConnector,
  ReservationCapability,
  ReservationRecord
} from "../../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../../ports/connector-errors.js"
import type { ConnectorConfig } from "../../../ports/platform-module.js"
import { staticKeyAuth } from "../shared/auth.js"
import { connectorKit, sha256 } from "../shared/connector-kit.js"
import { present } from "../shared/guest-text.js"
import { hasStatus, isNotFound } from "../shared/http-policy.js"
import { arrayOf } from "../shared/json-body.js"
import { toLocalDate } from "../shared/local-time.js"
import { jsonBody, makePlatformHttp } from "../shared/platform-http.js"
import * as M from "./mapper.js"
import {
  ZenchefArea,
  ZenchefBooking,
  ZenchefBookingTime,
  ZenchefCredentials,
  ZenchefRestaurant,
  ZenchefShift,
  ZenchefTable,
  ZenchefTicketProduct
} from "./types.js"
import { bookingEvent } from "./webhooks.js"

// A record just decoded from the platform's answer: its fields are encoded as they are (trusted-encode.ts).
const encodeBooking = trustedEncoderSync(ZenchefBooking)

const platform = "zenchef" as const
const { invalid, orInvalid, permanent, decodeCredentials } = connectorKit(platform, ZenchefCredentials)

/** `GET booking/{from}/{days}` takes 1 to 31 days from today on (BookingApi.md bookingGetFutureBookings). */
const FUTURE_DAYS = 31

/** The `booking/latest` filters and the neutral event each stands for. */
const pollFilters = ["accepted", "changed", "canceled"] as const

export const makeZenchefConnector = (config: ConnectorConfig) =>
  Effect.gen(function*() {
    const credentials = yield* decodeCredentials(config.credentials)
    if (credentials.restaurantUid.toLowerCase() !== config.externalRestaurantId.toLowerCase()) {
      return yield* invalid("the config's external restaurant id is not the credentials' restaurantUid")
    }
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      auth: staticKeyAuth("ApiKey", credentials.apiKey),
      rateLimitBy: credentials.apiKey
    })
    const { retry, createOnce } = http
    const settings: M.RestaurantSettings = { timezone: credentials.timezone, culture: credentials.culture }
    const at = (path: string) => `/${encodeURIComponent(credentials.restaurantUid)}${path}`
    const seg = encodeURIComponent

    const getBooking = (uid: string) =>
      http.call({ method: "GET", path: at(`/booking/${seg(uid)}`), idempotent: true }, ZenchefBooking)
    const result = (b: ZenchefBooking) => ({ externalId: b.uid, raw: encodeBooking(b) })
    // No `updatedAt`: BookingViewModel has no last-modified time.
    const record = (b: ZenchefBooking): Effect.Effect<ReservationRecord, ConnectorError> =>
      Effect.map(
        orInvalid(`booking ${b.uid}`, M.toReservation(b, settings.timezone)),
        (reservation) => ({ externalId: b.uid, reservation })
      )

    /**
     * `source` is read-only and what Formitable stores for our key is unpublished, so the
     * `booking/external/{source}/{ref}` look-up is addressed only with a source read off a booking
     * this connector created (the API's own answer), never with one we made up.
     */
    const ourSource = yield* Ref.make(Option.none<string>())
    const learnSource = (
      b: ZenchefBooking
    ) => (present(b.source) ? Ref.set(ourSource, Option.some(b.source)) : Effect.void)

    /** Ours among the bookings of `days` days from `from`, by `externalReferenceId` alone. A `from` before the restaurant's today is a 400: nothing to find. */
    const findIn = (
      from: string,
      days: number,
      localId: string
    ): Effect.Effect<Option.Option<SyncEntityResult>, ConnectorError> =>
      http.call({ method: "GET", path: at(`/booking/${from}/${days}`), idempotent: true }, arrayOf(ZenchefBooking))
        .pipe(
          Effect.map((bookings) =>
            Option.map(Option.fromNullable(bookings.find((b) => b.externalReferenceId === localId)), result)
          ),
          Effect.catchIf(hasStatus(400), () => Effect.succeed(Option.none()))
        )

    const byExternal = (
      source: string,
      localId: string
    ): Effect.Effect<Option.Option<SyncEntityResult>, ConnectorError> =>
      http.call(
        { method: "GET", path: at(`/booking/external/${seg(source)}/${seg(localId)}`), idempotent: true },
        ZenchefBooking
      ).pipe(
        Effect.map((b) => Option.some(result(b))),
        Effect.catchIf(isNotFound, () => Effect.succeed(Option.none()))
      )

    // Only our id is known: the external look-up once our source is known, else every booking the
    // future-bookings route can show (ASSUMPTION: a booking still to cancel lies in the next 31 days).
    const findByReference: ReservationCapability["findByReference"] = (localId) =>
      Effect.gen(function*() {
        const source = yield* Ref.get(ourSource)
        const found = Option.isSome(source) ? yield* byExternal(source.value, localId) : Option.none()
        if (Option.isSome(found)) return found
        return yield* findIn(toLocalDate(yield* Clock.currentTimeMillis, settings.timezone), FUTURE_DAYS, localId)
      })

    const post: ReservationCapability["create"] = (dto) =>
      orInvalid("reservation", M.toBookingCreate(dto, settings)).pipe(
        Effect.flatMap((body) =>
          http.call({ method: "POST", path: at("/booking"), body: jsonBody(body), idempotent: false }, ZenchefBooking)
        ),
        Effect.tap(learnSource),
        Effect.map(result)
      )

    // Our reference is looked for on the booking's day.
    const create: ReservationCapability["create"] = (dto, options) => {
      const ref = dto.externalReferenceId
      if (ref === undefined || options?.knownAbsent === true) return post(dto)
      const day = Date.parse(dto.reservationTime)
      if (Number.isNaN(day)) return post(dto)
      return createOnce(findIn(toLocalDate(day, settings.timezone), 1, ref), post(dto))
    }

    // PUT always carries the whole booking: right whether Zenchef merges (v1.2 spec) or replaces (design).
    const update: ReservationCapability["update"] = (uid, dto) =>
      getBooking(uid).pipe(
        Effect.flatMap((current) => orInvalid("reservation", M.toBookingUpdate(current, dto, settings))),
        Effect.flatMap((body) =>
          http.call(
            { method: "PUT", path: at(`/booking/${seg(uid)}`), body: jsonBody(body), idempotent: true },
            ZenchefBooking
          )
        ),
        Effect.map(result)
      )

    // The check-in endpoint toggles: it is called only when the booking, read first, is not checked in.
    const checkIn = (uid: string) =>
      retry(Effect.flatMap(getBooking(uid), (b) =>
        b.checkInDateTime
          ? Effect.void
          : Effect.asVoid(
            http.call({ method: "PUT", path: at(`/booking/checkin/${seg(uid)}`), idempotent: false }, ZenchefBooking)
          )))

    const reservations: ReservationCapability = {
      create,
      findByReference,
      get: (uid) => Effect.flatMap(getBooking(uid), record),
      update,
      // Zenchef's DELETE takes no reason; the sync log keeps ours.
      cancel: (uid) =>
        http.send({ method: "DELETE", path: at(`/booking/${seg(uid)}`), idempotent: true }).pipe(Effect.asVoid),
      // No checkOut: it toggles too, and no Booking field shows it, so a repeat could not tell a
      // check-out to keep from one to make; the engine then records the update alone.
      checkIn
    }

    const getList = <A, I>(path: string, schema: Schema.Schema<A, I>) =>
      http.call({ method: "GET", path: at(path), idempotent: true }, arrayOf(schema))

    const pullServices = () =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        // Shifts are per date: a week covers every weekday's.
        const dates = Array.from({ length: 7 }, (_, i) => toLocalDate(now + i * 24 * 3600 * 1000, settings.timezone))
        const perDay = yield* Effect.forEach(dates, (d) => getList(`/availability/open/${d}`, ZenchefShift), {
          concurrency: 3
        })
        const byId = new Map(perDay.flat().map((s) => [M.shiftExternalId(s), M.toService(s)]))
        return [...byId.values()]
      })

    const pollEvents = (minutes: number, filter: (typeof pollFilters)[number]) =>
      getList(`/booking/latest/${minutes}/${filter}`, ZenchefBooking).pipe(
        Effect.catchIf(isNotFound, () =>
          Effect.fail(permanent("unsupported", "zenchef booking/latest is not enabled for this account"))),
        Effect.flatMap((bookings) =>
          Effect.forEach(bookings, (booking) =>
            orInvalid(
              `booking ${booking.uid}`,
              bookingEvent({
                booking,
                eventType: booking.status === "ACCEPTED" || booking.status === "CREATED"
                  ? "reservation.updated"
                  : "reservation.cancelled",
                // The same booking state always yields the same id, so re-polling dedupes.
                eventId: `zenchef:poll:${booking.uid}:${
                  sha256(JSON.stringify(Schema.encodeSync(ZenchefBooking)(booking))).slice(0, 24)
                }`,
                restaurantUid: credentials.restaurantUid,
                timezone: settings.timezone,
                rawPayload: Schema.encodeSync(ZenchefBooking)(booking)
              })
            ))
        )
      )

    const recentChanges = (sinceMinutes: number) =>
      Number.isInteger(sinceMinutes) && sinceMinutes > 0
        ? Effect.forEach(pollFilters, (filter) =>
          pollEvents(sinceMinutes, filter)).pipe(
            Effect.map((
              lists
            ) => [...new Map(lists.flat().map((e): [string, WebhookEvent] => [e.eventId, e])).values()])
          )
        : Effect.fail(invalid(`sinceMinutes must be a positive integer, got ${sinceMinutes}`))

    const availability = (date: string, partySize: number) =>
      !/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(partySize) || partySize < 1
        ? Effect.fail(invalid("availability needs a YYYY-MM-DD date and a positive party size"))
        : getList(`/availability/day/${date}/${partySize}/en`, ZenchefBookingTime).pipe(
          Effect.map((times) =>
            times.flatMap((t) => Option.toArray(M.toAvailabilitySlot(t, settings.timezone, partySize)))
          )
        )

    const connector: PlatformConnector = {
      platform,
      authenticate: () =>
        http.call(
          { method: "GET", path: `/restaurants/${seg(credentials.restaurantUid)}`, idempotent: true },
          ZenchefRestaurant
        ).pipe(Effect.asVoid),
      availability,
      reservations,
      floorPlan: {
        pullDiningRooms: () => Effect.map(getList("/areas", ZenchefArea), (areas) => areas.map(M.toDiningRoom)),
        pullTables: () => Effect.map(getList("/tables", ZenchefTable), (tables) => tables.map(M.toTable)),
        pullServices
      },
      offers: {
        pullOffers: () =>
          Effect.map(getList("/product/ticket", ZenchefTicketProduct), (products) => products.map(M.toOffer))
      },
      polling: { recentChanges }
    }
    return connector
  })
