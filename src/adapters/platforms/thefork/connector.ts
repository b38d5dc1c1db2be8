import { Clock, Effect, Option, Ref } from "effect"
import { trustedEncoderSync } from "../../../domain/trusted-encode.js"
import type {
  AvailabilityWindow,
  GuestContact,
  PlatformConnector,
  ReservationCapability,
  ReservationRecord
} from "../../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../../ports/connector-errors.js"
import type { ConnectorConfig } from "../../../ports/platform-module.js"
import { tokenAuth } from "../shared/auth.js"
import { connectorKit } from "../shared/connector-kit.js"
import { present } from "../shared/guest-text.js"
import { hasStatus, isNotFound } from "../shared/http-policy.js"
import { arrayOf } from "../shared/json-body.js"
import { makeClientCredentialsCache } from "../shared/oauth-token.js"
import { errorDetailOf, jsonBody, makePlatformHttp, type PlatformHttp } from "../shared/platform-http.js"
import * as M from "./mapper.js"
import {
  TheForkCredentials,
  TheForkCustomer,
  TheForkErrorBody,
  TheForkOffer,
  TheForkReservation,
  TheForkReservationPage,
  TheForkTimeslot
} from "./types.js"

// A record just decoded from the platform's answer: its fields are encoded as they are (trusted-encode.ts).
const encodeReservation = trustedEncoderSync(TheForkReservation)

const platform = "thefork" as const
const { invalid, orInvalid, decodeCredentials } = connectorKit(platform, TheForkCredentials)

/** `data.code` of TheFork's error envelope (DOUBLE_BOOKING, RESERVATION_NOT_FOUND...): a machine code, never personal. */
const errorCode = errorDetailOf(TheForkErrorBody, (e) => e.data?.code || undefined)

/** Statuses that no longer hold a table: a refused cancel of them has nothing left to do. */
const notComing = new Set(["CANCELED", "REFUSED", "NO_SHOW"])

/**
 * Finding the booking that carries our reservation id. TheFork has no external-reference
 * field and no search: our id rides in the internal note, and the list endpoint answers UUIDs only
 * for a date range. So a lookup lists a narrow window and reads the bookings it has not read yet;
 * what each carries is remembered (a note's reference never changes), so later lookups only read
 * new bookings.
 */

interface ReferenceWindow {
  readonly filterBy: "updatedDate" | "mealDate"
  /** YYYY-MM-DD, inclusive. ASSUMPTION: TheFork compares UTC dates, so callers widen by a day. */
  readonly startDate: string
  readonly endDate: string
}

const PAGE_SIZE = 1000
const READS_AT_ONCE = 4

const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const DAY = 24 * 3600 * 1000

const windowAround = (iso: string): ReferenceWindow => {
  const at = Date.parse(iso)
  return { filterBy: "mealDate", startDate: utcDate(at - DAY), endDate: utcDate(at + DAY) }
}

const recentlyUpdated = (nowMs: number, days: number): ReferenceWindow => ({
  filterBy: "updatedDate",
  startDate: utcDate(nowMs - days * DAY),
  endDate: utcDate(nowMs + DAY)
})

const makeReferenceIndex = (
  http: PlatformHttp,
  restaurantUuid: string,
  read: (uuid: string) => Effect.Effect<TheForkReservation, ConnectorError>
) =>
  Effect.gen(function*() {
    /** Reservation uuid → our id in its note (null: not ours). */
    const seen = yield* Ref.make(new Map<string, string | null>())

    const remember = (uuid: string, reference: string | null) =>
      Ref.update(seen, (m) => new Map(m).set(uuid, reference))

    const page = (window: ReferenceWindow, n: number) =>
      http.call({
        method: "GET",
        path: "/v1/reservations",
        query: {
          restaurantUuid,
          startDate: window.startDate,
          endDate: window.endDate,
          filterBy: window.filterBy,
          limit: PAGE_SIZE,
          page: n
        },
        idempotent: true
      }, TheForkReservationPage)

    const learn = (uuids: ReadonlyArray<string>) =>
      Effect.flatMap(Ref.get(seen), (known) =>
        Effect.forEach(uuids.filter((u) => !known.has(u)), (uuid) =>
          Effect.flatMap(read(uuid), (r) => remember(uuid, M.referenceOf(r.restaurantNote) ?? null)), {
          concurrency: READS_AT_ONCE,
          discard: true
        }))

    const match = (uuids: ReadonlyArray<string>, localId: string) =>
      Effect.map(Ref.get(seen), (known) =>
        Option.fromNullable(uuids.find((u) => known.get(u) === localId)))

    const knownFor = (localId: string) =>
      Effect.map(Ref.get(seen), (known) => Option.fromNullable([...known].find(([, ref]) => ref === localId)?.[0]))

    /** The reservation carrying `localId`: known already, or found in `window`, page by page. */
    const find = (localId: string, window: ReferenceWindow): Effect.Effect<Option.Option<string>, ConnectorError> =>
      Effect.flatMap(knownFor(localId), (known) => {
        if (Option.isSome(known)) return Effect.succeed(known)
        const from = (n: number): Effect.Effect<Option.Option<string>, ConnectorError> =>
          Effect.gen(function*() {
            const current = yield* page(window, n)
            yield* learn(current.data)
            const hit = yield* match(current.data, localId)
            if (Option.isSome(hit) || current.data.length === 0 || n * current.limit >= current.totalCount) return hit
            return yield* from(n + 1)
          })
        return from(1)
      })

    return { find, remember }
  })

export const makeTheForkConnector = (config: ConnectorConfig) =>
  Effect.gen(function*() {
    const credentials = yield* decodeCredentials(config.credentials)
    if (credentials.restaurantUuid.toLowerCase() !== config.externalRestaurantId.toLowerCase()) {
      return yield* invalid("the config's external restaurant id is not the credentials' restaurantUuid")
    }
    // Auth0 client credentials; 8600 s tokens, cached per connector and renewed in their last minute.
    const tokens = yield* makeClientCredentialsCache({
      platform,
      tokenUrl: credentials.authUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      extra: { audience: credentials.audience }
    })
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: credentials.baseUrl,
      auth: tokenAuth(tokens),
      rateLimitBy: credentials.clientId,
      errorDetail: errorCode
    })
    const { createOnce } = http
    const seg = encodeURIComponent
    const restaurant = `/v1/restaurants/${seg(credentials.restaurantUuid)}`
    const guest: M.GuestSettings = { locale: credentials.locale, civility: credentials.civility }

    const read = (uuid: string) =>
      http.call({ method: "GET", path: `/v1/reservations/${seg(uuid)}`, idempotent: true }, TheForkReservation)
    // A guest erased from TheFork (GDPR) leaves the reservation readable, just nameless.
    const customerOf = (r: TheForkReservation) =>
      r.customer !== undefined && r.customer !== null
        ? Effect.succeed(r.customer)
        : r.customerUuid === undefined || r.customerUuid === null
        ? Effect.succeed(undefined)
        : http.call({ method: "GET", path: `/v1/customers/${seg(r.customerUuid)}`, idempotent: true }, TheForkCustomer)
          .pipe(
            Effect.catchIf(isNotFound, () => Effect.succeed(undefined))
          )
    const record = (r: TheForkReservation): Effect.Effect<ReservationRecord, ConnectorError> =>
      Effect.flatMap(customerOf(r), (customer) =>
        Effect.map(orInvalid(`reservation ${r.reservationUuid}`, M.toReservation(r, customer)), (reservation) => ({
          externalId: r.reservationUuid,
          reservation,
          updatedAt: r.updatedAt ?? undefined
        })))
    const result = (r: TheForkReservation) => ({
      externalId: r.reservationUuid,
      raw: encodeReservation(r)
    })

    const references = yield* makeReferenceIndex(http, credentials.restaurantUuid, read)

    const findByReference: ReservationCapability["findByReference"] = (localId) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) =>
          references.find(localId, recentlyUpdated(now, credentials.referenceLookbackDays))
        ),
        Effect.map(Option.map((externalId) => ({ externalId })))
      )

    const findForCreate = (localId: string, mealDate: string) =>
      Effect.flatMap(
        references.find(localId, windowAround(mealDate)),
        Option.match({
          onNone: () => Effect.succeed(Option.none()),
          onSome: (uuid) => Effect.map(read(uuid), (r) => Option.some(result(r)))
        })
      )

    /**
     * TheFork's create needs the guest's e-mail, which a phone booking seldom has: a caller TheFork
     * already knows by this phone number (its caller lookup, thefork.md) gives it.
     */
    const withKnownEmail = <A extends GuestContact>(dto: A) => {
      const phone = M.e164(dto.customerPhone)
      if (present(dto.customerEmail) || phone === undefined) return Effect.succeed(dto)
      return http.call(
        { method: "GET", path: `${restaurant}/customers/phone/${seg(phone)}`, idempotent: true },
        TheForkCustomer
      ).pipe(
        Effect.map((caller) => (present(caller.email) ? { ...dto, customerEmail: caller.email } : dto)),
        Effect.catchIf(isNotFound, () => Effect.succeed(dto))
      )
    }

    const missingGuestDetails: NonNullable<ReservationCapability["missingGuestDetails"]> = (guest) =>
      Effect.map(withKnownEmail(guest), (known) => present(known.customerEmail) ? [] : ["customerEmail" as const])

    const post = (dto: Parameters<ReservationCapability["create"]>[0]) =>
      Effect.flatMap(withKnownEmail(dto), (known) => orInvalid("reservation", M.toReservationCreate(known, guest)))
        .pipe(
          Effect.flatMap((body) =>
            http.call(
              { method: "POST", path: `${restaurant}/reservations`, body: jsonBody(body), idempotent: false },
              TheForkReservation
            )
          ),
          Effect.tap((r) => references.remember(r.reservationUuid, M.referenceOf(r.restaurantNote) ?? null)),
          Effect.map(result)
        )

    const create: ReservationCapability["create"] = (dto) => {
      const ref = dto.externalReferenceId
      return ref === undefined ? post(dto) : createOnce(findForCreate(ref, dto.reservationTime), post(dto))
    }

    // Only mealDate and partySize can change (both required); re-sending the slot the guest holds is skipped.
    const update: ReservationCapability["update"] = (uuid, dto) =>
      Effect.gen(function*() {
        const patch = yield* orInvalid("reservation", M.toReservationPatch(dto))
        const current = yield* read(uuid)
        if (!M.patchChanges(current, patch)) {
          return result(current)
        }
        return result(
          yield* http.call({
            method: "PATCH",
            path: `/v1/reservations/${seg(uuid)}`,
            body: jsonBody(patch),
            idempotent: true
          }, TheForkReservation)
        )
      })

    // 409 DOUBLE_CANCELLATION: already done. 400 CANCELLATION_ERROR on a booking that is no longer coming: nothing to do.
    const cancel: ReservationCapability["cancel"] = (uuid) =>
      http.send({ method: "PATCH", path: `/v1/reservations/${seg(uuid)}/cancel`, idempotent: true }).pipe(
        Effect.asVoid,
        Effect.catchIf(hasStatus(409), () => Effect.void),
        Effect.catchIf(hasStatus(400), (refused) =>
          Effect.flatMap(read(uuid), (r) => (notComing.has(r.status) ? Effect.void : Effect.fail(refused))))
      )

    const availability = (date: string, partySize: number) =>
      !/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(partySize) || partySize < 1
        ? Effect.fail(invalid("availability needs a YYYY-MM-DD date and a positive party size"))
        : http.call(
          { method: "GET", path: `${restaurant}/timeslots`, query: { date, partySize }, idempotent: true },
          arrayOf(TheForkTimeslot)
        ).pipe(
          Effect.map((slots) =>
            slots.flatMap((t) =>
              Option.toArray(M.toAvailabilitySlot(t, partySize))
            )
          )
        )

    // The token proves the client; a one-day listing proves access to this restaurant.
    const authenticate = () =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        http.call({
          method: "GET",
          path: "/v1/reservations",
          query: {
            restaurantUuid: credentials.restaurantUuid,
            startDate: utcDate(now),
            endDate: utcDate(now),
            limit: 1
          },
          idempotent: true
        }, TheForkReservationPage)).pipe(Effect.asVoid)

    // ASSUMPTION: the customer list pages like the reservation list (UUIDs, `page`/`limit`), by restaurant.
    const pullCustomers = () =>
      Effect.gen(function*() {
        const uuids: Array<string> = []
        for (let n = 1;; n++) {
          const page = yield* http.call({
            method: "GET",
            path: "/v1/customers",
            query: { restaurantUuid: credentials.restaurantUuid, limit: PAGE_SIZE, page: n },
            idempotent: true
          }, TheForkReservationPage)
          uuids.push(...page.data)
          if (page.data.length === 0 || n * page.limit >= page.totalCount) break
        }
        return yield* Effect.forEach(
          uuids,
          (uuid) =>
            Effect.map(
              http.call({ method: "GET", path: `/v1/customers/${seg(uuid)}`, idempotent: true }, TheForkCustomer),
              (c) => M.toCustomer(uuid, c)
            ),
          { concurrency: READS_AT_ONCE }
        )
      })

    // Opening or closing a slot twice leaves it the same: safe to repeat.
    const pushAvailability = (windows: ReadonlyArray<AvailabilityWindow>) =>
      Effect.forEach(
        windows,
        (w) =>
          http.send({
            method: "PUT",
            path: `${restaurant}/availabilities/override`,
            body: jsonBody(M.toAvailabilityOverride(w)),
            idempotent: true
          }),
        { discard: true }
      )

    const connector: PlatformConnector = {
      platform,
      authenticate,
      availability,
      reservations: {
        create,
        findByReference,
        get: (uuid) => Effect.flatMap(read(uuid), record),
        update,
        cancel,
        missingGuestDetails
      },
      customers: { pullCustomers },
      availabilityPush: { pushAvailability },
      offers: {
        pullOffers: () =>
          http.call({
            method: "GET",
            path: `${restaurant}/offers`,
            query: { locale: credentials.locale },
            idempotent: true
          }, arrayOf(TheForkOffer)).pipe(
            Effect.map((offers) => offers.map(M.toOffer))
          )
      }
    }
    return connector
  })
